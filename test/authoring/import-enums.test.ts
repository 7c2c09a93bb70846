/**
 * `capstan import openapi` carries the API's enums over as `x-capstan-enum` on the consumed
 * parameters (path, query and body fields, of any scalar type), so the imported capability served
 * by `capstan run` shows them in `/openapi.json` and in the MCP tools' input schemas, and refuses
 * any other value (REST 400, MCP tool error) before the upstream is called. `--strict` leaves
 * them out (official forms only) and says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { runCliAsync } from '../helpers/cli.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

type Obj = Record<string, any>;

const SHIPS = `openapi: 3.0.3
info: { title: Ships, version: "1" }
servers: [{ url: "https://ships.test/v1" }]
paths:
  /ships/{kind}:
    get:
      operationId: listShips
      parameters:
        - { name: kind, in: path, required: true, schema: { type: string, enum: [cargo, tanker] } }
        - { name: limit, in: query, schema: { type: integer, enum: [10, 50] } }
        - { name: status, in: query, schema: { type: string, nullable: true, enum: [active, retired, null] } }
        - { name: tags, in: query, schema: { type: array, items: { type: string, enum: [a, b] } } }
      responses: { "200": { description: ok } }
  /ships:
    post:
      operationId: addShip
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string }, flag: { type: string, enum: [PA, LR, MH] } } }
      responses: { "201": { description: created } }
`;

const dir = tempSpecDir({ 'ships.yaml': SHIPS });
const spec = join(dir, 'ships.yaml');
const cap = join(dir, 'ships.capability.yaml');
let doc: Obj;

/** The consumed parameters of operation `name`, by parameter name. */
function consumedParams(name: string): Record<string, Obj> {
  const ops = (doc.capability.consumes[0].resources as Obj[]).flatMap((r) => r.operations as Obj[]);
  return Object.fromEntries((ops.find((o) => o.name === name)!.inputParameters as Obj[]).map((p) => [p.name, p]));
}

describe('capstan import openapi: enums', () => {
  let imported: Awaited<ReturnType<typeof runCliAsync>>;

  beforeAll(async () => {
    imported = await runCliAsync(['import', 'openapi', spec, '-o', cap]);
    doc = parse(readFileSync(cap, 'utf8')) as Obj;
  });

  it('writes a string enum once on its consumed parameter (null left out), a number enum on the typed inputs; an enum of array items is a warning', () => {
    expect(imported.code, imported.stderr).toBe(0);
    const list = consumedParams('list-ships');
    expect(list.kind).toEqual({ name: 'kind', in: 'path', 'x-capstan-enum': ['cargo', 'tanker'] });
    expect(list.limit).toEqual({ name: 'limit', in: 'query' });
    const [restAdapter, mcpAdapter] = doc.capability.exposes as Obj[];
    const restLimit = (restAdapter!.resources as Obj[]).flatMap((r) => r.operations as Obj[]).find((o) => o.name === 'list-ships')!.inputParameters.find((p: Obj) => p.name === 'limit');
    expect(restLimit).toMatchObject({ type: 'integer', 'x-capstan-enum': [10, 50] });
    const toolLimit = (mcpAdapter!.tools as Obj[]).find((t) => t.name === 'list-ships')!.inputParameters.find((p: Obj) => p.name === 'limit');
    expect(toolLimit).toMatchObject({ type: 'integer', 'x-capstan-enum': [10, 50] });
    expect(list.status).toEqual({ name: 'status', in: 'query', 'x-capstan-enum': ['active', 'retired'] });
    expect(list.tags).toEqual({ name: 'tags', in: 'query' });
    expect(consumedParams('add-ship').flag).toEqual({ name: 'flag', in: 'body', 'x-capstan-enum': ['PA', 'LR', 'MH'] });
    expect(imported.stderr).toContain('GET /ships/{kind}: the enum of the items of `tags` is not carried over');
  });

  it('validates clean; --strict reports each enum as a Capstan extension, and nothing else', async () => {
    const plain = await runCliAsync(['validate', '--format', 'json', cap]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect((JSON.parse(plain.stdout) as Obj[]).flatMap((f: Obj) => f.diagnostics ?? [f])).toEqual([]);
    const strict = await runCliAsync(['validate', '--strict', '--format', 'json', cap]);
    expect(strict.code).toBe(1);
    const findings = (JSON.parse(strict.stdout) as Obj[]).flatMap((f: Obj) => f.diagnostics ?? [f]);
    // kind, status and flag on the consumed parameters; limit on the REST and the MCP input.
    expect(findings.map((d: Obj) => d.code)).toEqual(Array(5).fill('capstan-extension'));
  });

  it('--strict writes no enum, names what it left out, and passes validate --strict', async () => {
    const strictCap = join(dir, 'ships.strict.yaml');
    const out = await runCliAsync(['import', 'openapi', spec, '--strict', '-o', strictCap]);
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(strictCap, 'utf8')).not.toContain('x-capstan-enum');
    expect(out.stderr).toContain('GET /ships/{kind}: the enums of `kind`, `limit`, `status`, `tags` are left out');
    expect(out.stderr).toContain('POST /ships: the enums of `flag` are left out');
    const strict = await runCliAsync(['validate', '--strict', strictCap]);
    expect(strict.code, strict.stdout).toBe(0);
  });
});

