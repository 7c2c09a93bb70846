/**
 * Every client generation on one adapter: the SDK's legacy HTTP+SSE client (`GET /sse` +
 * `POST /messages`), a Streamable-HTTP-first client that falls back to SSE (the SDK's documented
 * pattern), an SSE-first client that falls back on 405, each protocol version the SDK supports,
 * and a stream resumed with `Last-Event-ID` from the in-memory event store (no Redis).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, SSEClientTransport, StreamableHTTPClientTransport, SUPPORTED_PROTOCOL_VERSIONS } from '../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter } from '../../packages/mcp/src/index.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { FLEET_FILES, FLEET_YAML } from './fleet.js';
import { compile, makeRunner, mcpAdapter } from './helpers.js';
import { cutAfterFirstEventId, FAST_RECONNECT, slowFleetUpstream } from './resume-helpers.js';

let upstream: Upstream;
let adapter: McpAdapter;
let closeRunner: () => Promise<void>;
let base: string;

beforeAll(async () => {
  upstream = await startUpstream(slowFleetUpstream(600));
  const { graph } = compile(FLEET_YAML, FLEET_FILES);
  const runner = await makeRunner(graph, { registry: upstream.url }, 5_000);
  closeRunner = () => runner.close();
  adapter = createMcpAdapter(mcpAdapter(graph), runner, { logger: () => undefined });
  base = `http://127.0.0.1:${(await adapter.listen({ port: 0, host: '127.0.0.1' })).port}`;
});

afterAll(async () => {
  await adapter?.close();
  await closeRunner?.();
  await upstream?.close();
});

const SHIP = { structuredContent: { imo: 'IMO-9321483', name: 'Northern Star', tonnage: 52000 } };

/** The SDK's backwards-compatible client: Streamable HTTP first, the legacy SSE transport when that fails. */
async function connectWithFallback(url: string): Promise<{ client: Client; kind: 'streamable' | 'sse' }> {
  try {
    const client = new Client({ name: 'fallback', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return { client, kind: 'streamable' };
  } catch {
    const client = new Client({ name: 'fallback', version: '1' });
    await client.connect(new SSEClientTransport(new URL(url)));
    return { client, kind: 'sse' };
  }
}

describe('legacy HTTP+SSE transport', () => {
  it('serves the SDK SSE client: tools, a call, and the stream counted as a session until it closes', async () => {
    const client = new Client({ name: 'sse', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
    expect(client.getServerVersion()).toEqual({ name: 'fleet-tools', version: '1.0.0' });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('get-ship');
    expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject(SHIP);
    expect(adapter.stats().sessions).toBe(1);
    await client.close();
    await expect.poll(() => adapter.stats().sessions).toBe(0);
  });

  it('answers a POST to an unknown stream with 404 and one without sessionId with 400', async () => {
    const post = (query: string) => fetch(`${base}/messages${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect((await post('?sessionId=nope')).status).toBe(404);
    const missing = await post('');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('sessionId query parameter is required');
  });
});

describe('clients that fall back', () => {
  it('a Streamable-HTTP-first client uses Streamable HTTP at /mcp', async () => {
    const { client, kind } = await connectWithFallback(`${base}/mcp`);
    expect(kind).toBe('streamable');
    expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject(SHIP);
    await client.close();
  });

  it('a Streamable-HTTP-first client given /sse gets 405 on POST and falls back to SSE', async () => {
    const post = await fetch(`${base}/sse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const { client, kind } = await connectWithFallback(`${base}/sse`);
    expect(kind).toBe('sse');
    expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject(SHIP);
    await client.close();
  });

  it('an SSE-first client gets 405 on GET /mcp without a session and falls back to Streamable HTTP', async () => {
    const probe = await fetch(`${base}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(probe.status).toBe(405);
    await probe.body?.cancel();
    const client = new Client({ name: 'sse-first', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
    expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject(SHIP);
    await client.close();
  });
});

describe('protocol versions', () => {
  const initialize = (version: string) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

  it.each([...SUPPORTED_PROTOCOL_VERSIONS])('Streamable HTTP at %s: initialize answers it, later requests carry it', async (version) => {
    const open = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: initialize(version) });
    expect(open.status).toBe(200);
    expect(((await open.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe(version);
    const session = open.headers.get('mcp-session-id')!;
    const headers = { 'content-type': 'application/json', accept: 'application/json', 'mcp-session-id': session, 'mcp-protocol-version': version };
    const list = await fetch(`${base}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
    expect((await fetch(`${base}/mcp`, { method: 'DELETE', headers })).status).toBe(200);
  });

  it('the oldest and newest versions the SDK supports are 2024-10-07 and 2025-11-25', () => {
    expect([...SUPPORTED_PROTOCOL_VERSIONS].sort()[0]).toBe('2024-10-07');
    expect([...SUPPORTED_PROTOCOL_VERSIONS].sort().at(-1)).toBe('2025-11-25');
  });
});

describe('resumable streams without Redis', () => {
  it('a tools/call stream cut after its priming event is resumed with Last-Event-ID from the in-memory store', async () => {
    const resumed: number[] = [];
    const cutting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (new Headers(init?.headers).get('last-event-id')) resumed.push(response.status);
      const call = typeof init?.body === 'string' && init.body.includes('"tools/call"');
      return call ? cutAfterFirstEventId(response) : response;
    };
    const client = new Client({ name: 'resuming', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { fetch: cutting, reconnectionOptions: FAST_RECONNECT }));
    try {
      expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-SLOW' } })).toMatchObject({ structuredContent: { imo: 'IMO-SLOW', name: 'Northern Star' } });
      expect(resumed).toEqual([200]);
    } finally {
      await client.close();
    }
  });

  it('a Last-Event-ID the session never gave is refused with 400', async () => {
    const open = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const headers = { accept: 'text/event-stream', 'mcp-session-id': open.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    for (const id of ['not-an-id', 'some-stream/12']) {
      const resume = await fetch(`${base}/mcp`, { headers: { ...headers, 'last-event-id': id } });
      expect(resume.status, id).toBe(400);
      await resume.body?.cancel();
    }
    await fetch(`${base}/mcp`, { method: 'DELETE', headers });
  });
});
