/**
 * Two engine behaviours the corpus run found: a declared HEAD operation answers HEAD itself
 * (rather than the GET beside it), and a mock with no data answers 204 over REST and `{}` over MCP
 * (reference-engine.md §2.8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import type { Executor } from '@capstan/runtime';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { raw } from '../helpers/http.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { compile, makeRunner, mcpAdapter } from '../mcp/helpers.js';
import { serveInProcess, type Served } from './inprocess.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Objects
  description: Objects with a metadata check, and a placeholder tool.
capability:
  consumes:
  - type: http
    namespace: store
    baseUri: http://127.0.0.1:9
    resources:
    - name: object
      path: /objects/{{key}}
      operations:
      - name: get-object
        method: GET
      - name: head-object
        method: HEAD
  exposes:
  - type: rest
    namespace: objects
    port: 8080
    resources:
    - path: /objects/{key}
      name: object
      operations:
      - method: GET
        name: get-object
        call: store.get-object
        with:
          key: "{{key}}"
      - method: HEAD
        name: check-object
        call: store.head-object
        with:
          key: "{{key}}"
    - path: /later
      name: later
      operations:
      - method: GET
        name: later
        outputParameters:
        - type: string
          description: Nothing yet.
  - type: mcp
    namespace: tools
    port: 9090
    tools:
    - name: later
      description: A tool without data yet.
      outputParameters:
      - type: string
        description: Nothing yet.
`;

let upstream: Upstream;
let served: Served;
let executor: Executor;
let mcp: McpAdapter;
let client: Client;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => (req.method === 'HEAD' ? res.writeHead(200, { 'x-object-size': '42' }).end() : json(res, 200, { key: req.url })));
  served = await serveInProcess([SPEC], { executor: { upstreams: { store: upstream.url } } });
  const { graph } = compile(SPEC);
  executor = await makeRunner(graph, { store: upstream.url });
  mcp = createMcpAdapter(mcpAdapter(graph), executor, { logger: () => undefined });
  const listening = await mcp.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'head-and-mock', version: '0.0.1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
});

afterAll(async () => {
  await client?.close();
  await mcp?.close();
  await executor?.close();
  await served?.close();
  await upstream?.close();
});

describe('a declared HEAD operation', () => {
  it('answers HEAD by calling its own consumed operation; GET still calls the GET', async () => {
    const head = await raw(served.url, 'HEAD', '/objects/a1');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'HEAD', url: '/objects/a1' });
    const get = await fetch(`${served.url}/objects/a1`);
    expect(await get.json()).toEqual({ key: '/objects/a1' });
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', url: '/objects/a1' });
  });

  it('is listed once in Allow', async () => {
    const options = await fetch(`${served.url}/objects/a1`, { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('a mock without data', () => {
  it('answers 204 with no body over REST, and sends nothing upstream', async () => {
    const before = upstream.seen.length;
    const res = await fetch(`${served.url}/later`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(upstream.seen.length).toBe(before);
  });

  it('answers `{}` over MCP, not an error', async () => {
    const result = await client.callTool({ name: 'later', arguments: {} });
    expect(result.isError ?? false).toBe(false);
    expect(result.content).toEqual([{ type: 'text', text: '{}' }]);
  });
});
