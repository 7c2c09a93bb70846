/**
 * The fast path (one `tools/call` or `tools/list` answered in one write, packages/mcp/src/fast-path.ts)
 * answers what the SDK transport answers. Each request is sent alone (the fast path) and as a
 * batch of one (always the SDK transport), in sessions and stateless, with JSON and SSE answers;
 * the SDK's real client is served by it too; what it must not take (newer SSE clients, other
 * methods, foreign content types) still goes to the transport; request ids reach the upstream, and
 * a cancelled call or an ended session ends the call's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallToolRequestSchema, Client, Server, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter, type McpAdapterOptions } from '@capstan/mcp';
import { DirectServer, InProcessTransport } from '../../packages/mcp/src/direct.js';
import type { ToolCallExtra } from '../../packages/mcp/src/tool-call.js';
import { McpRegistry } from '../../packages/mcp/src/registry.js';
import { createSdkServer } from '../../packages/mcp/src/sdk-server.js';
import { FLEET_FILES, FLEET_YAML, NORTHERN_STAR } from './fleet.js';
import { slowFleetUpstream } from './resume-helpers.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';
import { compile, makeRunner, mcpAdapter } from './helpers.js';

const OLDER = '2025-06-18';
const NEWER = '2025-11-25';
const ACCEPT_BOTH = 'application/json, text/event-stream';
/** How long `get-ship` of `IMO-SLOW` takes upstream. */
const SLOW_MS = 800;

let upstream: Upstream;
const closers: Array<() => Promise<void>> = [];

interface Served {
  adapter: McpAdapter;
  url: string;
}

async function serve(options: McpAdapterOptions): Promise<Served> {
  const { graph } = compile(FLEET_YAML, FLEET_FILES);
  const runner = await makeRunner(graph, { registry: upstream.url }, 5_000);
  const adapter = createMcpAdapter(mcpAdapter(graph), runner, { logger: () => undefined, ...options });
  const { url } = await adapter.listen({ port: 0, host: '127.0.0.1' });
  closers.push(async () => {
    await adapter.close();
    await runner.close();
  });
  return { adapter, url };
}

beforeAll(async () => {
  upstream = await startUpstream(slowFleetUpstream(SLOW_MS));
});

afterAll(async () => {
  for (const close of closers) await close();
  await upstream?.close();
});

interface Answer {
  status: number;
  type: string | null;
  session: string | null;
  /** The JSON-RPC messages: the JSON body, or the data of each SSE event. */
  messages: unknown[];
  /** The ids of the SSE events. */
  eventIds: string[];
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  const type = res.headers.get('content-type');
  const answer: Answer = { status: res.status, type, session: res.headers.get('mcp-session-id'), messages: [], eventIds: [] };
  if (type?.startsWith('text/event-stream')) {
    for (const event of text.split('\n\n').filter((e) => e.trim())) {
      const lines = event.split('\n');
      const id = lines.find((l) => l.startsWith('id: '));
      if (id) answer.eventIds.push(id.slice(4));
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data) answer.messages.push(JSON.parse(data));
    }
  } else if (text) {
    const parsed = JSON.parse(text) as unknown;
    answer.messages.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  }
  return answer;
}

/** Opens a session at `version`; returns the headers its requests carry. */
async function open(url: string, version: string, accept = ACCEPT_BOTH): Promise<Record<string, string>> {
  const init = await post(url, { accept }, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'fast-path-test', version: '1' } } });
  expect(init.status).toBe(200);
  const headers = { accept, 'mcp-session-id': init.session!, 'mcp-protocol-version': version };
  expect((await post(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
  return headers;
}

/** Requests of every outcome: results, tool errors, JSON-RPC errors from the registry and from the SDK's schema checks. */
const REQUESTS: Array<Record<string, unknown>> = [
  { method: 'tools/list' },
  { method: 'tools/list', params: { cursor: 'x' } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' } } },
  { method: 'tools/call', params: { name: 'list-ships', arguments: { status: 'active' } } },
  { method: 'tools/call', params: { name: 'get-ship-raw', arguments: { imo: 'IMO-9321483' } } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: {} } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-404' } } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-500' } } },
  { method: 'tools/call', params: { name: 'no-such-tool', arguments: {} } },
  { method: 'tools/call', params: { arguments: {} } },
  { method: 'tools/call', params: { name: 5 } },
  { method: 'tools/call' },
  { method: 'tools/call', params: { name: 'get-ship', arguments: ['IMO-9321483'] } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: null } },
  // Tasks stay with the SDK server (this one has no tasks capability).
  { method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' }, task: { ttl: 1000 } } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' }, _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't-1' } } } },
  // Unknown params are dropped by the request schema; an own `__proto__` argument (JSON can have one) as the SDK's parse leaves it.
  { method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' }, _meta: { progressToken: 3 }, other: true } },
  { method: 'tools/call', params: { name: 'get-ship', arguments: JSON.parse('{"imo":"IMO-9321483","__proto__":{"imo":"IMO-404"}}') as unknown } },
];

