/**
 * `capstan fix --strict` for the adapter-level kinds (auth-scheme, templated-base-uri,
 * name-as-written, skill-calls, required-key, value-read, beta5-key): per kind, a small file that
 * trips it is rewritten into the nearest official form, reported with its change, passes
 * `--strict` and loads; where the change text says what is served (the same, or a named
 * difference), a real upstream on 127.0.0.1 and `capstan run` before and after show it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { childEnv, runCliAsync } from '../helpers/cli.js';
import { startCapstan, type CapstanRun, type RunOptions } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { fixStrict, minimalCapability, type StrictOutcome } from './strict-fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** One consumed API `api` (its adapter-level lines given) with one operation, and an MCP tool `get-things` calling it. */
const capability = (consumed: string, extra = ''): string => `naftiko: 1.0.0-alpha2
info:
  label: Test
  description: Test capability.
binds:
- namespace: env
  keys:
    KEY_ONE: KEY_ONE
    KEY_TWO: KEY_TWO
    ACCOUNT_URL: ACCOUNT_URL
    TENANT: TENANT
capability:
  consumes:
  - type: http
    namespace: api
${consumed}
    resources:
    - name: things
      path: /things
      operations:
      - name: get
        method: GET
        inputParameters:
        - { name: q, in: query }
  exposes:
  - type: mcp
    port: 9000
    namespace: agent
    tools:
    - name: get-things
      description: Get the things.
      call: api.get
      inputParameters:
      - { name: q, type: string, description: Search text. }
${extra}`;

const ENV = { KEY_ONE: 'one-secret', KEY_TWO: 'two-secret', ACCOUNT_URL: 'unused.test', TENANT: 'acme' };

/** Expects nothing left, no `--strict` error and a file that loads; every rewrite as `kind: change`. */
function officialChanges(outcome: StrictOutcome): string[] {
  expect(outcome.result.left.map((l) => `${l.diagnostic.code} ${l.reason}`)).toEqual([]);
  expect(outcome.strictErrors).toEqual([]);
  expect(outcome.loadErrors).toBe(false);
  return outcome.result.altered.map((a) => `${a.kind}: ${a.change}`);
}

/** Expects `kind` (once per construct) as the only rewrite kind, a change text matching `change`, and an official, loading file. */
function expectRewritten(outcome: StrictOutcome, kind: string, change: RegExp): void {
  officialChanges(outcome);
  expect(new Set(outcome.result.altered.map((a) => a.kind))).toEqual(new Set([kind]));
  for (const a of outcome.result.altered) expect(a.change).toMatch(change);
}

let upstream: Upstream;
const runs: CapstanRun[] = [];
beforeAll(async () => {
  // An upstream that wants a credential: 401 without any, else the request echoed.
  upstream = await startUpstream((req, res) => (req.headers.authorization || req.headers.cookie || req.url.includes('client_secret=') ? json(res, 200, { ok: true, url: req.url }) : json(res, 401, { error: 'no credentials' })));
});
afterAll(async () => {
  await Promise.all(runs.map((r) => r.stop()));
  await upstream.close();
});

