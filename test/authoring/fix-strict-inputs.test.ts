/**
 * `capstan fix --strict` for inputs and Capstan extensions: `consumed-required` and
 * `rest-required` (the `required` alpha2 has not on consumed parameters nor REST inputs),
 * `undeclared-input`, `with-key-for-templates`, and the `capstan-extension` keys. Each small file
 * trips one kind; after the rewrite nothing is left, the change is reported, the file passes
 * `--strict` and loads; then the original and the rewritten file are served side by side
 * against one real upstream to show what the change text claims.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { runCliAsync } from '../helpers/cli.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { fixStrict, type StrictOutcome } from './strict-fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const HEAD = `naftiko: 1.0.0-alpha2
info:
  label: Test
  description: Test capability.
capability:
`;

/** One consumed POST operation `api.create` and the adapters given. */
const capability = (consumedParams: string, exposes: string, extra = ''): string => `${HEAD}${extra}  consumes:
  - type: http
    namespace: api
    baseUri: http://127.0.0.1:1
    resources:
    - name: things
      path: /things
      operations:
      - name: create
        method: POST
        inputParameters:
${consumedParams}
  exposes:
${exposes}`;

/** A REST adapter `rest` with one operation `POST /things` calling `api.create`, with the given inputs. */
const restCreate = (inputs: string, extra: { adapter?: string; operation?: string } = {}): string => `  - type: rest
    port: 9001
    namespace: rest
${extra.adapter ?? ''}    resources:
    - path: /things
      name: things
      description: Things.
      operations:
      - method: POST
        name: create
        description: Create a thing.
        call: api.create
${extra.operation ?? ''}        inputParameters:
${inputs}`;

/** An MCP adapter `agent` with one tool `create-thing` calling `api.create`, with `extra` lines of the tool. */
const mcpCreate = (extra = ''): string => `  - type: mcp
    port: 9002
    namespace: agent
    tools:
    - name: create-thing
      description: Create a thing.
      call: api.create
${extra}`;

/** The consumed `api.create` taking one body parameter `kind`. */
const KIND_BODY = `        - name: kind
          in: body`;

let upstream: Upstream;
const runs: CapstanRun[] = [];

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { got: req.body, url: req.url }));
});
afterAll(async () => {
  await Promise.all(runs.map((r) => r.stop()));
  await upstream?.close();
});

