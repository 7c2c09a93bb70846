/** OAuth2 client credentials / refresh tokens on a consumed API, against a local token endpoint. */
import { describe, expect, it } from 'vitest';
import { json, startUpstream } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import { oneOperation, setUp, useCleanups } from './helpers.js';

const add = useCleanups();
const CLIENT_ID = 'capstan-client';
const CLIENT_SECRET = 'clientSecret-Wz8Kd3Qp5Lm';
const REFRESH = 'refreshSecret-Hb2Nx7Tc4Rv';

/** A token endpoint issuing `tok-<n>` tokens valid `expiresIn` seconds, after checking the client's Basic credentials. */
async function tokenEndpoint(expiresIn: number, options: { delayMs?: number; rotateRefresh?: boolean } = {}) {
  let issued = 0;
  const grants: Array<Record<string, string>> = [];
  const server = await startUpstream(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(req.body));
    grants.push(form);
    const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return json(res, 401, { error: 'invalid_client' });
    if (options.delayMs) await sleep(options.delayMs);
    issued++;
    json(res, 200, { access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: expiresIn, ...(options.rotateRefresh ? { refresh_token: `${REFRESH}-${issued}` } : {}) });
  });
  add(() => server.close());
  return { url: server.url, grants, issued: () => issued };
}

const auth = (tokenUrl: string, extra = '') => `type: oauth2
authorizationServerUri: "${tokenUrl}"
tokenEndpoint: "${tokenUrl}/token"
resource: "https://api.example.com"
scopes: [read, write]
x-capstan-clientId: "${CLIENT_ID}"
x-capstan-clientSecret: "{{OAUTH_SECRET}}"
${extra}`;

const binds = `binds:
  - namespace: env
    keys:
      OAUTH_SECRET: OAUTH_SECRET
`;

/** An API that accepts only the tokens in `valid`. */
const api = (valid: Set<string>) => (req: { headers: Record<string, unknown> }, res: import('node:http').ServerResponse) => {
  const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  return valid.has(token) ? json(res, 200, { token }) : json(res, 401, { error: 'invalid_token' });
};
const tokenOf = (r: { kind: string; body?: Buffer }) => (JSON.parse(r.kind === 'raw' ? r.body!.toString() : '{}') as { token: string }).token;

describe('OAuth2 client credentials on a consumed API', () => {
  it('100 concurrent calls share one token fetch; the grant carries the client, scopes and resource', async () => {
    const idp = await tokenEndpoint(3600, { delayMs: 100 });
    const { graph } = oneOperation({ auth: auth(idp.url), binds });
    const logs: string[] = [];
    const logger = { debug: (o: object, m?: string) => logs.push(JSON.stringify(o) + (m ?? '')), warn: (o: object, m?: string) => logs.push(JSON.stringify(o) + (m ?? '')) };
    const { run, up } = await setUp(add, graph, api(new Set(['tok-1'])), { env: { OAUTH_SECRET: CLIENT_SECRET }, logger });
    const results = await Promise.all(Array.from({ length: 100 }, () => run()));
    expect(results.every((r) => r.status === 200 && tokenOf(r) === 'tok-1')).toBe(true);
    expect(idp.issued()).toBe(1);
    expect(idp.grants).toEqual([{ grant_type: 'client_credentials', scope: 'read write', resource: 'https://api.example.com' }]);
    expect(up.seen.every((s) => s.headers.authorization === 'Bearer tok-1')).toBe(true);
    const text = logs.join('\n');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [CLIENT_SECRET, 'tok-1', Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')]) expect(text).not.toContain(secret);
  });

  it('fetches a new token before the old one expires', async () => {
    // 2 s lifetime: renewed once less than a tenth (0.2 s) is left.
    const idp = await tokenEndpoint(2);
    const { graph } = oneOperation({ auth: auth(idp.url), binds });
    const { run } = await setUp(add, graph, api(new Set(['tok-1', 'tok-2'])), { env: { OAUTH_SECRET: CLIENT_SECRET } });
    expect(tokenOf(await run())).toBe('tok-1');
    await sleep(1_000);
    expect(tokenOf(await run())).toBe('tok-1');
    await sleep(900);
    expect(tokenOf(await run())).toBe('tok-2');
    expect(idp.issued()).toBe(2);
  });

  it('a 401 from the API drops the token and retries once with a fresh one', async () => {
    const idp = await tokenEndpoint(3600);
    const { graph } = oneOperation({ auth: auth(idp.url), binds });
    const valid = new Set(['tok-1']);
    const { run, up } = await setUp(add, graph, api(valid), { env: { OAUTH_SECRET: CLIENT_SECRET } });
    expect(tokenOf(await run())).toBe('tok-1');
    valid.clear(); // the API revokes tok-1
    valid.add('tok-2');
    expect(tokenOf(await run())).toBe('tok-2');
    expect(up.seen.map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
    valid.clear(); // nothing is accepted any more: one retry, then the 401 is the answer
    const before = up.seen.length;
    expect(await run()).toMatchObject({ status: 401 });
    expect(up.seen.length - before).toBe(2);
  });

  it('uses the refresh_token grant when a refresh token is bound, keeping a rotated one', async () => {
    const idp = await tokenEndpoint(3600, { rotateRefresh: true });
    const { graph } = oneOperation({ auth: auth(idp.url, `x-capstan-refreshToken: "${REFRESH}"\n`), binds });
    const valid = new Set(['tok-1']);
    const { run } = await setUp(add, graph, api(valid), { env: { OAUTH_SECRET: CLIENT_SECRET } });
    await run();
    valid.add('tok-2');
    valid.delete('tok-1');
    await run();
    expect(idp.grants.map((g) => [g.grant_type, g.refresh_token])).toEqual([
      ['refresh_token', REFRESH],
      ['refresh_token', `${REFRESH}-1`],
    ]);
  });

  it('a refused client is an upstream error naming the API and the OAuth error code, never the secret', async () => {
    const idp = await tokenEndpoint(3600);
    const { graph } = oneOperation({ auth: auth(idp.url), binds });
    const { run, up } = await setUp(add, graph, api(new Set()), { env: { OAUTH_SECRET: 'wrong-secret-value' } });
    const err = (await run().then(() => undefined, (e: unknown) => e)) as Error;
    expect(err).toMatchObject({ name: 'UpstreamError', kind: 'unavailable', namespace: 'up' });
    expect(err.message).toBe('the OAuth2 token endpoint of up answered 401 (invalid_client) without an access token');
    expect(up.seen).toHaveLength(0);
  });
});