describe('the imported capability, served: enums shown and enforced', () => {
  let upstream: Upstream;
  let run: CapstanRun;
  let rest: string;
  let client: Client;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => json(res, req.method === 'POST' ? 201 : 200, { ok: true, url: req.url }));
    const namespaces = (doc.capability.exposes as Obj[]).map((a) => a.namespace as string);
    run = await startCapstan([cap], { namespaces, upstream: upstream.url });
    rest = run.rest[namespaces[0]!]!;
    client = new Client({ name: 'import-enums', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp[namespaces[1]!]!)));
  });

  afterAll(async () => {
    await client?.close();
    await run?.stop();
    await upstream?.close();
  });

  it('REST: /openapi.json shows the enums of parameters and body fields', async () => {
    const openapi = (await (await fetch(`${rest}/openapi.json`)).json()) as Obj;
    const params = Object.fromEntries((openapi.paths['/ships/{kind}'].get.parameters as Obj[]).map((p) => [p.name, p.schema]));
    expect(params.kind.enum).toEqual(['cargo', 'tanker']);
    expect(params.limit.enum).toEqual([10, 50]);
    expect(params.status.enum).toEqual(['active', 'retired']);
    expect(params.tags.enum).toBeUndefined();
    const body = openapi.paths['/ships'].post.requestBody.content['application/json'].schema;
    expect(body.properties.flag.enum).toEqual(['PA', 'LR', 'MH']);
  });

  it('REST: a value outside an enum is a 400 naming the input, nothing sent; an allowed one reaches the upstream', async () => {
    const seen = upstream.seen.length;
    const bad = await fetch(`${rest}/ships/submarine?limit=11`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = JSON.stringify(await bad.json());
    expect(problem).toContain('kind');
    expect(problem).toContain('limit');
    const badBody = await fetch(`${rest}/ships`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Aurora', flag: 'XX' }) });
    expect(badBody.status).toBe(400);
    expect(JSON.stringify(await badBody.json())).toContain('flag');
    expect(upstream.seen.length).toBe(seen);
    const good = await fetch(`${rest}/ships/cargo?limit=10&status=active`);
    expect(good.status).toBe(200);
    expect(upstream.seen.at(-1)!.url).toBe('/v1/ships/cargo?limit=10&status=active');
  });

  it('MCP: the tools\' input schemas show the enums; a value outside one is a tool error, nothing sent', async () => {
    const { tools } = await client.listTools();
    const list = tools.find((t) => t.name === 'list-ships')!.inputSchema.properties as Obj;
    expect(list.kind.enum).toEqual(['cargo', 'tanker']);
    expect(list.limit.enum).toEqual([10, 50]);
    expect((tools.find((t) => t.name === 'add-ship')!.inputSchema.properties as Obj).flag.enum).toEqual(['PA', 'LR', 'MH']);
    const seen = upstream.seen.length;
    const bad = await client.callTool({ name: 'list-ships', arguments: { kind: 'submarine' } });
    expect(bad.isError).toBe(true);
    expect((bad.content as Array<{ text: string }>)[0]!.text).toContain('kind');
    const badBody = await client.callTool({ name: 'add-ship', arguments: { name: 'Aurora', flag: 'XX' } });
    expect(badBody.isError).toBe(true);
    expect(upstream.seen.length).toBe(seen);
    const good = await client.callTool({ name: 'add-ship', arguments: { name: 'Aurora', flag: 'PA' } });
    expect(good.isError).toBeFalsy();
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/ships' });
    expect(JSON.parse(upstream.seen.at(-1)!.body)).toEqual({ name: 'Aurora', flag: 'PA' });
  });
});
