/**
 * `x-capstan-enum` (docs/conformance.md, row A60): the values an input accepts, declared on a REST
 * input, a tool input or a consumed parameter (the inputs that feed it inherit the list, their
 * own list wins). OpenAPI and tool input schemas show a real `enum`; a value outside it is a 400
 * problem+json over REST and a tool error over MCP, before any upstream call. The default mode
 * accepts the key silently (a documented Capstan extension); `--strict` reports each one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { Client, StreamableHTTPClientTransport } from '../../../packages/mcp/testing/sdk.js';
import { checkProblem } from '../../helpers/http.js';
import { tempSpec } from '../../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { compile, makeRunner, mcpAdapter } from '../../mcp/helpers.js';
import { serveInProcess, type Served } from '../../rest/inprocess.js';

const YAML = `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Ships of the fleet
capability:
  aggregates:
    - label: Fleet functions
      namespace: fleet
      functions:
        - name: list-ships
          description: List ships
          inputParameters:
            - name: status
              type: string
              description: Ship status
          call: registry.list-ships
          with:
            status: fleet.status
  consumes:
    - type: http
      namespace: registry
      baseUri: http://127.0.0.1:9/api
      resources:
        - name: ships
          path: /ships
          operations:
            - name: list-ships
              method: GET
              inputParameters:
                - name: status
                  in: query
                  x-capstan-enum: [active, retired]
                - name: limit
                  in: query
  exposes:
    - type: rest
      namespace: fleet-rest
      port: 8080
      resources:
        - path: /ships
          name: ships
          operations:
            - method: GET
              name: list-ships
              inputParameters:
                - name: state
                  in: query
                  type: string
                  description: Ship status
                - name: limit
                  in: query
                  type: integer
                  description: Page size
                  x-capstan-enum: [10, 20]
              call: registry.list-ships
              with:
                status: fleet-rest.state
                limit: fleet-rest.limit
        - path: /active-ships
          name: active-ships
          operations:
            - method: GET
              name: list-active
              inputParameters:
                - name: status
                  in: query
                  type: string
                  description: Ship status
                  x-capstan-enum: [active]
              call: registry.list-ships
        - path: /any-ships
          name: any-ships
          operations:
            - method: GET
              name: list-any
              call: registry.list-ships
              with:
                status: fleet-rest.status
    - type: mcp
      namespace: fleet-tools
      port: 3001
      tools:
        - name: list-ships
          description: List ships
          inputParameters:
            - name: status
              type: string
              description: Ship status
            - name: limit
              type: integer
              description: Page size
              required: false
              x-capstan-enum: [10, 20]
          call: registry.list-ships
          with:
            status: fleet-tools.status
            limit: fleet-tools.limit
        - name: list-ships-derived
          description: List ships, inputs derived from the call
          call: registry.list-ships
        - name: list-ships-fn
          description: List ships through a function
          ref: fleet.list-ships
`;

const STATUS = ['active', 'retired'];

/** The 1-based lines of `text` that contain `needle`. */
const linesWith = (text: string, needle: string): number[] => text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));

let upstream: Upstream;
let rest: Served;
let mcp: McpAdapter;
let closeRunner: () => Promise<void>;
let client: Client;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { url: req.url }));
  rest = await serveInProcess([YAML], { executor: { upstreams: { registry: `${upstream.url}/api` } } });
  const { graph } = compile(YAML);
  const runner = await makeRunner(graph, { registry: `${upstream.url}/api` });
  closeRunner = () => runner.close();
  mcp = createMcpAdapter(mcpAdapter(graph), runner, { logger: () => undefined });
  const { port } = await mcp.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'enum-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
});

afterAll(async () => {
  await client?.close();
  await mcp?.close();
  await closeRunner?.();
  await rest?.close();
  await upstream?.close();
});

