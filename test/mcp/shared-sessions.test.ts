/**
 * Sessions shared through a real redis-server: two adapter instances (separate registries and
 * executors, as two replicas would be) serve one stateful session, resume each other's streams,
 * relay list changes and legacy SSE messages; with Redis stopped, requests that need it get a
 * clear 503 at once while stateless requests are still served. The SDK's real clients throughout;
 * the "balancer" is a fetch that picks the replica per request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, SSEClientTransport, StreamableHTTPClientTransport, SUPPORTED_PROTOCOL_VERSIONS, ToolListChangedNotificationSchema } from '../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter } from '../../packages/mcp/src/index.js';
import { HAVE_REDIS, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';
import { FLEET_FILES, FLEET_YAML } from './fleet.js';
import { compile, makeRunner, mcpAdapter } from './helpers.js';
import { cutAfterFirstEventId, FAST_RECONNECT, slowFleetUpstream } from './resume-helpers.js';

if (!HAVE_REDIS) console.warn('shared-sessions: redis-server is not installed; skipping (CI installs it)');

/** The slow call answers after 800 ms: long enough to cut its stream mid-way. */
const SLOW_MS = 800;

interface Replica {
  adapter: McpAdapter;
  origin: string;
  logs: string[];
  close: () => Promise<void>;
}

const BALANCER = 'http://balancer.invalid';

