/**
 * A cancelled request on the SDK's Streamable HTTP transport (packages/mcp/src/cancelled-requests.ts),
 * on a real transport and SDK server with the real executor and a holding upstream: the POST that
 * carried it ends (JSON: 202 with no body, or the other answers of a batch; SSE: the stream ends
 * with no event), and the transport keeps nothing of it: its request, answer and stream tables
 * are empty afterwards. (In JSON mode the SDK keeps the entry of every answer it gave until the
 * session ends; the HTTP front drops them after each answer with `releaseAnswered`, as here.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebStandardStreamableHTTPServerTransport } from '../../packages/mcp/testing/sdk.js';
import { Executor } from '@capstan/runtime';
import { McpRegistry } from '../../packages/mcp/src/registry.js';
import { createSdkServer } from '../../packages/mcp/src/sdk-server.js';
import { releaseAnswered } from '../../packages/mcp/src/cancelled-requests.js';
import { compile, mcpAdapter } from './helpers.js';
import { heldYaml, startHeldUpstream, type HeldUpstream } from './held-upstream.js';

const VERSION = '2025-11-25';
let held: HeldUpstream;
let executor: Executor;
let registry: McpRegistry;

beforeAll(async () => {
  held = await startHeldUpstream();
  const { graph } = compile(heldYaml());
  executor = await Executor.create(graph, { upstreams: { held: held.upstream.url }, timeouts: { connectMs: 20_000, headersMs: 20_000, bodyMs: 20_000 }, env: {} });
  registry = new McpRegistry(mcpAdapter(graph), executor, { baseDir: '.', serverVersion: '1.0.0', logger: () => undefined, counters: { registryBuilds: 0, serversCreated: 0 } });
});

afterAll(async () => {
  await held?.close();
  await executor?.close();
});

/** The transport's per-request tables (not public API: read here to show nothing stays). */
interface Tables {
  _requestToStreamMapping: Map<unknown, unknown>;
  _requestResponseMap: Map<unknown, unknown>;
  _streamMapping: Map<unknown, unknown>;
}

/** A session on a real transport and SDK server; `send` posts a message as a client would. */
async function session(json: boolean): Promise<{ send: (body: unknown) => Promise<Response>; tables: Tables; close: () => Promise<void> }> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => 'session-1', enableJsonResponse: json });
  const server = createSdkServer(registry);
  await server.connect(transport);
  let headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  // As the HTTP front does: what the transport keeps of a JSON answer is dropped once it is given.
  const send = async (body: unknown) => {
    const res = await transport.handleRequest(new Request('http://localhost/mcp', { method: 'POST', headers, body: JSON.stringify(body) }));
    releaseAnswered(transport);
    return res;
  };
  const init = await send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'cancelled-requests', version: '1' } } });
  expect(init.status).toBe(200);
  await init.text();
  headers = { ...headers, 'mcp-session-id': 'session-1', 'mcp-protocol-version': VERSION };
  expect((await send({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
  return { send, tables: transport as unknown as Tables, close: () => server.close() };
}

const read = (id: number, n: string) => ({ jsonrpc: '2.0', id, method: 'resources/read', params: { uri: `held://${n}` } });
const cancel = (requestId: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'no longer needed' } });

/** Nothing of the session's requests is left in the transport's tables. */
function expectEmpty(t: Tables): void {
  expect([t._requestToStreamMapping.size, t._requestResponseMap.size, t._streamMapping.size]).toEqual([0, 0, 0]);
}

describe('a cancelled request on the SDK transport', () => {
  it('JSON: its POST answers 202 with no body; the transport keeps nothing of it', async () => {
    const s = await session(true);
    const answer = s.send(read(1, 'json-1'));
    await held.arrived('json-1');
    expect((await s.send(cancel(1))).status).toBe(202);
    const res = await answer;
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect(await held.closedWithin('json-1')).toBe(true);
    expectEmpty(s.tables);
    await s.close();
  });

  it('JSON batch: the POST answers the request left, once it is answered; the transport keeps nothing of either', async () => {
    const s = await session(true);
    const answer = s.send([read(2, 'json-2'), { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'quick', arguments: {} } }]);
    await held.arrived('json-2');
    expect((await s.send(cancel(2))).status).toBe(202);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 3, result: { content: [{ text: '{"quick":true}' }] } });
    expectEmpty(s.tables);
    await s.close();
  });

  it('SSE: its stream ends with no answer event; the transport keeps nothing of it', async () => {
    const s = await session(false);
    const res = await s.send(read(4, 'sse-4'));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const body = res.text();
    await held.arrived('sse-4');
    expect((await s.send(cancel(4))).status).toBe(202);
    // The priming event only (2025-11-25): no `data:` with a message.
    expect((await body).split('\n').filter((l) => l.startsWith('data: {'))).toEqual([]);
    expectEmpty(s.tables);
    await s.close();
  });
});