/** Sends each request alone and as a batch of one; the answers must be the same, and only the lone ones take the fast path. */
async function compareWithTransport(served: Served, headers: Record<string, string>, sse: boolean, eventIds: number): Promise<void> {
  let id = 100;
  for (const request of REQUESTS) {
    const message = { jsonrpc: '2.0', id: ++id, ...request };
    const before = served.adapter.stats().fastCalls;
    const fast = await post(served.url, headers, message);
    expect(served.adapter.stats().fastCalls, `${JSON.stringify(request)} takes the fast path`).toBe(before + 1);
    const sdk = await post(served.url, headers, [message]);
    expect(served.adapter.stats().fastCalls, 'a batch goes to the SDK transport').toBe(before + 1);
    expect(fast.status).toBe(200);
    expect(fast.status).toBe(sdk.status);
    expect(fast.type).toBe(sdk.type);
    expect(fast.type).toBe(sse ? 'text/event-stream' : 'application/json');
    expect(fast.session).toBe(sdk.session);
    expect(fast.messages, JSON.stringify(request)).toEqual(sdk.messages);
    expect(fast.messages).toHaveLength(1);
    expect(fast.eventIds.length).toBe(sdk.eventIds.length);
    expect(fast.eventIds.length).toBe(eventIds);
  }
}

describe('the fast path answers what the SDK transport answers', () => {
  it('in a session answered with SSE, each answer stored for Last-Event-ID (opened by a priming event from protocol 2025-11-25 on)', async () => {
    const served = await serve({});
    await compareWithTransport(served, await open(served.url, OLDER), true, 1);
    await compareWithTransport(served, await open(served.url, NEWER), true, 2);
  });

  it('in a session answered with JSON (the client does not accept SSE)', async () => {
    const served = await serve({});
    await compareWithTransport(served, await open(served.url, NEWER, 'application/json'), false, 0);
  });

  it('in a session of an adapter that answers with JSON, at every protocol version', async () => {
    const served = await serve({ jsonResponse: true });
    await compareWithTransport(served, await open(served.url, NEWER), false, 0);
  });

  it('stateless, with SSE and with JSON answers', async () => {
    const served = await serve({ stateless: true });
    await compareWithTransport(served, { accept: ACCEPT_BOTH, 'mcp-protocol-version': NEWER }, true, 0);
    await compareWithTransport(served, { accept: 'application/json' }, false, 0);
    const json = await serve({ stateless: true, jsonResponse: true });
    await compareWithTransport(json, { accept: ACCEPT_BOTH }, false, 0);
  });

  it('leaves the rest to the SDK transport: other methods, foreign content types, Accept values and protocol versions', async () => {
    const served = await serve({});
    const older = await open(served.url, OLDER);
    const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' } } };
    const before = served.adapter.stats().fastCalls;
    expect((await post(served.url, older, { jsonrpc: '2.0', id: 8, method: 'resources/list' })).messages).toHaveLength(1);
    expect((await post(served.url, older, { jsonrpc: '2.0', id: 9, method: 'ping' })).messages).toEqual([{ jsonrpc: '2.0', id: 9, result: {} }]);
    const res = await fetch(served.url, { method: 'POST', headers: { ...older, 'content-type': 'text/plain' }, body: JSON.stringify(call) });
    expect(res.status).toBe(415);
    await res.text();
    expect((await post(served.url, { ...older, 'mcp-protocol-version': '1999-01-01' }, call)).status).toBe(400);
    expect((await post(served.url, { ...older, accept: 'application/json' }, call)).status).toBe(406);
    expect(served.adapter.stats().fastCalls).toBe(before);
  });
});