/** Serves `file` against the upstream (`--upstream override`; null: none), calls `get-things` once over MCP; the request the upstream saw and the tool result. */
async function callOnce(file: string, env: Record<string, string> = ENV, override: RunOptions['upstream'] | null = upstream.url): Promise<{ seen: Seen | undefined; isError: boolean }> {
  const run = await startCapstan([file], { namespaces: ['agent'], env, ...(override ? { upstream: override } : {}) });
  runs.push(run);
  const before = upstream.seen.length;
  const client = new Client({ name: 'fix-strict-adapters', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
  const result = await client.callTool({ name: 'get-things', arguments: { q: 'ships' } });
  await client.close();
  await run.stop();
  return { seen: upstream.seen[before], isError: result.isError === true };
}

/** A request's query as sorted name=value pairs, and its cookie header. */
const credentialsOf = (seen: Seen | undefined) => ({
  query: [...new URL(seen?.url ?? '/', 'http://x').searchParams].map(([k, v]) => `${k}=${v}`).sort(),
  cookie: seen?.headers.cookie,
});

describe('fix --strict: auth-scheme', () => {
  it('several keys at once: adapter-level parameters with the same value templates; the upstream gets the same query pairs', async () => {
    const text = capability(`    baseUri: https://api.test
    authentication:
      type: query
      parameters:
      - name: client_id
        value: '{{KEY_ONE}}'
      - name: client_secret
        value: '{{KEY_TWO}}'`);
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'auth-scheme', /sent as adapter-level `inputParameters` \(query\) with the same `value` templates: the upstream gets the same values/);
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed).toContain("    # capstan fix --strict moved to inputParameters (auth-scheme): authentication:\n    #     type: query\n");
    expect(fixed).toContain('    inputParameters: [{ name: client_id, in: query, value: "{{KEY_ONE}}" }, { name: client_secret, in: query, value: "{{KEY_TWO}}" }]');
    const [before, after] = [await callOnce(original), await callOnce(outcome.file)];
    expect(credentialsOf(before.seen).query).toEqual(['client_id=one-secret', 'client_secret=two-secret', 'q=ships']);
    expect(credentialsOf(after.seen)).toEqual(credentialsOf(before.seen));
    expect(after.isError).toBe(false);
  });

  it('an API key in a cookie: an adapter-level cookie parameter; the upstream gets the same cookie', async () => {
    const text = capability(`    baseUri: https://api.test
    authentication:
      type: apikey
      in: cookie
      name: sessionid
      value: '{{KEY_ONE}}'`);
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'auth-scheme', /\(cookie\) with the same `value` templates: the upstream gets the same values;.*a `forward` no longer sends a cookie credential/);
    const [before, after] = [await callOnce(original), await callOnce(outcome.file)];
    expect(before.seen?.headers.cookie).toBe('sessionid=one-secret');
    expect(credentialsOf(after.seen)).toEqual(credentialsOf(before.seen));
  });

  it('a signing scheme (oauth1): commented out as a strict removal; calls now go out unsigned and the upstream refuses them', async () => {
    const text = capability(`    baseUri: https://api.test
    authentication:
      type: oauth1
      consumerKey: '{{KEY_ONE}}'
      consumerSecret: '{{KEY_TWO}}'`);
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'auth-scheme', /calls to `api` now go out with no OAuth 1\.0a signature .*upstream that requires it refuses them.*a `--credentials` file cannot carry it.*plain `capstan fix`, which keeps the block/);
    expect(readFileSync(outcome.file, 'utf8')).toContain("    # capstan fix --strict removed (auth-scheme): authentication:\n    #     type: oauth1\n    #     consumerKey: '{{KEY_ONE}}'\n");
    const [before, after] = [await callOnce(original), await callOnce(outcome.file)];
    expect(before.seen?.headers.authorization).toMatch(/^OAuth .*oauth_signature_method="HMAC-SHA1"/);
    expect(before.isError).toBe(false);
    expect(after.seen?.headers.authorization).toBeUndefined();
    expect(after.isError).toBe(true);
  });

  it('a literal credential moves into the parameter and is not copied into a comment', () => {
    const outcome = fixStrict(capability(`    baseUri: https://api.test
    authentication:
      type: apikey
      in: cookie
      name: sessionid
      value: literal-session-key`));
    expectRewritten(outcome, 'auth-scheme', /\(cookie\)/);
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed.split('literal-session-key')).toHaveLength(2);
    expect(fixed).toContain('    inputParameters: [{ name: sessionid, in: cookie, value: literal-session-key }]\n');
  });

  it('certificate, aws-sig-v4, hmac: each named in its change', () => {
    const cases: Array<[string, RegExp]> = [
      ["type: certificate\n      certPath: '{{KEY_ONE}}'", /no client certificate in the TLS handshake/],
      ["{ type: aws-sig-v4, accessKeyId: '{{KEY_ONE}}', secretKey: '{{KEY_TWO}}', region: eu-west-1, service: ce }", /no AWS Signature V4/],
      ["type: hmac\n      apiId: '{{KEY_ONE}}'\n      apiKey: '{{KEY_TWO}}'", /no HMAC signature/],
    ];
    for (const [auth, change] of cases) {
      const outcome = fixStrict(capability(`    baseUri: https://api.test\n    authentication: ${auth.startsWith('{') ? auth : `\n      ${auth}`}`));
      expectRewritten(outcome, 'auth-scheme', change);
    }
  });
});