describe.skipIf(!HAVE_REDIS)('MCP sessions shared through Redis', () => {
  let redis: RedisServer;
  let upstream: Upstream;
  const replicas: Replica[] = [];

  async function replica(yaml = FLEET_YAML): Promise<Replica> {
    const { graph } = compile(yaml, FLEET_FILES);
    const runner = await makeRunner(graph, { registry: upstream.url }, 5_000);
    const logs: string[] = [];
    const adapter = createMcpAdapter(mcpAdapter(graph), runner, { redisUrl: redis.url, logger: (level, m) => logs.push(`${level} ${m}`) });
    const { port } = await adapter.listen({ port: 0, host: '127.0.0.1' });
    return { adapter, origin: `http://127.0.0.1:${port}`, logs, close: () => runner.close() };
  }

  /** A fetch that sends each request where `pick` says, and records it. */
  function balancer(pick: (init: RequestInit | undefined, n: number) => number, log: Array<{ to: number; method: string; lastEventId: string | null; status: number }> = []): typeof fetch {
    let n = 0;
    return async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const to = pick(init, n++);
      const response = await fetch(new URL(url.pathname + url.search, replicas[to]!.origin), init);
      log.push({ to, method: init?.method ?? 'GET', lastEventId: new Headers(init?.headers).get('last-event-id'), status: response.status });
      return response;
    };
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startUpstream(slowFleetUpstream(SLOW_MS));
    replicas.push(await replica(), await replica());
  });

  afterAll(async () => {
    for (const r of replicas) {
      await r.adapter.close();
      await r.close();
    }
    await upstream?.close();
    await redis?.stop();
  });

  it('serves one stateful session from both replicas alternately', async () => {
    const log: Array<{ to: number; method: string; lastEventId: string | null; status: number }> = [];
    const created = replicas[0]!.adapter.stats().transportsCreated + replicas[1]!.adapter.stats().transportsCreated;
    const client = new Client({ name: 'alternating', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`${BALANCER}/mcp`), { fetch: balancer((_i, n) => n % 2, log) });
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    for (let i = 0; i < 10; i++) {
      expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject({ structuredContent: { imo: 'IMO-9321483', name: 'Northern Star', tonnage: 52000 } });
    }
    expect(log.filter((l) => l.method === 'POST' && l.to === 0).length).toBeGreaterThan(3);
    expect(log.filter((l) => l.method === 'POST' && l.to === 1).length).toBeGreaterThan(3);
    expect(log.every((l) => l.status < 300)).toBe(true);
    // Both replicas hold the session: one opened it, the other re-created it from Redis once.
    expect(replicas[0]!.adapter.stats().sessions).toBeGreaterThanOrEqual(1);
    expect(replicas[1]!.adapter.stats().sessions).toBeGreaterThanOrEqual(1);
    expect(replicas[0]!.adapter.stats().transportsCreated + replicas[1]!.adapter.stats().transportsCreated - created).toBe(2);

    // DELETE on one replica ends the session on both.
    const id = transport.sessionId!;
    await transport.terminateSession();
    await client.close();
    for (const r of replicas) {
      const status = async () => {
        const answer = await fetch(`${r.origin}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
        await answer.body?.cancel();
        return answer.status;
      };
      await expect.poll(status, { timeout: 3_000 }).toBe(404);
    }
  });

  it.each([...SUPPORTED_PROTOCOL_VERSIONS])('re-creates a session opened at %s on the other replica, at that version', async (version) => {
    const json = { 'content-type': 'application/json', accept: 'application/json' };
    const open = await fetch(`${replicas[0]!.origin}/mcp`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: { roots: { listChanged: true } }, clientInfo: { name: 'raw', version: '1' } } }),
    });
    expect(open.status).toBe(200);
    const headers = { ...json, 'mcp-session-id': open.headers.get('mcp-session-id')!, 'mcp-protocol-version': version };
    const list = await fetch(`${replicas[1]!.origin}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name)).toContain('get-ship');
    expect((await fetch(`${replicas[1]!.origin}/mcp`, { method: 'DELETE', headers })).status).toBe(200);
  });

  it('resumes a stream cut mid-way from Last-Event-ID on the other replica', async () => {
    const log: Array<{ to: number; method: string; lastEventId: string | null; status: number }> = [];
    const route = balancer((init) => (new Headers(init?.headers).get('last-event-id') ? 1 : 0), log);
    let cut = 0;
    // Cuts the tools/call stream right after its first event (the priming event with an id).
    const cutting: typeof fetch = async (input, init) => {
      const response = await route(input, init);
      const body = typeof init?.body === 'string' ? init.body : '';
      if (!body.includes('"tools/call"')) return response;
      cut++;
      return cutAfterFirstEventId(response);
    };
    const client = new Client({ name: 'resuming', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${BALANCER}/mcp`), { fetch: cutting, reconnectionOptions: FAST_RECONNECT }));
    const result = await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-SLOW' } });
    expect(result).toMatchObject({ structuredContent: { imo: 'IMO-SLOW', name: 'Northern Star' } });
    expect(cut).toBe(1);
    const resumed = log.filter((l) => l.lastEventId);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed.every((l) => l.to === 1 && l.status === 200)).toBe(true);
    await client.close();
  });

  it('tells a session held by one replica that the tools changed after a reload on the other', async () => {
    const client = new Client({ name: 'listening', version: '1' });
    const gets: number[] = [];
    const onB = balancer(() => 1);
    const fetchB: typeof fetch = async (input, init) => {
      const response = await onB(input, init);
      if ((init?.method ?? 'GET') === 'GET') gets.push(response.status);
      return response;
    };
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changed++);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${BALANCER}/mcp`), { fetch: fetchB }));
    await until(() => gets.includes(200));
    const extra = FLEET_YAML.replace('        - name: slow-call\n', '        - name: get-ship-again\n          description: The same ship again\n          call: registry.get-ship\n          with:\n            imo: fleet-tools.imo\n        - name: slow-call\n');
    const { graph } = compile(extra, FLEET_FILES);
    const runner = await makeRunner(graph, { registry: upstream.url });
    try {
      await replicas[0]!.adapter.update(mcpAdapter(graph), runner);
      await until(() => changed === 1, 5_000);
      expect((await replicas[0]!.adapter.tools).map((t) => t.name)).toContain('get-ship-again');
    } finally {
      await client.close();
      await runner.close();
    }
  });

  it('relays a legacy SSE client POST to the replica holding its stream', async () => {
    const log: Array<{ to: number; method: string; lastEventId: string | null; status: number }> = [];
    const route = balancer((init) => ((init?.method ?? 'GET') === 'POST' ? 1 : 0), log);
    const client = new Client({ name: 'legacy', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${BALANCER}/sse`), { fetch: route }));
    expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject({ structuredContent: { name: 'Northern Star' } });
    expect(log.filter((l) => l.method === 'POST').every((l) => l.to === 1 && l.status === 202)).toBe(true);
    await client.close();
  });

  it('with Redis stopped: a clear 503 at once for what needs it, stateless requests and held sessions still served', async () => {
    const held = new Client({ name: 'held', version: '1' });
    await held.connect(new StreamableHTTPClientTransport(new URL(`${replicas[0]!.origin}/mcp`)));
    expect(await held.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject({ structuredContent: { name: 'Northern Star' } });
    await redis.stop();
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const started = Date.now();
    const open = await fetch(`${replicas[0]!.origin}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(open.status).toBe(503);
    expect(open.headers.get('retry-after')).toBe('2');
    const error = ((await open.json()) as { error: { message: string } }).error.message;
    expect(error).toContain(`the MCP session store (Redis at ${redis.url}) is unreachable`);
    expect(error).toContain('requests without a session (stateless) are still served');
    const unknown = await fetch(`${replicas[1]!.origin}/mcp`, { method: 'POST', headers: { ...headers, 'mcp-session-id': '00000000-0000-4000-8000-000000000000' }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(unknown.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);

    const stateless = await fetch(`${replicas[1]!.origin}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' } } }) });
    expect(stateless.status).toBe(200);
    expect(await stateless.json()).toMatchObject({ id: 3, result: { structuredContent: { name: 'Northern Star' } } });
    // The session replica 1 holds goes on (its stream events are not resumable meanwhile).
    expect(await held.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject({ structuredContent: { name: 'Northern Star' } });
    await held.close();
    expect(replicas[0]!.logs.some((l) => l.startsWith('warn') && l.includes('is unreachable'))).toBe(true);
  });
});
