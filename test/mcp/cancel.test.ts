/**
 * A cancelled call stops its upstream request: the upstream sees the request's connection close,
 * the call's connection slot is free again (the executor has one connection per upstream here, so
 * a slot left taken would hold the next call until its 20 s timeout), and the request that
 * carried the call ends. Cancelled by `notifications/cancelled` (the SDK's real client aborting a
 * call, or a raw POST), or by the client dropping the HTTP request whose answer cannot be resumed
 * (JSON answers, stateless requests, SSE answers without a priming event); over Streamable HTTP
 * (stateful and stateless, JSON and SSE, the fast path and the SDK transport), the legacy HTTP+SSE
 * transport, stdio through `capstan run`, and REST.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { StdioClientTransport } from '../../packages/mcp/testing/stdio.js';
import { createMcpAdapter, type McpAdapter, type McpAdapterOptions } from '@capstan/mcp';
import { Executor } from '@capstan/runtime';
import { BIN, childEnv } from '../helpers/cli.js';
import { tempSpec } from '../helpers/tmp.js';
import { sleep } from '../helpers/wait.js';
import { compile, mcpAdapter } from './helpers.js';
import { heldYaml, startHeldUpstream, type HeldUpstream } from './held-upstream.js';
import { serveInProcess } from '../rest/inprocess.js';

const OLDER = '2025-06-18';
const NEWER = '2025-11-25';
const ACCEPT_BOTH = 'application/json, text/event-stream';
/** The executor's timeouts: far longer than any wait here, so a call left running is seen. */
const TIMEOUT_MS = 20_000;

let held: HeldUpstream;
/** Error lines the adapters logged: a cancelled call is not an error. */
const errors: string[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  held = await startHeldUpstream();
});

beforeEach(() => {
  errors.length = 0;
});

afterAll(async () => {
  // The upstream first: a call a failed test left open ends with it.
  await held?.close();
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function executorFor(yaml: string): Promise<{ executor: Executor; graph: ReturnType<typeof compile>['graph'] }> {
  const { graph } = compile(yaml);
  const executor = await Executor.create(graph, {
    upstreams: { held: held.upstream.url },
    timeouts: { connectMs: TIMEOUT_MS, headersMs: TIMEOUT_MS, bodyMs: TIMEOUT_MS },
    maxConnectionsPerUpstream: 1,
    env: {},
  });
  closers.push(() => executor.close());
  return { executor, graph };
}

interface Served {
  adapter: McpAdapter;
  url: string;
}

async function serve(options: McpAdapterOptions = {}): Promise<Served> {
  const { executor, graph } = await executorFor(heldYaml());
  const adapter = createMcpAdapter(mcpAdapter(graph), executor, { logger: (level, message) => void (level === 'error' && errors.push(message)), ...options });
  const { url, server } = await adapter.listen({ port: 0, host: '127.0.0.1' });
  closers.push(async () => {
    // After a dropped request, the client's pool may open a spare connection that never sends a request: not idle to node, so close would wait for it.
    server.closeAllConnections();
    await adapter.close();
  });
  return { adapter, url };
}

let unique = 0;
/** A call number no other test uses. */
const callId = (what: string): string => `${what}-${++unique}`;

const holdCall = (id: number, n: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'hold', arguments: { n } } });
const holdRead = (id: number, n: string) => ({ jsonrpc: '2.0', id, method: 'resources/read', params: { uri: `held://${n}` } });
const quickCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'quick', arguments: {} } });
const cancelled = (requestId: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'no longer needed' } });