describe('fix --strict: templated-base-uri', () => {
  it('a whole URL from a variable: `https://` before it; a URL value then stops start-up naming --upstream, which serves the same requests', async () => {
    const text = capability("    baseUri: '{{ACCOUNT_URL}}'");
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'templated-base-uri', /`https:\/\/` is now written before `\{\{ACCOUNT_URL\}\}`, which must hold the host \(and port\) of `api` only.*`--upstream api=URL`/);
    expect(readFileSync(outcome.file, 'utf8')).toMatch(/\n    baseUri: ["']?https:\/\/\{\{ACCOUNT_URL\}\}["']?\n/);
    const env = { ...ENV, ACCOUNT_URL: upstream.url };
    const before = await callOnce(original, env, null);
    const refused = await runCliAsync(['run', outcome.file, '--host', '127.0.0.1', '--port', 'agent=0'], { env: childEnv(env) });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/the bind `ACCOUNT_URL` fills its host and holds a URL or a path; give the host only, or the whole URL with `--upstream api=URL`/);
    const after = await callOnce(outcome.file, env, { api: upstream.url });
    expect(before.seen?.url).toBe('/things?q=ships');
    expect(after.seen?.url).toBe(before.seen?.url);
  });

  it('placeholders in the path: the literal base stays, the templated segments lead every resource path; the same request target', async () => {
    const text = capability(`    baseUri: ${upstream.url}/{q}/v1`);
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'templated-base-uri', /`baseUri` is now `http:\/\/127\.0\.0\.1:\d+` and `\/\{q\}\/v1` leads every resource path of `api`: requests go to the same URLs/);
    expect(readFileSync(outcome.file, 'utf8')).toMatch(/\n      path: \/\{q\}\/v1\/things\n/);
    const [before, after] = [await callOnce(original, ENV, null), await callOnce(outcome.file, ENV, null)];
    expect(before.seen?.url).toBe('/ships/v1/things?q=ships');
    expect(after.seen?.url).toBe(before.seen?.url);
  });
});

const skillFile = `${minimalCapability(`    - name: get-things
      description: Get the things.
      call: api.get
    - name: say-nothing
      description: Calls nothing.`)}  - type: skill
    namespace: catalog
    skills:
    - name: things
      description: Things.
      call: api.get
      tools:
      - name: get-things
        description: Get the things.
        call: api.get
        hints: { readOnly: true }
      - name: orphan
        description: Nothing here makes this call.
        call: api.elsewhere
  - type: skill
    port: 9100
    namespace: empty-catalog
`;

describe('fix --strict: skill-calls and required-key', () => {
  it('skill keys Capstan ignores are commented out; a skill tool gets the `from` of the tool making its call; what cannot be completed is commented out', async () => {
    const original = tempSpec(skillFile);
    const outcome = fixStrict(skillFile);
    const changes = officialChanges(outcome);
    expect(changes.filter((c) => c.startsWith('skill-calls: none in what is served: the skill catalog ignores'))).toHaveLength(3);
    expect(changes).toContainEqual(expect.stringMatching(/^required-key: `capstan run` no longer stops at the skill tool `get-things` .*derived from the tool `get-things` of `agent`, which calls `api\.get`/));
    expect(changes).toContainEqual(expect.stringMatching(/^required-key: `capstan run` no longer stops at the skill tool `orphan` .*left out of the catalog, since no REST operation or MCP tool of the file calls `api\.elsewhere`/));
    expect(changes).toContainEqual(expect.stringMatching(/^required-key: the skill adapter `empty-catalog` is no longer served: it had no skills/));
    expect(changes).toContainEqual(expect.stringMatching(/^required-key: the skill adapter `catalog` now listens on port 9101 .*`--port catalog=0` still asks for a free one/));
    expect(changes).toContainEqual(expect.stringMatching(/^required-key: the MCP tool `say-nothing` is no longer listed: without `call` it reached no upstream/));
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed).toContain('        from: { sourceNamespace: agent, action: get-things }\n');
    expect(fixed).toContain('  # capstan fix --strict removed (required-key): - type: skill\n  #     port: 9100\n');
    // Before, `capstan run` stopped at the skill tool without `from`; after, the catalog serves it.
    const refused = await runCliAsync(['run', original, '--host', '127.0.0.1', '--port', 'agent=0', '--port', 'catalog=0', '--port', 'empty-catalog=0'], { env: childEnv() });
    expect(refused.stderr).toMatch(/tool `get-things`: needs exactly one of `from` and `instruction`/);
    const run = await startCapstan([outcome.file], { namespaces: ['agent', 'catalog'] });
    runs.push(run);
    const catalogUrl = run.adapters.find((a) => a.namespace === 'catalog')!.url;
    const skill = (await (await fetch(`${catalogUrl}/skills/things`)).json()) as { tools: Array<{ name: string; invocationRef?: unknown }> };
    expect(skill.tools).toEqual([expect.objectContaining({ name: 'get-things', invocationRef: { targetNamespace: 'agent', action: 'get-things', mode: 'mcp' } })]);
    expect(run.adapters.map((a) => a.namespace).sort()).toEqual(['agent', 'catalog']);
    const client = new Client({ name: 'fix-strict-adapters', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['get-things']);
    await client.close();
    await run.stop();
  });
});

