/**
 * The published Paragon Proxy capability, unmodified, for many users: a `--credentials` file
 * names how callers are identified (their application's JWT) and how Paragon User Tokens are
 * minted per user (RS256 with the project's signing key, `sub` = the user). Each upstream request
 * must carry a token that verifies with the public key and names the caller; a caller without
 * identity gets 401; interleaved concurrent calls never carry another user's token, over REST and
 * over a stateless MCP adapter (whose tool calls all run on one SDK server).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { callerToken, rsaKeys, type TestKeys } from './keys.js';

const SEED = join(SHARED_DIR, 'seeds', 'paragon-proxy.capability.yaml');
const AUDIENCE = 'useparagon.com/project-7';

let signing: TestKeys;
let app: TestKeys;
let upstream: Upstream;
let run: CapstanRun;
let stateless: CapstanRun;
let rest: string;

/** The Paragon User Token the upstream saw on a request, verified with the signing key's public half. */
async function paragonUser(authorization: string | undefined): Promise<{ sub: string; iat: number; exp: number; aud: unknown }> {
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const { payload, protectedHeader } = await jwtVerify(authorization!.slice(7), signing.publicKey, { algorithms: ['RS256'], audience: AUDIENCE });
  expect(protectedHeader.alg).toBe('RS256');
  return payload as { sub: string; iat: number; exp: number; aud: unknown };
}

