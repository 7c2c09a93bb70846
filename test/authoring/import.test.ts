/**
 * `capstan import openapi` and `capstan create`: the ActionKit OpenAPI (extracted from the seed at
 * run time) becomes a capability that validates (with `--strict` import: passes `validate --strict`) and serves REST and MCP against a
 * local mock; the tutorial's mock APIs import too; import → export keeps every path, method and
 * parameter; Swagger 2 imports; `create` scaffolds a strict-valid, lint-clean capability.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { runCliAsync } from '../helpers/cli.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

type Obj = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** A local `$ref` (`#/components/parameters/X`) resolved in `doc`; other nodes as they are. */
function local(doc: Obj, node: Obj): Obj {
  if (typeof node.$ref !== 'string') return node;
  return node.$ref.slice(2).split('/').reduce((n: Obj, key: string) => n[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/** `METHOD path` → sorted `in:name` of the non-body parameters, for an OpenAPI 3 or Swagger 2 document. */
function surface(doc: Obj): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, item] of Object.entries<Obj>(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = item[m] as Obj | undefined;
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Obj) => local(doc, p)).filter((p: Obj) => p.in !== 'body' && p.in !== 'formData');
      out.set(`${m.toUpperCase()} ${path}`, [...new Set(params.map((p: Obj) => `${p.in}:${p.name}`))].sort());
    }
  }
  return out;
}

/**
 * Imports `spec` (validates clean), and with `--strict` (passes `validate --strict`), exports the
 * REST adapter of the first and compares the surfaces.
 */
async function roundTrip(spec: string, dir: string, name: string): Promise<{ cap: string; original: Obj; exported: Obj }> {
  const cap = join(dir, `${name}.capability.yaml`);
  const imported = await runCliAsync(['import', 'openapi', spec, '-o', cap]);
  expect(imported.code, imported.stderr).toBe(0);
  const valid = await runCliAsync(['validate', cap]);
  expect(valid.code, valid.stdout).toBe(0);
  const strictCap = join(dir, `${name}.strict.capability.yaml`);
  expect((await runCliAsync(['import', 'openapi', spec, '--strict', '-o', strictCap])).code).toBe(0);
  const strict = await runCliAsync(['validate', '--strict', strictCap]);
  expect(strict.code, strict.stdout).toBe(0);
  const out = join(dir, `${name}.exported.json`);
  expect((await runCliAsync(['export', 'openapi', cap, '--format', 'json', '-o', out])).code).toBe(0);
  const original = parse(readFileSync(spec, 'utf8')) as Obj;
  const exported = JSON.parse(readFileSync(out, 'utf8')) as Obj;
  expect(surface(exported)).toEqual(surface(original));
  return { cap, original, exported };
}

const SWAGGER2 = `swagger: "2.0"
info: { title: Pet Store, version: "1" }
host: pets.test
basePath: /v2
schemes: [https]
securityDefinitions:
  key: { type: apiKey, in: header, name: X-Api-Key }
security: [{ key: [] }]
paths:
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, required: true, type: integer }
    get:
      operationId: getPetById
      summary: Find a pet by id
      parameters:
        - { name: fields, in: query, type: string, description: Fields to return }
      responses:
        "200":
          description: the pet
          schema:
            type: object
            properties: { id: { type: integer }, name: { type: string }, tags: { type: array, items: { type: string } } }
    delete:
      operationId: deletePet
      parameters:
        - { name: X-Reason, in: header, type: string }
      responses: { "204": { description: deleted } }
  /pets:
    post:
      operationId: addPet
      parameters:
        - { name: pet, in: body, required: true, schema: { type: object, required: [name], properties: { name: { type: string }, age: { type: integer } } } }
      responses: { "201": { description: created } }
`;

