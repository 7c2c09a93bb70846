/**
 * The MCP gateway scaled out as deployed (`deploy/mcp-scale`): a real redis-server, real HAProxy
 * round-robin in front of three `capstan run --redis` processes, each with its own copy of the
 * capability file, driven by the SDK's clients. One stateful session makes 100 tool calls spread
 * over the replicas while one replica is killed; a stream cut mid-way resumes from
 * `Last-Event-ID` on another replica; a reload of one replica's file reaches a session held by
 * another; a legacy SSE client works through the balancer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, SSEClientTransport, StreamableHTTPClientTransport, ToolListChangedNotificationSchema } from '../../packages/mcp/testing/sdk.js';
import { HAPROXY, startHaproxy, type Daemon } from '../helpers/haproxy.js';
import { HAVE_REDIS, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { closedPort, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';
import { FLEET_FILES, FLEET_YAML } from './fleet.js';
import { cutAfterFirstEventId, FAST_RECONNECT, slowFleetUpstream } from './resume-helpers.js';

const missing = [HAVE_REDIS ? '' : 'redis-server', HAPROXY ? '' : 'haproxy'].filter(Boolean);
if (missing.length) console.warn(`scale-out: ${missing.join(' and ')} not installed; skipping (CI installs them)`);

interface Replica {
  run: CapstanRun;
  file: string;
  origin: string;
}

/** Tool calls a replica logged (one JSON line per request). */
function toolCalls(r: Replica): number {
  return r.run.stdout().split('\n').filter((l) => l.includes('"rpc":"tools/call"')).length;
}

/** The slow call answers after 1 s: long enough to cut its stream mid-way. */
const SLOW_MS = 1_000;

describe.skipIf(missing.length > 0)('MCP gateway scaled out: redis-server + HAProxy + three capstan run', () => {
  let redis: RedisServer;
  let haproxy: Daemon & { url: string };
  let upstream: Upstream;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startUpstream(slowFleetUpstream(SLOW_MS));
    for (let i = 0; i < 3; i++) {
      const dir = tempSpecDir({ 'cap.yaml': FLEET_YAML, ...FLEET_FILES });
      const port = await closedPort();
      const file = join(dir, 'cap.yaml');
      const run = await spawnCapstanRun([file, '--host', '127.0.0.1', '--port', `fleet-tools=${port}`, '--upstream', `registry=${upstream.url}`, '--redis', redis.url, '--timeout', '5000'], { waitFor: ['fleet-tools'] });
      replicas.push({ run, file, origin: `http://127.0.0.1:${port}` });
    }
    haproxy = await startHaproxy(replicas.map((r) => Number(new URL(r.origin).port)));
  }, 60_000);

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(replicas.map((r) => r.run.stop('SIGTERM', 5_000)));
    await upstream?.close();
    await redis?.stop();
  });

  it('resumes a stream cut mid-way from Last-Event-ID on another replica', async () => {
    // The call goes to replica 1, the reconnection to replica 2 (the session itself opened through HAProxy).
    const resumedOn: number[] = [];
    const route: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const resume = new Headers(init?.headers).get('last-event-id');
      const call = typeof init?.body === 'string' && init.body.includes('"tools/call"');
      const target = resume ? replicas[1]!.origin : call ? replicas[0]!.origin : haproxy.url;
      const response = await fetch(new URL(url.pathname + url.search, target), init);
      if (resume) resumedOn.push(response.status);
      return call ? cutAfterFirstEventId(response) : response;
    };
    const client = new Client({ name: 'resuming', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${haproxy.url}/mcp`), { fetch: route, reconnectionOptions: FAST_RECONNECT }));
    try {
      expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-SLOW' } })).toMatchObject({ structuredContent: { imo: 'IMO-SLOW', name: 'Northern Star' } });
      expect(resumedOn.length).toBeGreaterThanOrEqual(1);
      expect(resumedOn.every((s) => s === 200)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('a reload of one replica file gives list_changed to a session held by another', async () => {
    const client = new Client({ name: 'listening', version: '1' });
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changed++);
    const streams: number[] = [];
    const onReplica3: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if ((init?.method ?? 'GET') === 'GET') streams.push(response.status);
      return response;
    };
    await client.connect(new StreamableHTTPClientTransport(new URL(`${replicas[2]!.origin}/mcp`), { fetch: onReplica3 }));
    try {
      await until(() => streams.includes(200));
      const file = replicas[0]!.file;
      writeFileSync(file, readFileSync(file, 'utf8').replace('        - name: slow-call\n', '        - name: get-ship-again\n          description: The same ship again\n          call: registry.get-ship\n          with:\n            imo: fleet-tools.imo\n        - name: slow-call\n'));
      replicas[0]!.run.child.kill('SIGHUP');
      await until(() => changed >= 1, 10_000);
      expect(changed).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('a legacy SSE client works through the round-robin balancer (its POSTs relayed to the replica holding its stream)', async () => {
    const client = new Client({ name: 'legacy', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${haproxy.url}/sse`)));
    try {
      for (let i = 0; i < 6; i++) expect(await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } })).toMatchObject({ structuredContent: { name: 'Northern Star' } });
    } finally {
      await client.close();
    }
  });

  it('one stateful session makes 100 tool calls across the replicas, and goes on when one is killed mid-run', async () => {
    const before = replicas.map(toolCalls);
    const client = new Client({ name: 'hundred', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`${haproxy.url}/mcp`));
    await client.connect(transport);
    const session = transport.sessionId;
    const ok: number[] = [];
    let atKill: number[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        if (i === 50) {
          // A replica logs a call just after answering it: wait for the 50 lines before counting.
          await until(() => replicas.reduce((n, r, k) => n + toolCalls(r) - before[k]!, 0) === 50);
          atKill = replicas.map(toolCalls);
          await replicas[2]!.run.stop('SIGKILL');
        }
        const result = await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } });
        expect(result).toMatchObject({ structuredContent: { imo: 'IMO-9321483', name: 'Northern Star', tonnage: 52000 } });
        ok.push(i);
      }
    } finally {
      await client.close();
    }
    expect(ok.length).toBe(100);
    await until(() => replicas.reduce((n, r, k) => n + toolCalls(r) - before[k]!, 0) === 100);
    expect(transport.sessionId).toBe(session);
    const served = replicas.map((r, i) => toolCalls(r) - before[i]!);
    const afterKill = replicas.map((r, i) => toolCalls(r) - atKill[i]!);
    // Round-robin: every replica served calls of the one session before the kill, the two left after it.
    for (let i = 0; i < 3; i++) expect(atKill[i]! - before[i]!, `replica ${i + 1} before the kill`).toBeGreaterThanOrEqual(10);
    expect(afterKill[0]! + afterKill[1]!).toBe(50);
    expect(afterKill[0]).toBeGreaterThanOrEqual(15);
    expect(afterKill[1]).toBeGreaterThanOrEqual(15);
    expect(served.reduce((a, b) => a + b, 0)).toBe(100);
  }, 60_000);
});