const namedFile = (base: string) =>
  capability(`    baseUri: ${base}`)
    .replace('    namespace: api\n', '    namespace: open_api\n')
    .replace('      call: api.get\n', '      call: open_api.get\n')
    .replace('    - name: get-things\n', '    - name: get_things\n')
    .replace('        - { name: q, in: query }\n', "        - { name: 'filter[status]', in: query }\n")
    .replace('      - { name: q, type: string, description: Search text. }\n', "      - { name: 'filter[status]', type: string, description: Status to keep. }\n");

/** Calls the one tool of `file` with `args`; the request the upstream saw, and the tool names listed. */
async function callTool(file: string, args: Record<string, unknown>): Promise<{ seen: Seen | undefined; tools: Array<{ name: string; annotations?: unknown }> }> {
  const run = await startCapstan([file], { namespaces: ['agent'], env: ENV });
  runs.push(run);
  const before = upstream.seen.length;
  const client = new Client({ name: 'fix-strict-adapters', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
  const tools = (await client.listTools()).tools;
  await client.callTool({ name: tools[0]!.name, arguments: args });
  await client.close();
  await run.stop();
  return { seen: upstream.seen[before], tools: tools.map((t) => ({ name: t.name, ...(t.annotations ? { annotations: t.annotations } : {}) })) };
}

describe('fix --strict: name-as-written', () => {
  it('names respelled to their pattern with every reference: the tool is listed under its new name, the upstream gets the respelled parameter', async () => {
    const text = namedFile(upstream.url);
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    const changes = officialChanges(outcome);
    expect(changes).toContainEqual(expect.stringMatching(/^name-as-written: none in requests or answers: the consumed namespace `open_api` is now `open-api`/));
    expect(changes).toContainEqual(expect.stringMatching(/^name-as-written: the MCP tool `get_things` is now listed as `get-things`: a client calling `get_things` gets an unknown-tool error/));
    expect(changes).toContainEqual(expect.stringMatching(/^name-as-written: the upstream now receives the query parameter `filter_status` instead of `filter\[status\]`: no official name sends/));
    expect(changes).toContainEqual(expect.stringMatching(/^name-as-written: the served input `filter\[status\]` is now `filter_status`/));
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed).toContain('      call: open-api.get\n');
    const before = await callTool(original, { 'filter[status]': 'open' });
    const after = await callTool(outcome.file, { filter_status: 'open' });
    expect(before.tools.map((t) => t.name)).toEqual(['get_things']);
    expect(after.tools.map((t) => t.name)).toEqual(['get-things']);
    expect(new URL(before.seen!.url, 'http://x').searchParams.get('filter[status]')).toBe('open');
    expect(new URL(after.seen!.url, 'http://x').searchParams.get('filter_status')).toBe('open');
  });
});

const valueFile = (base: string) =>
  capability(`    baseUri: ${base}`)
    .replace('        method: GET\n', '        method: HEAD\n')
    .replace('        - { name: q, in: query }\n', '        - { name: q, in: query }\n        - { name: page, in: que }\n')
    .replace('      call: api.get\n', '      call: api.get\n      hints: { readOnly: f, idempotent: true }\n');

describe('fix --strict: name-as-written, a path parameter', () => {
  it('is left with why: its name is also its placeholder in the path', () => {
    const outcome = fixStrict(capability('    baseUri: https://api.test').replace('      path: /things\n', "      path: '/things/{thing[id]}'\n").replace('        - { name: q, in: query }\n', "        - { name: q, in: query }\n        - { name: 'thing[id]', in: path }\n"));
    expect(outcome.result.left.map((l) => l.reason)).toContainEqual(expect.stringMatching(/`--strict` cannot rewrite it: a path parameter is named in its path too; respell both by hand/));
  });
});

describe('fix --strict: value-read', () => {
  it('HEAD becomes GET (the upstream now gets GET); a non-boolean hint and an unknown `in` are commented out and serve the same', async () => {
    const text = valueFile(upstream.url);
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    const changes = officialChanges(outcome);
    expect(changes).toContainEqual(expect.stringMatching(/^value-read: the upstream now receives GET instead of HEAD/));
    expect(changes).toContainEqual(expect.stringMatching(/^value-read: none in what is served: a `readOnly` that is not a boolean is sent as no MCP annotation/));
    expect(changes).toContainEqual(expect.stringMatching(/^value-read: none in the requests: the parameter `page` with `in: que` was sent nowhere/));
    const before = await callTool(original, { q: 'ships', page: 2 });
    const after = await callTool(outcome.file, { q: 'ships', page: 2 });
    expect(before.seen?.method).toBe('HEAD');
    expect(after.seen?.method).toBe('GET');
    expect(after.seen?.url).toBe(before.seen?.url);
    expect(after.tools).toEqual(before.tools);
  });
});

describe('fix --strict: beta5-key', () => {
  it('a beta5 key in an alpha2 file is commented out; what it did stops (an MCP adapter\'s `ttlMs` hint leaves tools/list)', async () => {
    const text = capability('    baseUri: https://api.test').replace('    namespace: agent\n', '    namespace: agent\n    ttlMs: 60000\n');
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'beta5-key', /^what `ttlMs` did stops \(MCP list results carry this caching hint\); to keep it, run `capstan upgrade`/);
    expect(readFileSync(outcome.file, 'utf8')).toContain('    # capstan fix --strict removed (beta5-key): ttlMs: 60000\n');
    const listed = async (file: string) => {
      const run = await startCapstan([file], { namespaces: ['agent'], env: ENV });
      runs.push(run);
      const client = new Client({ name: 'fix-strict-adapters', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
      const result = (await client.listTools()) as Record<string, unknown>;
      await client.close();
      await run.stop();
      return result;
    };
    expect((await listed(original)).ttlMs).toBe(60000);
    expect((await listed(outcome.file)).ttlMs).toBeUndefined();
  });
});

describe('fix --strict: value-read, an empty baseUri', () => {
  it('becomes a host variable nothing binds: `capstan run` still stops until the upstream is given, and --upstream serves as before', async () => {
    const text = capability("    baseUri: ''");
    const original = tempSpec(text);
    const outcome = fixStrict(text);
    expectRewritten(outcome, 'value-read', /^`capstan run` still stops at start-up until the upstream of `api` is given, as with the empty base URI: pass `--upstream api=URL`, or declare a bind `API_HOST` holding its host/);
    expect(readFileSync(outcome.file, 'utf8')).toMatch(/\n    baseUri: ["']?https:\/\/\{\{API_HOST\}\}["']?\n/);
    for (const file of [original, outcome.file]) {
      const stopped = await runCliAsync(['run', file, '--host', '127.0.0.1', '--port', 'agent=0'], { env: childEnv(ENV) });
      expect(stopped.code).not.toBe(0);
      expect(stopped.stderr).toMatch(/upstream base URI for `api`/);
    }
    const [before, after] = [await callOnce(original, ENV, { api: upstream.url }), await callOnce(outcome.file, ENV, { api: upstream.url })];
    expect(before.seen?.url).toBe('/things?q=ships');
    expect(after.seen?.url).toBe(before.seen?.url);
  });
});