describe('capstan import openapi', async () => {
  const dir = tempSpecDir({ 'swagger2.yaml': SWAGGER2 });

  it('imports Swagger 2: every operation, parameter and body field; hints from methods; apikey bind; round trip', async () => {
    const { cap } = await roundTrip(join(dir, 'swagger2.yaml'), dir, 'pets');
    const doc = parse(readFileSync(cap, 'utf8')) as Obj;
    expect(doc.binds[0].keys).toEqual({ KEY_KEY: 'KEY_KEY' });
    const consumed = doc.capability.consumes[0];
    expect(consumed.baseUri).toBe('https://pets.test/v2');
    expect(consumed.authentication).toEqual({ type: 'apikey', key: 'X-Api-Key', value: '{{KEY_KEY}}', placement: 'header' });
    const tools = doc.capability.exposes[1].tools as Obj[];
    expect(tools.map((t) => t.name)).toEqual(['get-pet-by-id', 'delete-pet', 'add-pet']);
    expect(tools[0]!.hints).toMatchObject({ readOnly: true, destructive: false });
    expect(tools[1]!.hints).toMatchObject({ readOnly: false, destructive: true, idempotent: true });
    expect(tools[2]!.inputParameters).toEqual([
      { name: 'name', type: 'string', description: 'The `name` body parameter.' },
      { name: 'age', type: 'integer', description: 'The `age` body parameter.', required: false },
    ]);
    expect(tools[0]!.inputParameters.find((p: Obj) => p.name === 'petId')).toMatchObject({ type: 'integer' });
    expect(tools[0]!.outputParameters[0]).toEqual({
      type: 'object', mapping: '$',
      properties: { id: { type: 'number', mapping: '$.id' }, name: { type: 'string', mapping: '$.name' }, tags: { type: 'array', mapping: '$.tags', items: { type: 'string', mapping: '$' } } },
    });
  });

  it('keeps tool names within 64 characters and unique', async () => {
    const long = 'a'.repeat(80);
    const spec = `openapi: 3.0.3\ninfo: { title: Long, version: "1" }\nservers: [{ url: "https://long.test" }]\npaths:\n  /a:\n    get: { operationId: ${long}, responses: { "200": { description: ok } } }\n  /b:\n    get: { operationId: ${long}, responses: { "200": { description: ok } } }\n`;
    const d = tempSpecDir({ 'long.yaml': spec });
    const { cap } = await roundTrip(join(d, 'long.yaml'), d, 'long');
    const names = (parse(readFileSync(cap, 'utf8')) as Obj).capability.exposes[1].tools.map((t: Obj) => t.name as string);
    expect(new Set(names).size).toBe(2);
    for (const n of names) expect(n).toMatch(/^[a-z0-9-]{1,64}$/);
  });

  it('exits 1 naming the file when the description cannot be read, 2 for usage', async () => {
    const bad = await runCliAsync(['import', 'openapi', join(dir, 'missing.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('missing.yaml');
    expect((await runCliAsync(['import', 'graphql', 'x'])).code).toBe(2);
  });
});

describe.skipIf(!HAVE_SHARED)('capstan import openapi on real descriptions (../shared)', async () => {
  const dir = tempSpecDir({});
  let upstream: Upstream;
  let run: CapstanRun | undefined;
  let cap: string;
  let namespaces: string[] = [];

  beforeAll(async () => {
    // The ActionKit OpenAPI is embedded in the seed page after its file name line.
    const seed = readFileSync(join(SHARED_DIR, 'seeds/001_dae26ee9964cecba.txt'), 'utf8');
    const start = seed.search(/^openapi: /m);
    writeFileSync(join(dir, 'actionkit.yaml'), seed.slice(start));
    upstream = await startUpstream((req, res) => {
      if (req.method === 'GET') json(res, 200, { actions: [{ name: 'SLACK_SEND_MESSAGE', description: 'Send a message', integration: 'slack', parameters: { type: 'object' } }], extra: 'kept' });
      else json(res, 200, { output: { ok: true, echoed: JSON.parse(req.body || '{}') }, integration: 'slack', action: req.url.split('/').pop() });
    });
  });
  afterAll(async () => {
    await run?.stop();
    await upstream?.close();
  });

  it('the ActionKit OpenAPI imports into a capability that passes --strict and keeps every path, method and parameter', async () => {
    cap = (await roundTrip(join(dir, 'actionkit.yaml'), dir, 'actionkit')).cap;
    const doc = parse(readFileSync(cap, 'utf8')) as Obj;
    namespaces = doc.capability.exposes.map((a: Obj) => a.namespace as string);
    expect(doc.capability.consumes[0].authentication).toEqual({ type: 'bearer', token: '{{BEARER_AUTH_TOKEN}}' });
    expect(doc.capability.exposes[1].tools.map((t: Obj) => t.name)).toEqual(['list-actions', 'run-action']);
  });

  it('serves the imported capability over REST and MCP against a local mock', async () => {
    const [restNs, mcpNs] = namespaces as [string, string];
    run = await startCapstan([cap], { namespaces, upstream: upstream.url, env: { BEARER_AUTH_TOKEN: 'test-user-token' } });
    const listed = await fetch(`${run.rest[restNs]}/projects/p-1/actions?format=openai`);
    expect(listed.status).toBe(200);
    // The 2xx schema has free-form parts (`parameters`), so no outputs are declared: the answer passes through whole.
    expect(await listed.json()).toEqual({ actions: [{ name: 'SLACK_SEND_MESSAGE', description: 'Send a message', integration: 'slack', parameters: { type: 'object' } }], extra: 'kept' });
    expect(upstream.seen[0]).toMatchObject({ method: 'GET', url: '/projects/p-1/actions?format=openai' });
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer test-user-token');

    const client = new Client({ name: 'import-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp[mcpNs]!)));
    const { tools } = await client.listTools();
    const runAction = tools.find((t) => t.name === 'run-action')!;
    expect(runAction.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(Object.keys(runAction.inputSchema.properties ?? {})).toEqual(['projectId', 'action', 'body']);
    const result = await client.callTool({ name: 'run-action', arguments: { projectId: 'p-1', action: 'SLACK_SEND_MESSAGE', body: { channelId: 'C1', text: 'hi' } } });
    expect(result.isError).toBeFalsy();
    const last = upstream.seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/projects/p-1/actions/SLACK_SEND_MESSAGE' });
    expect(JSON.parse(last.body)).toEqual({ channelId: 'C1', text: 'hi' });
    await client.close();
  });

  for (const file of ['naftiko-shipyard-maritime-registry-api.yaml', 'naftiko-shipyard-legacy-dockyard-api.yaml', 'naftiko-shipyard-maritime-registry-api.json']) {
    it(`the tutorial mock API ${file} imports, passes --strict and round-trips`, async () => {
      await roundTrip(join(SHARED_DIR, 'tutorial/mock-apis', file), dir, file.replace(/\W+/g, '-'));
    });
  }
});

describe('capstan create', async () => {
  it('scaffolds a capability that passes --strict and lints clean, and refuses to overwrite', async () => {
    const dir = tempSpecDir({});
    const file = join(dir, 'fleet.yaml');
    const created = await runCliAsync(['create', 'Fleet Tracker', '-o', file]);
    expect(created.code).toBe(0);
    expect((await runCliAsync(['validate', '--strict', file])).code).toBe(0);
    const lint = await runCliAsync(['lint', file, '--fail-severity', 'hint']);
    expect(lint.code, lint.stdout).toBe(0);
    expect((parse(readFileSync(file, 'utf8')) as Obj).info.label).toBe('Fleet Tracker');
    expect((await runCliAsync(['create', 'Fleet Tracker', '-o', file])).code).toBe(1);
    expect((await runCliAsync(['create'])).code).toBe(2);
  });
});