const get = async (path: string, token?: string) => fetch(`${rest}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe.skipIf(!HAVE_SHARED)('published Paragon Proxy capability, one gateway for many users', () => {
  beforeAll(async () => {
    signing = rsaKeys();
    app = rsaKeys();
    const dir = tempSpecDir({
      'paragon-signing-key.pem': signing.privatePem,
      'app-public.pem': app.publicPem,
      'credentials.yaml': `identity:
  jwt:
    publicKey: file:app-public.pem
    issuer: https://app.example
consumes:
  paragon:
    source: mint
    algorithm: RS256
    key: file:paragon-signing-key.pem
    claims:
      sub: '{{caller.sub}}'
      aud: ${AUDIENCE}
    ttl: 3600
`,
    });
    upstream = await startUpstream((req, res) => json(res, 200, { path: req.url }));
    // No PARAGON_TOKEN in the environment: the minted tokens replace it.
    const credentials = ['--credentials', join(dir, 'credentials.yaml')];
    [run, stateless] = await Promise.all([
      startCapstan([SEED], { namespaces: ['paragon-rest', 'paragon-mcp'], upstream: { paragon: upstream.url }, args: credentials }),
      startCapstan([SEED], { namespaces: ['paragon-rest', 'paragon-mcp'], upstream: { paragon: upstream.url }, args: [...credentials, '--mcp-stateless'] }),
    ]);
    rest = run.rest['paragon-rest']!;
  });

  afterAll(async () => {
    await run?.stop();
    await stateless?.stop();
    await upstream?.close();
  });

  it('the seed file is the published one (no x-capstan block in it)', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(SEED, 'utf8')).not.toContain('x-capstan');
  });

  it('mints a Paragon User Token per user over REST: verifies with the public key and names the caller', async () => {
    const before = upstream.seen.length;
    const alice = await get('/projects/project-7/sdk/proxy/slack/api/chat.postMessage', await callerToken(app, 'alice'));
    expect(alice.status).toBe(200);
    const bob = await get('/projects/project-7/sdk/proxy/hubspot/crm/v3/objects/contacts', await callerToken(app, 'bob'));
    expect(bob.status).toBe(200);
    const [a, b] = upstream.seen.slice(before);
    expect(a!.url).toBe('/projects/project-7/sdk/proxy/slack/api/chat.postMessage');
    const claimsA = await paragonUser(a!.headers.authorization);
    const claimsB = await paragonUser(b!.headers.authorization);
    expect(claimsA.sub).toBe('alice');
    expect(claimsB.sub).toBe('bob');
    expect(claimsA.aud).toBe(AUDIENCE);
    expect(claimsA.exp - claimsA.iat).toBe(3600);
    expect(Math.abs(claimsA.iat - Date.now() / 1000)).toBeLessThan(60);
    expect(a!.headers.authorization).not.toBe(b!.headers.authorization);
  });

  it('reuses a user\'s token until near expiry, never across users', async () => {
    const before = upstream.seen.length;
    const token = await callerToken(app, 'carol');
    await get('/projects/p/sdk/proxy/slack/one', token);
    await get('/projects/p/sdk/proxy/slack/two', await callerToken(app, 'carol'));
    await get('/projects/p/sdk/proxy/slack/three', await callerToken(app, 'dave'));
    const seen = upstream.seen.slice(before).map((s) => s.headers.authorization);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
    expect(decodeJwt(seen[2]!.slice(7)).sub).toBe('dave');
  });

  it('refuses a caller without identity (401, upstream not called) and a token from another issuer key', async () => {
    const before = upstream.seen.length;
    const none = await get('/projects/p/sdk/proxy/slack/x');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { detail: string }).detail).toBe('the request carries no caller identity');
    const forged = await get('/projects/p/sdk/proxy/slack/x', await callerToken(rsaKeys(), 'alice'));
    expect(forged.status).toBe(401);
    const wrongIssuer = await get('/projects/p/sdk/proxy/slack/x', await callerToken(app, 'alice', {}, 'https://evil.example'));
    expect(wrongIssuer.status).toBe(401);
    expect(upstream.seen.length).toBe(before);
  });

  it('mints per user over MCP too, and refuses an MCP client without identity', async () => {
    const before = upstream.seen.length;
    for (const user of ['erin', 'frank']) {
      const client = new Client({ name: `paragon-${user}`, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp['paragon-mcp']!), { requestInit: { headers: { authorization: `Bearer ${await callerToken(app, user)}` } } }));
      const result = await client.callTool({ name: 'proxygetrequest', arguments: { projectId: 'p9', integrationType: 'salesforce', apiPath: `sobjects/${user}` } });
      expect(result.isError).toBeUndefined();
      await client.close();
    }
    const seen = upstream.seen.slice(before);
    expect(seen.map((s) => s.url)).toEqual(['/projects/p9/sdk/proxy/salesforce/sobjects/erin', '/projects/p9/sdk/proxy/salesforce/sobjects/frank']);
    expect((await paragonUser(seen[0]!.headers.authorization)).sub).toBe('erin');
    expect((await paragonUser(seen[1]!.headers.authorization)).sub).toBe('frank');
    const anonymous = new Client({ name: 'anonymous', version: '1' });
    await expect(anonymous.connect(new StreamableHTTPClientTransport(new URL(run.mcp['paragon-mcp']!)))).rejects.toThrow(/401|Unauthorized/);
  });

  it('property: among interleaved concurrent calls of several users, every upstream request carries its own caller\'s token', async () => {
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const tokens = Object.fromEntries(await Promise.all(users.map(async (u) => [u, await callerToken(app, u)] as const)));
    let marker = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...users), { minLength: 2, maxLength: 24 }), async (callers) => {
        const expected = new Map<string, string>();
        await Promise.all(
          callers.map(async (user) => {
            const id = `m${++marker}`;
            expected.set(`/projects/p/sdk/proxy/slack/${id}`, user);
            const res = await get(`/projects/p/sdk/proxy/slack/${id}`, tokens[user]);
            expect(res.status).toBe(200);
            expect(((await res.json()) as { result?: { path: string }; path?: string })).toBeTruthy();
          }),
        );
        for (const [path, user] of expected) {
          const seen = upstream.seen.filter((s) => s.url === path);
          expect(seen).toHaveLength(1);
          expect((await paragonUser(seen[0]!.headers.authorization)).sub).toBe(user);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('property: stateless MCP tool calls of several users, interleaved and concurrent, each reach the upstream with their own caller\'s token', async () => {
    const users = ['s1', 's2', 's3', 's4'];
    const tokens = Object.fromEntries(await Promise.all(users.map(async (u) => [u, await callerToken(app, u)] as const)));
    let marker = 0;
    const call = async (user: string, id: string, accept: string): Promise<void> => {
      const res = await fetch(stateless.mcp['paragon-mcp']!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${tokens[user]}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'proxygetrequest', arguments: { projectId: 'p', integrationType: 'slack', apiPath: id } } }),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`/projects/p/sdk/proxy/slack/${id}`);
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...users), fc.boolean()), { minLength: 2, maxLength: 16 }), async (callers) => {
        const expected = new Map<string, string>();
        await Promise.all(
          callers.map(async ([user, sse]) => {
            const id = `stateless-${++marker}`;
            expected.set(`/projects/p/sdk/proxy/slack/${id}`, user);
            await call(user, id, sse ? 'application/json, text/event-stream' : 'application/json');
          }),
        );
        for (const [path, user] of expected) {
          const seen = upstream.seen.filter((s) => s.url === path);
          expect(seen).toHaveLength(1);
          expect((await paragonUser(seen[0]!.headers.authorization)).sub).toBe(user);
        }
      }),
      { numRuns: 15 },
    );
  });
});