/** Serves the original text and the fixed file side by side. */
async function serveBoth(original: string, outcome: StrictOutcome, namespaces: string[]): Promise<[CapstanRun, CapstanRun]> {
  const started = await Promise.all([tempSpec(original), outcome.file].map((f) => startCapstan([f], { namespaces, upstream: upstream.url })));
  runs.push(...started);
  return started as [CapstanRun, CapstanRun];
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function mcpTools(url: string): Promise<{ tools: unknown[]; call: (name: string, args: Record<string, unknown>) => Promise<unknown>; close: () => Promise<void> }> {
  const client = new Client({ name: 'fix-strict-inputs', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const { tools } = await client.listTools();
  return { tools, call: async (name, args) => client.callTool({ name, arguments: args }), close: () => client.close() };
}

function expectClean(outcome: StrictOutcome, kinds: string[]): void {
  expect(outcome.result.left).toEqual([]);
  expect(outcome.result.altered.map((a) => a.kind ?? a.diagnostic.code).sort()).toEqual([...kinds].sort());
  expect(outcome.strictErrors).toEqual([]);
  expect(outcome.loadErrors).toBe(false);
}

describe('fix --strict: required', () => {
  const original = capability(
    `        - name: title
          in: body
          required: true`,
    `${restCreate(`        - name: title
          in: body
          type: string
          description: The title.
        - name: note
          in: query
          type: string
          description: A note.
          required: true
`)}${mcpCreate()}`,
  );

  it('consumed-required and rest-required: `required` is dropped, each change reported, the file passes --strict', () => {
    const outcome = fixStrict(original);
    expectClean(outcome, ['consumed-required', 'rest-required']);
    const consumed = outcome.result.altered.find((a) => a.kind === 'consumed-required')!;
    expect(consumed.change).toMatch(/`POST \/things` \(`title`\) is no longer required, so a REST call without it reaches the upstream instead of a 400/);
    expect(outcome.result.altered.find((a) => a.kind === 'rest-required')!.change).toMatch(/REST input `note` is no longer required: a call without it reaches the upstream instead of a 400/);
    expect(readFileSync(outcome.file, 'utf8')).not.toMatch(/required: true/);
  });

  it('served: valid calls answer the same; a REST call without the inputs reaches the upstream instead of a 400; the MCP tool keeps `title` required', async () => {
    const [before, after] = await serveBoth(original, fixStrict(original), ['rest', 'agent']);
    const valid = await Promise.all([before, after].map(async (r) => (await post(`${r.rest.rest}/things?note=n`, { title: 'T' })).text()));
    expect(valid[1]).toBe(valid[0]);
    expect(JSON.parse(valid[0]!).got).toBe('{"title":"T"}');
    const seen = upstream.seen.length;
    expect((await post(`${before.rest.rest}/things`, {})).status).toBe(400);
    expect(upstream.seen.length).toBe(seen);
    expect((await post(`${after.rest.rest}/things`, {})).status).toBe(200);
    expect(upstream.seen.length).toBe(seen + 1);
    const [a, b] = await Promise.all([before, after].map((r) => mcpTools(r.mcp.agent!)));
    // The written-out input gains a description (`fix` adds missing ones); its type and `required` stay.
    const shape = (tools: unknown[]) => JSON.stringify(tools, (k, v) => (k === 'description' ? undefined : v));
    expect(shape(b!.tools)).toBe(shape(a!.tools));
    expect(shape(a!.tools)).toMatch(/"required":\["title"\]/);
    await Promise.all([a!.close(), b!.close()]);
  });
});

describe('fix --strict: Capstan extensions', () => {
  const served = capability(
    KIND_BODY,
    restCreate(
      `        - name: kind
          in: body
          type: string
          description: The kind.
          x-capstan-enum: [small, large]
`,
      { adapter: '    x-capstan-rateLimit: { max: 1000, timeWindow: 60000 }\n', operation: '        cacheControl: { maxAge: 30 }\n' },
    ),
    `  resiliency:
    retry: { attempts: 0 }
`,
  );

  it('each extension is commented out as a strict removal, saying what is lost and which flag can set it instead', () => {
    const outcome = fixStrict(served);
    expectClean(outcome, ['capstan-extension', 'capstan-extension', 'capstan-extension', 'capstan-extension']);
    const text = readFileSync(outcome.file, 'utf8');
    expect(text).toContain('    # capstan fix --strict removed (capstan-extension): x-capstan-rateLimit: { max: 1000, timeWindow: 60000 }\n');
    expect(text).toContain('          # capstan fix --strict removed (capstan-extension): x-capstan-enum: [small, large]\n');
    expect(text).toContain('  # capstan fix --strict removed (capstan-extension): resiliency:\n  #     retry: { attempts: 0 }\n');
    const changes = outcome.result.altered.map((a) => a.change).join('\n');
    expect(changes).toMatch(/`x-capstan-enum` is removed .*input `kind` no longer accepts only small, large: .*reaches the upstream instead of a 400/);
    expect(changes).toMatch(/`x-capstan-rateLimit` is removed .*adapter `rest` .*`capstan run --rate-limit N\/WINDOW`/);
    expect(changes).toMatch(/`resiliency` is removed .*the capability .*`--retries`/);
    expect(changes).toMatch(/`cacheControl` is removed .*`Cache-Control`/);
  });

  it('a literal OAuth2 client secret is never copied into the comment', () => {
    const text = capability(
      KIND_BODY,
      mcpCreate(),
    ).replace('    baseUri: http://127.0.0.1:1\n', `    baseUri: http://127.0.0.1:1
    authentication:
      type: oauth2
      authorizationServerUri: https://auth.test
      tokenEndpoint: https://auth.test/token
      resource: https://api.test
      x-capstan-clientId: '{{CLIENT_ID}}'
      x-capstan-clientSecret: literal-secret-value-42
`);
    const outcome = fixStrict(text);
    expectClean(outcome, ['capstan-extension', 'capstan-extension']);
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed).not.toContain('literal-secret-value-42');
    expect(fixed).toContain("      # capstan fix --strict removed (capstan-extension): x-capstan-clientId: '{{CLIENT_ID}}'\n");
    expect(fixed).toContain('      # capstan fix --strict removed (capstan-extension): x-capstan-clientSecret: <a literal secret, left out>\n');
    for (const a of outcome.result.altered) expect(a.change).toMatch(/the OAuth2 client of consumed API `api` is gone: Capstan fetches no token/);
    expect(JSON.stringify(outcome.result)).not.toContain('literal-secret-value-42');
  });

  it('served: an allowed value answers the same; another one reaches the upstream instead of a 400; Cache-Control and RateLimit headers are gone', async () => {
    const [before, after] = await serveBoth(served, fixStrict(served), ['rest']);
    const [a, b] = await Promise.all([before, after].map((r) => post(`${r.rest.rest}/things`, { kind: 'small' })));
    expect(await b!.text()).toBe(await a!.text());
    expect(a!.headers.get('cache-control')).toBe('public, max-age=30');
    expect(b!.headers.get('cache-control')).toBeNull();
    expect(a!.headers.get('ratelimit-limit')).toBe('1000');
    expect(b!.headers.get('ratelimit-limit')).toBeNull();
    const seen = upstream.seen.length;
    expect((await post(`${before.rest.rest}/things`, { kind: 'huge' })).status).toBe(400);
    expect(upstream.seen.length).toBe(seen);
    const outside = await post(`${after.rest.rest}/things`, { kind: 'huge' });
    expect(outside.status).toBe(200);
    expect(JSON.parse((await outside.json() as { got: string }).got)).toEqual({ kind: 'huge' });
  });
});




/** The body the upstream saw for an MCP tool call (the echo's `got`), parsed. */
async function sentBody(call: Promise<unknown>): Promise<unknown> {
  const result = (await call) as { content: Array<{ text: string }> };
  if (!result.content[0]?.text.startsWith('{')) throw new Error(`not an upstream echo: ${JSON.stringify(result)}`);
  return JSON.parse((JSON.parse(result.content[0]!.text) as { got: string }).got);
}

/** A consumed `api.create` whose JSON body reads `template` into `card`, called by `tools`. */
const bodyTemplate = (template: string, tools: string, rest = ''): string =>
  capability(
    `        - name: note
          in: query
        body:
          type: json
          data:
            card: '${template}'`,
    `${rest}  - type: mcp
    port: 9002
    namespace: agent
    tools:
${tools}`,
  ).replace('        inputParameters:\n        - name: note\n          in: query\n        body:', '        body:');

describe('fix --strict: undeclared-input', () => {
  const prefixed = bodyTemplate(
    '{{tools.card}}',
    `    - name: create-thing
      description: Create a thing.
      call: api.create
`,
    restCreate('        - { name: note, in: query, type: string, description: A note. }\n'),
  );

  it('`{{tools.x}}`: the prefix goes, `x` is declared as an optional input of the MCP tool calling it; REST callers are named', () => {
    const outcome = fixStrict(prefixed);
    expectClean(outcome, ['undeclared-input']);
    const text = readFileSync(outcome.file, 'utf8');
    expect(text).toContain("            card: '{{card}}'\n");
    expect(text).toContain('      inputParameters: [{ name: card, type: string, description: The card input., required: false }]\n');
    expect(outcome.result.altered[0]!.change).toMatch(/`\{\{tools\.card\}\}` becomes `\{\{card\}\}` \(templates do not read the `tools\.` prefix, so it rendered empty\): a call that gives `card` now sends it.*declared as an optional string input of tool `create-thing` \(the input schema gains it.*; REST `POST \/things` still cannot give it/);
  });

  it('served: a tool call giving `card` now sends it (it sent null); without it, and over REST, answers are the same', async () => {
    const [before, after] = await serveBoth(prefixed, fixStrict(prefixed), ['rest', 'agent']);
    const [a, b] = await Promise.all([before, after].map((r) => mcpTools(r.mcp.agent!)));
    expect(await sentBody(a!.call('create-thing', { card: 'C1' }))).toEqual({ card: null });
    expect(await sentBody(b!.call('create-thing', { card: 'C1' }))).toEqual({ card: 'C1' });
    expect(await sentBody(b!.call('create-thing', {}))).toEqual(await sentBody(a!.call('create-thing', {})));
    expect(JSON.stringify(b!.tools)).toMatch(/"card":\{"type":"string"/);
    await Promise.all([a!.close(), b!.close()]);
    const rest = await Promise.all([before, after].map(async (r) => (await post(`${r.rest.rest}/things?note=n`, { card: 'C1' })).json()));
    expect(rest[1]).toEqual(rest[0]);
  });

  const bare = bodyTemplate(
    '{{card}}',
    `    - name: create-thing
      description: Create a thing.
      call: api.create
`,
  );

  it('`{{x}}` that a tool declaring no inputs passes on whole: declared as an optional input there, the same answers', async () => {
    const outcome = fixStrict(bare);
    expectClean(outcome, ['undeclared-input']);
    expect(outcome.result.altered[0]!.change).toMatch(/`\{\{card\}\}` renders the caller's `card` as before; `card` is declared as an optional string input of tool `create-thing` \(the input schema gains it; the value was passed on already, so answers stay the same/);
    const [before, after] = await serveBoth(bare, outcome, ['agent']);
    const [a, b] = await Promise.all([before, after].map((r) => mcpTools(r.mcp.agent!)));
    expect(await sentBody(a!.call('create-thing', { card: 'C1' }))).toEqual({ card: 'C1' });
    expect(await sentBody(b!.call('create-thing', { card: 'C1' }))).toEqual({ card: 'C1' });
    expect(await sentBody(b!.call('create-thing', {}))).toEqual(await sentBody(a!.call('create-thing', {})));
    expect(JSON.stringify(a!.tools)).not.toContain('card');
    expect(JSON.stringify(b!.tools)).toMatch(/"card":\{"type":"string"/);
    await Promise.all([a!.close(), b!.close()]);
  });

  const withRef = capability(
    KIND_BODY,
    mcpCreate(`      with:
        kind: agent.kind
      inputParameters:
      - { name: note, type: string, description: A note. }
`),
  );

  it('a tool `with` naming an undeclared input: declared there, optional; a call giving it now has it passed on', async () => {
    const outcome = fixStrict(withRef);
    expectClean(outcome, ['undeclared-input']);
    expect(outcome.result.altered[0]!.change).toMatch(/`agent\.kind` now names a declared input: `kind` is declared as an optional string input of tool `create-thing`.*a call that gives `kind` now has it passed on, where it was dropped \(tool `create-thing` passes on declared inputs only\)/);
    const [before, after] = await serveBoth(withRef, outcome, ['agent']);
    const [a, b] = await Promise.all([before, after].map((r) => mcpTools(r.mcp.agent!)));
    const got = async (call: Promise<unknown>) => (JSON.parse(((await call) as { content: Array<{ text: string }> }).content[0]!.text) as { got: string }).got;
    expect(await got(a!.call('create-thing', { note: 'n', kind: 'k' }))).toBe('');
    expect(await got(b!.call('create-thing', { note: 'n', kind: 'k' }))).toBe('{"kind":"k"}');
    expect(await got(b!.call('create-thing', { note: 'n' }))).toBe(await got(a!.call('create-thing', { note: 'n' })));
    await Promise.all([a!.close(), b!.close()]);
  });

  const credential = capability(
    KIND_BODY,
    mcpCreate(),
  ).replace('    baseUri: http://127.0.0.1:1\n', "    baseUri: http://127.0.0.1:1\n    authentication:\n      type: bearer\n      token: '{{API_TOKEN}}'\n");

  it('`{{VAR}}` in a consumed authentication: read from the environment variable through a new bind; start-up needs it', async () => {
    const outcome = fixStrict(credential);
    expectClean(outcome, ['undeclared-input']);
    expect(readFileSync(outcome.file, 'utf8')).toMatch(/\nbinds: \[\{ namespace: env, description: .*, keys: \{ API_TOKEN: API_TOKEN \} \}\]\n$/);
    expect(outcome.result.altered[0]!.change).toMatch(/now read from the environment variable `API_TOKEN` \(bind `env`\): requests carry its value where the credential rendered empty \(and was left out\), and `capstan run` stops at start-up while it is unset/);
    const started = await Promise.all([tempSpec(credential), outcome.file].map((f) => startCapstan([f], { namespaces: ['agent'], upstream: upstream.url, env: { API_TOKEN: 'tok-1' } })));
    runs.push(...started);
    const auth: unknown[] = [];
    for (const run of started) {
      const client = await mcpTools(run.mcp.agent!);
      await client.call('create-thing', {});
      auth.push(upstream.seen.at(-1)!.headers.authorization);
      await client.close();
    }
    expect(auth).toEqual([undefined, 'Bearer tok-1']);
    const unset = await runCliAsync(['run', outcome.file, '--host', '127.0.0.1', '--port', 'agent=0'], { timeoutMs: 20_000 });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/API_TOKEN/);
  });
});

describe('fix --strict: undeclared-input, REST callers and uncalled operations', () => {
  const restOnly = capability(
    `        - name: note
          in: query
        body:
          type: json
          data:
            card: '{{tools.card}}'`,
    restCreate('        - { name: note, in: query, type: string, description: A note. }\n'),
  ).replace('        inputParameters:\n        - name: note\n          in: query\n        body:', '        body:');

  it('only REST calls the operation: the input is declared there, in the body; a call that sends it now has it passed on', async () => {
    const outcome = fixStrict(restOnly);
    expectClean(outcome, ['undeclared-input']);
    expect(readFileSync(outcome.file, 'utf8')).toContain('- { name: card, in: body, type: string, description: The card body parameter. }');
    expect(outcome.result.altered[0]!.change).toMatch(/declared as an optional string input of REST `POST \/things` \(shown in the input schema or OpenAPI; a call that gives `card` now has it passed on/);
    const [before, after] = await serveBoth(restOnly, outcome, ['rest']);
    const got = await Promise.all([before, after].map(async (r) => JSON.parse(((await (await post(`${r.rest.rest}/things?note=n`, { card: 'C1' })).json()) as { got: string }).got)));
    expect(got).toEqual([{ card: null }, { card: 'C1' }]);
    const openapi = (await (await fetch(`${after.rest.rest}/openapi.json`)).text());
    expect(openapi).toContain('"card"');
  });

  const uncalled = capability(KIND_BODY, mcpCreate()).replace(
    '  exposes:\n',
    `      - name: archive
        method: POST
        body:
          type: json
          data:
            reason: '{{tools.reason}}'
  exposes:
`,
  );

  it('an operation nothing calls is commented out, which serves the same', async () => {
    const outcome = fixStrict(uncalled);
    expectClean(outcome, ['undeclared-input']);
    expect(readFileSync(outcome.file, 'utf8')).toContain('      # capstan fix --strict removed (undeclared-input): - name: archive\n');
    expect(outcome.result.altered[0]!.change).toMatch(/consumed operation `api\.archive` is commented out: nothing served calls it, so nothing served changes/);
    const [before, after] = await serveBoth(uncalled, outcome, ['agent']);
    const [a, b] = await Promise.all([before, after].map((r) => mcpTools(r.mcp.agent!)));
    expect(b!.tools).toEqual(a!.tools);
    expect(await sentBody(b!.call('create-thing', { kind: 'k' }))).toEqual(await sentBody(a!.call('create-thing', { kind: 'k' })));
    await Promise.all([a!.close(), b!.close()]);
  });
});

describe('fix --strict: with-key-for-templates', () => {
  const templated = capability(
    KIND_BODY,
    mcpCreate(`      with:
        kind: agent.kind
        label: agent.kind
      inputParameters:
      - { name: kind, type: string, description: The kind. }
      outputParameters:
      - type: string
        value: 'made {{label}}'
`),
  );

  it('a key an output template reads: the template reads the input instead, the entry is commented out, the same answer', async () => {
    const outcome = fixStrict(templated);
    expectClean(outcome, ['with-key-for-templates']);
    const text = readFileSync(outcome.file, 'utf8');
    expect(text).toContain("        value: 'made {{kind}}'\n");
    expect(text).toContain('        # capstan fix --strict removed (with-key-for-templates): label: agent.kind\n');
    const [before, after] = await serveBoth(templated, outcome, ['agent']);
    const answers = [];
    for (const run of [before, after]) {
      const client = await mcpTools(run.mcp.agent!);
      answers.push(await client.call('create-thing', { kind: 'big' }));
      await client.close();
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(JSON.stringify(answers[0])).toContain('made big');
  });

  const inputless = capability(
    KIND_BODY,
    mcpCreate(`      with:
        kind: agent.kind
        extra: agent.extra
`),
  );

  it('a key that makes an input of a tool declaring none: the derived inputs are written out, the same schema and answers', async () => {
    const outcome = fixStrict(inputless);
    expectClean(outcome, ['with-key-for-templates']);
    const [before, after] = await serveBoth(inputless, outcome, ['agent']);
    const [a, b] = await Promise.all([before, after].map((r) => mcpTools(r.mcp.agent!)));
    const shape = (tools: unknown[]) => JSON.stringify(tools, (k, v) => (k === 'description' ? undefined : v));
    expect(shape(b!.tools)).toBe(shape(a!.tools));
    expect(shape(a!.tools)).toMatch(/"extra"/);
    for (const args of [{ kind: 'k', extra: 'e' }, { kind: 'k' }]) expect(await sentBody(b!.call('create-thing', args))).toEqual(await sentBody(a!.call('create-thing', args)));
    await Promise.all([a!.close(), b!.close()]);
  });
});