/** A REST GET; returns the answer and the upstream URL it reached, if any. */
async function get(path: string): Promise<{ status: number; headers: Headers; text: string; reached?: string }> {
  const before = upstream.seen.length;
  const res = await fetch(rest.url + path);
  const text = await res.text();
  const seen = upstream.seen.slice(before)[0];
  return { status: res.status, headers: res.headers, text, ...(seen ? { reached: seen.url } : {}) };
}

/** A tool call; returns the result and the upstream URL it reached, if any. */
async function call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string; reached?: string }> {
  const before = upstream.seen.length;
  const result = await client.callTool({ name, arguments: args });
  const seen = upstream.seen.slice(before)[0];
  return { isError: result.isError === true, text: (result.content as Array<{ text: string }>)[0]!.text, ...(seen ? { reached: seen.url } : {}) };
}

describe('x-capstan-enum in validate', () => {
  it('default mode: a documented Capstan extension, no finding; --strict: one capstan-extension error per key', () => {
    const file = tempSpec(YAML);
    // (the one finding is the implied input of /any-ships, which the fixture uses on purpose)
    expect(checkSpec(file).diagnostics.map((d) => d.code)).toEqual(['defacto-implicit-input']);
    const strict = checkSpec(file, { strict: true }).diagnostics.filter((d) => d.code !== 'defacto-implicit-input');
    const keys = linesWith(YAML, 'x-capstan-enum');
    expect(keys).toHaveLength(4);
    expect(strict.map((d) => `${d.severity} ${d.code} ${d.line}`)).toEqual(keys.map((line) => `error capstan-extension ${line}`));
    expect(strict[0]!.message).toBe('`x-capstan-enum` is a Capstan extension (the values an input accepts), not part of the official alpha2 schema');
  });

  it('a list on an array input is ignored with a warning; values the type cannot carry are warned about', () => {
    const structured = YAML.replace('                  type: string\n                  description: Ship status\n                  x-capstan-enum: [active]', '                  type: array\n                  description: Ship status\n                  x-capstan-enum: [active]');
    const codes = (text: string) => checkSpec(tempSpec(text)).diagnostics.filter((d) => d.code !== 'defacto-implicit-input');
    expect(codes(structured).map((d) => `${d.code} ${d.line}`)).toEqual([`enum-on-structured-input ${linesWith(YAML, 'x-capstan-enum: [active]')[0]!}`]);
    const misfit = YAML.replace('x-capstan-enum: [10, 20]\n              call', 'x-capstan-enum: [10, "20"]\n              call');
    const found = codes(misfit);
    expect(found.map((d) => `${d.code} ${d.line}`)).toEqual([`enum-value-type ${linesWith(YAML, 'x-capstan-enum: [10, 20]')[0]!}`]);
    expect(found[0]!.message).toContain('`"20"`');
  });

  it('an array input feeding a parameter with an enum does not inherit it (the list names scalar values)', () => {
    const arrayInput = YAML.replace('                - name: state\n                  in: query\n                  type: string', '                - name: state\n                  in: query\n                  type: array');
    const graph = checkSpec(tempSpec(arrayInput)).graph!;
    const restAdapter = graph.adapters.find((a) => a.type === 'rest');
    const state = restAdapter?.type === 'rest' ? restAdapter.resources[0]!.operations[0]!.inputParameters.find((p) => p.name === 'state') : undefined;
    expect(state).toMatchObject({ name: 'state', type: 'array' });
    expect(state).not.toHaveProperty('enum');
  });

  it('a malformed list is a schema warning (empty list)', () => {
    const empty = YAML.replace('x-capstan-enum: [active]', 'x-capstan-enum: []');
    const found = checkSpec(tempSpec(empty)).diagnostics.filter((d) => d.code !== 'defacto-implicit-input');
    expect(found.map((d) => `${d.severity} ${d.code} ${d.line}`)).toEqual([`warning too-few-items ${linesWith(YAML, 'x-capstan-enum: [active]')[0]!}`]);
  });
});

