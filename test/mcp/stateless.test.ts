/**
 * Stateless mode: two independent adapter instances (separate registries and executors, as two
 * replicas would be) answer one client alternately; nothing is kept between requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { fleetUpstream, FLEET_FILES, FLEET_YAML } from './fleet.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { compile, makeRunner, mcpAdapter } from './helpers.js';

let upstream: Upstream;
const replicas: Array<{ adapter: McpAdapter; origin: string; close: () => Promise<void> }> = [];
const served: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream(fleetUpstream);
  for (let i = 0; i < 2; i++) {
    const { graph } = compile(FLEET_YAML, FLEET_FILES);
    const runner = await makeRunner(graph, { registry: upstream.url });
    const adapter = createMcpAdapter(mcpAdapter(graph), runner, { stateless: true, logger: () => undefined });
    const { port } = await adapter.listen({ port: 0, host: '127.0.0.1' });
    replicas.push({ adapter, origin: `http://127.0.0.1:${port}`, close: () => runner.close() });
  }
});

afterAll(async () => {
  for (const r of replicas) {
    await r.adapter.close();
    await r.close();
  }
  await upstream?.close();
});

/** A round-robin "load balancer" in the client: each request goes to the next replica. */
function roundRobinFetch(): typeof fetch {
  let next = 0;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = replicas[next++ % replicas.length]!;
    served.push(target.origin);
    const to = new URL(url.pathname + url.search, target.origin);
    return fetch(to, init);
  };
}

describe('stateless mode', () => {
  it('serves one client from two replicas alternately', async () => {
    const client = new Client({ name: 'rr', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL('http://balancer.invalid/mcp'), { fetch: roundRobinFetch() });
    await client.connect(transport);
    expect(transport.sessionId).toBeUndefined();
    expect(client.getServerVersion()).toEqual({ name: 'fleet-tools', version: '1.0.0' });

    const results: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      results.push(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } }));
    }
    for (const r of results) {
      expect(r).toEqual({
        content: [{ type: 'text', text: '{"imo":"IMO-9321483","name":"Northern Star","tonnage":52000}' }],
        structuredContent: { imo: 'IMO-9321483', name: 'Northern Star', tonnage: 52000 },
      });
    }
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['list-ships', 'get-ship', 'get-ship-raw', 'slow-call']);
    await client.close();

    // Both replicas answered, alternately.
    const [a, b] = replicas.map((r) => r.origin);
    expect(served.length).toBeGreaterThanOrEqual(9);
    served.forEach((origin, i) => expect(origin).toBe(i % 2 === 0 ? a : b));
    const statsA = replicas[0]!.adapter.stats();
    const statsB = replicas[1]!.adapter.stats();
    expect(statsA.httpRequests).toBeGreaterThanOrEqual(4);
    expect(statsB.httpRequests).toBeGreaterThanOrEqual(4);
    for (const s of [statsA, statsB]) {
      // One registry per adapter, never rebuilt; lone tools/call and tools/list on the fast path's
      // one server (created for the first request a tool call without it cannot take: tools/list
      // here, on one of the replicas), other POSTs (initialize, notifications) on a transport each;
      // no server per request.
      expect(s.registryBuilds).toBe(1);
      expect(s.sessions).toBe(0);
      expect(s.fastCalls).toBeGreaterThanOrEqual(3);
      expect(s.transportsCreated).toBeGreaterThanOrEqual(1);
      expect(s.transportsCreated + s.fastCalls).toBeLessThanOrEqual(s.httpRequests);
      expect(s.serversCreated).toBeGreaterThanOrEqual(1);
      expect(s.serversCreated).toBeLessThanOrEqual(2);
    }
    expect(statsA.serversCreated + statsB.serversCreated).toBe(3);
  });

  it('answers concurrent calls on one server, creating no server or transport per request', async () => {
    const replica = replicas[0]!;
    const before = replica.adapter.stats();
    const call = (id: number) =>
      fetch(`${replica.origin}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list-ships', arguments: { status: 'active' } } }),
      }).then((r) => r.json() as Promise<{ id: number; result: { content: Array<{ text: string }> } }>);
    const answers = await Promise.all([1, 2, 3, 4].map(call));
    answers.forEach((a, i) => {
      expect(a.id).toBe(i + 1);
      expect(a.result.content[0]!.text).toBe('[{"imo":"IMO-9321483","name":"Northern Star"}]');
    });
    for (let i = 0; i < 10; i++) await call(10 + i);
    const after = replica.adapter.stats();
    expect(after.registryBuilds).toBe(1);
    expect(after.fastCalls - before.fastCalls).toBe(14);
    expect(after.transportsCreated).toBe(before.transportsCreated);
    expect(after.serversCreated).toBe(before.serversCreated);
  });

  it('has no server-to-client stream and no session to delete', async () => {
    const origin = replicas[1]!.origin;
    const get = await fetch(`${origin}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    await get.text();
    const del = await fetch(`${origin}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': 'x' } });
    expect(del.status).toBe(405);
    await del.text();
  });
});