describe('the fast path\'s server', () => {
  it('answers tools/call on its own (tool-call.ts) and the rest through the SDK\'s request dispatch exactly what its onmessage route answers', async () => {
    const { graph } = compile(FLEET_YAML, FLEET_FILES);
    const runner = await makeRunner(graph, { registry: upstream.url }, 5_000);
    closers.push(() => runner.close());
    const registry = new McpRegistry(mcpAdapter(graph), runner, { baseDir: '.', serverVersion: '1.0.0', logger: () => undefined, counters: { registryBuilds: 0, serversCreated: 0 } });
    const direct = new DirectServer(() => createSdkServer(registry), (request, extra) => registry.callTool(request, extra));
    const plain = new InProcessTransport();
    await createSdkServer(registry).connect(plain);
    closers.push(() => direct.close());
    const extra = { requestInfo: { headers: { 'x-request-id': 'dispatch-test' }, url: new URL('http://localhost/mcp') } };
    let id = 0;
    for (const request of REQUESTS) {
      const message = { jsonrpc: '2.0' as const, id: ++id, ...request } as Parameters<InProcessTransport['call']>[0];
      const viaDispatch = await direct.call(message, extra).answer;
      const viaOnmessage = await plain.call(message, extra).answer;
      expect(viaDispatch, JSON.stringify(request)).toEqual(viaOnmessage);
      expect(viaDispatch).toMatchObject({ jsonrpc: '2.0', id });
    }
    // This SDK version has the dispatch: the comparison above went through it.
    expect((direct as unknown as { connected: { transport: InProcessTransport } }).connected.transport.dispatch).toBeTypeOf('function');
    expect(plain.dispatch).toBeUndefined();
  });
});

describe('a tool call without the SDK server (tool-call.ts)', () => {
  it('cancelled: its handler\'s signal is aborted with the reason, and nothing is answered', async () => {
    let signal: ToolCallExtra['signal'] | undefined;
    const direct = new DirectServer(() => {
      throw new Error('a tools/call needs no SDK server');
    }, (_request, extra) => {
      signal = extra.signal;
      return new Promise((resolve) => extra.signal.addEventListener('abort', () => resolve({ content: [{ type: 'text', text: 'too late' }] })));
    });
    const call = direct.call({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slow-call', arguments: {} } }, {});
    expect(signal?.aborted).toBe(false);
    call.cancel('no longer needed');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe('no longer needed');
    expect(await call.answer).toBeUndefined();
  });

  it('a handler that throws is answered with the error the SDK builds from it', async () => {
    const thrown = [Object.assign(new Error('teapot'), { code: 418, data: { why: 'short and stout' } }), new Error('no code'), 'a string'];
    /** An SDK server whose tools/call handler throws `error`. */
    const throwing = (error: unknown): Server => {
      const server = new Server({ name: 'throws', version: '1' }, { capabilities: { tools: {} } });
      server.setRequestHandler(CallToolRequestSchema, () => Promise.reject(error));
      return server;
    };
    for (const error of thrown) {
      const direct = new DirectServer(() => throwing(error), () => Promise.reject(error));
      const plain = new InProcessTransport();
      await throwing(error).connect(plain);
      const message = { jsonrpc: '2.0' as const, id: 3, method: 'tools/call', params: { name: 'get-ship', arguments: {} } };
      const fast = await direct.call(message, {}).answer;
      expect(fast).toEqual(await plain.call(message, {}).answer);
      expect(fast).toMatchObject({ jsonrpc: '2.0', id: 3, error: {} });
    }
  });
});

describe('the SDK client on the fast path', () => {
  const expected = { content: [{ type: 'text', text: JSON.stringify({ imo: NORTHERN_STAR.imo, name: NORTHERN_STAR.name, tonnage: 52000 }) }], structuredContent: { imo: NORTHERN_STAR.imo, name: NORTHERN_STAR.name, tonnage: 52000 } };

  /** A client whose `initialize` asks for `version` (the SDK client asks for its newest otherwise). */
  async function client(url: string, version?: string): Promise<Client> {
    const c = new Client({ name: 'fast-path-sdk', version: '1' });
    const rewrite: typeof fetch = (input, init) => {
      const body = typeof init?.body === 'string' && version ? init.body.replace(/"protocolVersion":"[^"]+"/, `"protocolVersion":"${version}"`) : init?.body;
      return fetch(input, { ...init, body });
    };
    await c.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: rewrite }));
    closers.push(() => c.close());
    return c;
  }

  async function exercise(served: Served, version: string | undefined, fast: boolean): Promise<void> {
    const c = await client(served.url, version);
    const before = served.adapter.stats().fastCalls;
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(['list-ships', 'get-ship', 'get-ship-raw', 'slow-call']);
    for (let i = 0; i < 3; i++) expect(await c.callTool({ name: 'get-ship', arguments: { imo: NORTHERN_STAR.imo } })).toEqual(expected);
    expect(await c.callTool({ name: 'get-ship', arguments: {} })).toMatchObject({ isError: true });
    await expect(c.callTool({ name: 'no-such-tool', arguments: {} })).rejects.toThrow(/no-such-tool/);
    expect(served.adapter.stats().fastCalls - before).toBe(fast ? 6 : 0);
  }

  it('stateful with SSE answers, at the newest protocol (primed streams) and at 2025-06-18', async () => {
    const served = await serve({});
    await exercise(served, undefined, true);
    await exercise(served, OLDER, true);
  });

  it('stateful with JSON answers, and stateless with SSE and JSON answers', async () => {
    await exercise(await serve({ jsonResponse: true }), undefined, true);
    await exercise(await serve({ stateless: true }), undefined, true);
    await exercise(await serve({ stateless: true, jsonResponse: true }), undefined, true);
  });
});