function post(url: string, headers: Record<string, string>, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

/** Opens a session with raw requests; `accept` decides JSON or SSE answers (the adapter may force JSON). */
async function open(url: string, version: string, accept = ACCEPT_BOTH): Promise<Record<string, string>> {
  const init = await post(url, { accept }, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'cancel-test', version: '1' } } });
  expect(init.status).toBe(200);
  await init.text();
  const headers = { accept, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': version };
  const ack = await post(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
  expect(ack.status).toBe(202);
  return headers;
}

/** The JSON-RPC messages of an answer: its JSON body, or the data of its SSE events. */
async function messagesOf(res: Response): Promise<unknown[]> {
  const text = await res.text();
  if (!text) return [];
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return text.split('\n\n').flatMap((event) => {
    const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    return data.trim() ? [JSON.parse(data) as unknown] : [];
  });
}

/** Fails unless `answer` settles within `ms` (a request left hanging would not). */
async function within<T>(answer: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The upstream call `n` is closed, and the one connection slot is free: a quick call through `quick` is answered. */
async function expectCancelled(n: string, quick: () => Promise<unknown>): Promise<void> {
  expect(await held.closedWithin(n), `the upstream request of call ${n} is still open`).toBe(true);
  expect(await within(quick(), 5_000, 'a call after the cancelled one')).toBeTruthy();
  expect(errors).toEqual([]);
}

/** A quick tools/call on `url` in the session of `headers` (or stateless), answered with its result. */
async function quickRaw(url: string, headers: Record<string, string>): Promise<unknown> {
  const [answer] = await messagesOf(await post(url, headers, quickCall(900)));
  expect(answer).toMatchObject({ id: 900, result: {} });
  expect(JSON.parse((answer as { result: { content: Array<{ text: string }> } }).result.content[0]!.text)).toEqual({ quick: true });
  return answer;
}

async function sdkClient(url: string): Promise<Client> {
  const client = new Client({ name: 'cancel-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  closers.push(() => client.close());
  return client;
}

/** Starts `tools/call hold` with the SDK client, aborts it once the upstream has it; the client's call rejects. */
async function abortWithClient(client: Client, n: string): Promise<void> {
  const abort = new AbortController();
  const call = client.callTool({ name: 'hold', arguments: { n } }, undefined, { signal: abort.signal, timeout: 60_000 });
  call.catch(() => undefined);
  await held.arrived(n);
  abort.abort('the user gave up');
  await expect(call).rejects.toThrow();
}

const quickWith = (client: Client) => async () => JSON.parse(((await client.callTool({ name: 'quick', arguments: {} })).content as Array<{ text: string }>)[0]!.text) as unknown;

describe('the SDK client aborts a tools/call (notifications/cancelled)', () => {
  for (const [mode, options] of [['SSE answers', {}], ['JSON answers', { jsonResponse: true }]] as const) {
    it(`stateful, ${mode}: the upstream request is closed and the slot is free`, async () => {
      const served = await serve(options);
      const client = await sdkClient(served.url);
      const n = callId('sdk');
      await abortWithClient(client, n);
      await expectCancelled(n, quickWith(client));
    });
  }

  it('legacy HTTP+SSE transport: the upstream request is closed and the slot is free', async () => {
    const served = await serve();
    const client = new Client({ name: 'cancel-test', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(served.url.replace(/\/mcp$/, '/sse'))));
    closers.push(() => client.close());
    const n = callId('legacy');
    await abortWithClient(client, n);
    await expectCancelled(n, quickWith(client));
  });

  it('stdio through `capstan run`: the upstream request is closed and the slot is free', async () => {
    const file = tempSpec(heldYaml('stdio'));
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'run', file, '--upstream', held.upstream.url, '--timeout', String(TIMEOUT_MS)], env: childEnv({}) as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'cancel-test', version: '1.0.0' });
    await client.connect(transport);
    closers.push(() => client.close());
    const n = callId('stdio');
    await abortWithClient(client, n);
    await expectCancelled(n, quickWith(client));
  });
});

describe('a raw notifications/cancelled of the session', () => {
  const requests = [['tools/call (fast path)', holdCall], ['resources/read (SDK transport)', holdRead]] as const;
  for (const [mode, version, options] of [['JSON', NEWER, { jsonResponse: true }], ['SSE, primed', NEWER, {}], ['SSE, not primed', OLDER, {}]] as const) {
    for (const [what, request] of requests) {
      it(`${what}, ${mode}: its POST ends with no answer, the upstream request is closed`, async () => {
        const served = await serve(options);
        const headers = await open(served.url, version);
        const n = callId('raw');
        const answer = post(served.url, headers, request(7, n));
        await held.arrived(n);
        expect((await post(served.url, headers, cancelled(7))).status).toBe(202);
        const res = await within(answer, 3_000, `the cancelled ${what}'s POST`);
        expect(res.status).toBe(mode === 'JSON' ? 202 : 200);
        expect(await messagesOf(res)).toEqual([]);
        await expectCancelled(n, () => quickRaw(served.url, headers));
      });
    }
  }

  it('a batch of two calls, one cancelled: the JSON answer carries the other call\'s answer only', async () => {
    const served = await serve({ jsonResponse: true });
    const headers = await open(served.url, NEWER);
    const n = callId('batch');
    const answer = post(served.url, headers, [holdCall(11, n), { ...holdCall(12, `${n}-kept`), params: { name: 'quick', arguments: {} } }]);
    await held.arrived(n);
    expect((await post(served.url, headers, cancelled(11))).status).toBe(202);
    const res = await within(answer, 3_000, 'the batch\'s POST');
    expect(res.status).toBe(200);
    expect(await messagesOf(res)).toMatchObject([{ id: 12, result: { content: [{ type: 'text', text: '{"quick":true}' }] } }]);
    await expectCancelled(n, () => quickRaw(served.url, headers));
  });
});

describe('the client drops the HTTP request carrying the call', () => {
  /** Posts `body`, waits for the upstream to have call `n`, then drops the request. */
  async function dropAfterArrival(url: string, headers: Record<string, string>, body: unknown, n: string): Promise<void> {
    const abort = new AbortController();
    const answer = post(url, headers, body, abort.signal).then((res) => res.text());
    answer.catch(() => undefined);
    await held.arrived(n);
    abort.abort();
    await expect(answer).rejects.toThrow();
  }

  for (const [mode, accept, options] of [['JSON', 'application/json', {}], ['SSE', ACCEPT_BOTH, {}], ['JSON (adapter)', ACCEPT_BOTH, { jsonResponse: true }]] as const) {
    it(`stateless, ${mode}: tools/call (fast path) and a batch (SDK transport) are cancelled`, async () => {
      const served = await serve({ stateless: true, ...options });
      const headers = { accept };
      const n = callId('stateless');
      await dropAfterArrival(served.url, headers, holdCall(1, n), n);
      await expectCancelled(n, () => quickRaw(served.url, headers));
      const b = callId('stateless-batch');
      await dropAfterArrival(served.url, headers, [holdCall(2, b)], b);
      await expectCancelled(b, () => quickRaw(served.url, headers));
    });
  }

  for (const [mode, version, accept, options] of [['JSON', NEWER, 'application/json', {}], ['JSON (adapter)', NEWER, ACCEPT_BOTH, { jsonResponse: true }], ['SSE, not primed', OLDER, ACCEPT_BOTH, {}]] as const) {
    it(`stateful, ${mode}: the answer cannot be resumed, so tools/call and resources/read are cancelled`, async () => {
      const served = await serve(options);
      const headers = await open(served.url, version, accept);
      const n = callId('stateful');
      await dropAfterArrival(served.url, headers, holdCall(3, n), n);
      await expectCancelled(n, () => quickRaw(served.url, headers));
      const r = callId('stateful-read');
      await dropAfterArrival(served.url, headers, holdRead(4, r), r);
      await expectCancelled(r, () => quickRaw(served.url, headers));
    });
  }

  it('stateful, SSE primed (resumable): a dropped stream is not a cancellation; notifications/cancelled still is', async () => {
    const served = await serve();
    const headers = await open(served.url, NEWER);
    const n = callId('primed');
    await dropAfterArrival(served.url, headers, holdCall(5, n), n);
    await sleep(300);
    expect(held.calls.get(n)?.closed, 'the call of a resumable stream was cancelled by its drop').toBe(false);
    expect((await post(served.url, headers, cancelled(5))).status).toBe(202);
    await expectCancelled(n, () => quickRaw(served.url, headers));
  });
});

describe('REST', () => {
  it('a caller that hangs up mid-call gets its upstream request closed, and the slot is free', async () => {
    const served = await serveInProcess([heldYaml()], { executor: { upstreams: { held: held.upstream.url }, timeouts: { connectMs: TIMEOUT_MS, headersMs: TIMEOUT_MS, bodyMs: TIMEOUT_MS }, maxConnectionsPerUpstream: 1 } });
    closers.push(() => served.close());
    const n = callId('rest');
    const { hostname, port } = new URL(served.url);
    const req = httpRequest({ host: hostname, port, path: `/hold/${n}`, method: 'GET', agent: false });
    req.on('error', () => undefined);
    req.end();
    await held.arrived(n);
    req.destroy();
    await expectCancelled(n, async () => (await fetch(`${served.url}/quick`)).json());
  });
});