describe('x-capstan-enum over REST', () => {
  it('OpenAPI shows real enums: inherited through `with`, declared (integers), own over inherited, inherited by implied inputs', async () => {
    const doc = (await (await fetch(`${rest.url}/openapi.json`)).json()) as { paths: Record<string, { get: { parameters: Array<{ name: string; schema: Record<string, unknown> }> } }> };
    const schemaOf = (path: string, name: string) => doc.paths[path]!.get.parameters.find((p) => p.name === name)!.schema;
    expect(schemaOf('/ships', 'state')).toEqual({ type: 'string', enum: STATUS });
    expect(schemaOf('/ships', 'limit')).toEqual({ type: 'integer', enum: [10, 20] });
    expect(schemaOf('/active-ships', 'status')).toEqual({ type: 'string', enum: ['active'] });
    expect(schemaOf('/any-ships', 'status')).toEqual({ type: 'string', enum: STATUS });
    expect(doc.paths['/any-ships']!.get.parameters.map((p) => p.name)).toEqual(['status']);
  });

  it('values outside the enum are a 400 problem+json naming each input, nothing sent', async () => {
    const bad = await get('/ships?state=sunk&limit=15');
    const problem = checkProblem(bad.status, bad.headers, bad.text, { status: 400, slug: 'invalid-input' });
    expect(problem.errors).toEqual([
      { name: 'state', in: 'query', message: '`state` must be one of "active", "retired"; got "sunk"' },
      { name: 'limit', in: 'query', message: '`limit` must be one of 10, 20; got 15' },
    ]);
    expect(bad.reached).toBeUndefined();
    for (const path of ['/active-ships?status=retired', '/any-ships?status=sunk']) {
      const refused = await get(path);
      expect(refused.status, path).toBe(400);
      expect(refused.reached, path).toBeUndefined();
    }
  });

  it('values inside the enum reach the upstream (query text coerced to the integer the enum lists)', async () => {
    expect((await get('/ships?state=retired&limit=20')).reached).toBe('/api/ships?status=retired&limit=20');
    expect((await get('/active-ships?status=active')).reached).toBe('/api/ships?status=active');
    expect((await get('/any-ships?status=retired')).reached).toBe('/api/ships?status=retired');
  });
});

describe('x-capstan-enum over MCP (the SDK client)', () => {
  it('tools/list shows the enums in inputSchema: inherited, declared, derived from the call, through a function', async () => {
    const { tools } = await client.listTools();
    const props = (name: string) => tools.find((t) => t.name === name)!.inputSchema.properties as Record<string, Record<string, unknown>>;
    expect(props('list-ships').status).toEqual({ type: 'string', enum: STATUS, description: 'Ship status' });
    expect(props('list-ships').limit).toEqual({ type: 'integer', enum: [10, 20], description: 'Page size' });
    expect(props('list-ships-derived').status).toEqual({ type: 'string', enum: STATUS });
    expect(props('list-ships-derived').limit).toEqual({ type: 'string' });
    expect(props('list-ships-fn').status).toEqual({ type: 'string', enum: STATUS, description: 'Ship status' });
  });

  it.each(['list-ships', 'list-ships-derived', 'list-ships-fn'])('%s: a value outside the enum is a tool error naming it, nothing sent', async (name) => {
    const bad = await call(name, { status: 'sunk' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('`status` must be one of "active", "retired"');
    expect(bad.reached).toBeUndefined();
  });

  it('values inside the enum reach the upstream', async () => {
    expect((await call('list-ships', { status: 'retired', limit: 10 })).reached).toBe('/api/ships?status=retired&limit=10');
    expect((await call('list-ships-derived', { status: 'active' })).reached).toBe('/api/ships?status=active');
    expect((await call('list-ships-fn', { status: 'active' })).reached).toBe('/api/ships?status=active');
    const badLimit = await call('list-ships', { status: 'active', limit: 15 });
    expect(badLimit.isError).toBe(true);
    expect(badLimit.text).toContain('`limit` must be one of 10, 20');
  });
});