describe('requests on the fast path', () => {
  it('pass the caller request id upstream and send it back', async () => {
    const served = await serve({ jsonResponse: true });
    const headers = await open(served.url, NEWER);
    const res = await fetch(served.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'x-request-id': 'fast-path-id-1' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: NORTHERN_STAR.imo } } }),
    });
    expect(res.headers.get('x-request-id')).toBe('fast-path-id-1');
    expect(res.headers.get('content-length')).toBe(String((await res.arrayBuffer()).byteLength));
    expect(upstream.seen.at(-1)!.headers['x-request-id']).toBe('fast-path-id-1');
  });

  /** Starts a call whose upstream never answers; resolves once the upstream has it. */
  async function slowCall(url: string, headers: Record<string, string>, id: number): Promise<{ answer: Promise<Response> }> {
    const calls = upstream.seen.length;
    const answer = fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow-call', arguments: {} } }) });
    expect(await eventually(() => upstream.seen.slice(calls).some((s) => s.url === '/slow'))).toBe(true);
    return { answer };
  }

  it('a notifications/cancelled of the session cancels the call: its answer ends empty (202)', async () => {
    const served = await serve({ jsonResponse: true });
    const headers = await open(served.url, NEWER);
    const { answer } = await slowCall(served.url, headers, 41);
    const note = await post(served.url, headers, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 41, reason: 'no longer needed' } });
    expect(note.status).toBe(202);
    const res = await answer;
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    // The session goes on: a call with the same id is answered.
    const again = await post(served.url, headers, { jsonrpc: '2.0', id: 41, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: NORTHERN_STAR.imo } } });
    expect(again.messages).toMatchObject([{ id: 41, result: { structuredContent: { imo: NORTHERN_STAR.imo } } }]);
  });

  it('a session that ends cancels its calls on the fast path; an SSE answer ends with no event', async () => {
    const served = await serve({});
    const headers = await open(served.url, OLDER);
    const { answer } = await slowCall(served.url, headers, 42);
    const del = await fetch(served.url, { method: 'DELETE', headers });
    expect(del.status).toBe(200);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('');
    expect(served.adapter.stats().sessions).toBe(0);
  });

  /** Starts the slow call with a primed SSE answer; resolves with its priming event id once it is read, and the cut. */
  async function primedSlowCall(url: string, headers: Record<string, string>, id: number): Promise<{ primingId: string; cut: () => void }> {
    const abort = new AbortController();
    const res = await fetch(url, { method: 'POST', signal: abort.signal, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-SLOW' } } }) });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    const primingId = /^id: (.+)$/m.exec(text)![1]!;
    return { primingId, cut: () => abort.abort() };
  }

  it('a primed stream cut while its call runs is resumed with Last-Event-ID and ends with the answer (409 while the first is open)', async () => {
    const served = await serve({});
    const headers = await open(served.url, NEWER);
    const before = served.adapter.stats().fastCalls;
    const { primingId, cut } = await primedSlowCall(served.url, headers, 51);
    expect(served.adapter.stats().fastCalls).toBe(before + 1);
    const conflict = await fetch(served.url, { headers: { ...headers, 'last-event-id': primingId } });
    expect(conflict.status).toBe(409);
    await conflict.text();
    cut();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const resumed = await fetch(served.url, { headers: { ...headers, 'last-event-id': primingId } });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toBe('text/event-stream');
    const events = (await resumed.text()).split('\n\n').filter((e) => e.includes('data: {'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^event: message\nid: \S+\ndata: /);
    expect(JSON.parse(events[0]!.split('data: ')[1]!)).toMatchObject({ jsonrpc: '2.0', id: 51, result: { structuredContent: { imo: 'IMO-SLOW' } } });
    // Once answered, the answer is in the store: a later resume replays it (through the transport).
    const later = await fetch(served.url, { headers: { ...headers, 'last-event-id': primingId } });
    const reader = later.body!.getReader();
    let text = '';
    while (!text.includes('"id":51')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
  });
});
