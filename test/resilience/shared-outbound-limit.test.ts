/**
 * Outbound rate limits shared by replicas through a real `redis-server` (random port): two
 * executors (two replicas) calling one local upstream keep it under the declared rate together;
 * two `capstan run` gateways share one schedule (`--rate-limit-redis`); with Redis unreachable each
 * replica falls back to its own limit and says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executorFor, handlerOf } from '../executor/helpers.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { HAVE_REDIS, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempSpec } from '../helpers/tmp.js';
import { closedPort, json, startUpstream } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import { SharedLimitStore, SharedOutboundLimiter } from '@capstan/runtime/internals';
import { busiestWindow, oneOperation, restSpec, useCleanups } from './helpers.js';

const add = useCleanups();

/** Two executors ("replicas") of one capability on one upstream that records arrival times. */
async function replicas(limiter: string, redisUrl: string, logger?: { warnings: string[] }) {
  const { graph } = oneOperation({ apiResiliency: `rateLimiter:\n${limiter}` });
  const arrivals: number[] = [];
  const up = await startUpstream((_req, res) => {
    arrivals.push(performance.now());
    json(res, 200, { ok: true });
  });
  add(() => up.close());
  const log = logger ? { debug: () => {}, warn: (_o: object, msg?: string) => logger.warnings.push(msg ?? '') } : undefined;
  const execs = await Promise.all([0, 1].map(() => executorFor(graph, up, { rateLimitRedis: redisUrl, ...(log ? { logger: log } : {}) })));
  for (const e of execs) add(() => e.close());
  const handler = handlerOf(graph, 't');
  return { up, arrivals, run: (replica: number) => execs[replica]!.run(handler, { inputs: {} }) };
}

describe.skipIf(!HAVE_REDIS)('outbound rate limit shared through Redis (redis-server on a random port)', () => {
  // A server per test: each starts from an empty schedule.
  let redis: RedisServer;
  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => redis?.stop());

  it('two replicas making 200 concurrent calls keep the upstream under the declared rate together', async () => {
    const { arrivals, run } = await replicas('  limitForPeriod: 20\n  limitRefreshPeriod: 400\n  timeoutDuration: 8000\n', redis.url);
    // Warm-up: connections to the upstream are open before the measured run.
    await Promise.all([run(0), run(1)]);
    await sleep(450);
    arrivals.length = 0;
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => run(i % 2)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(arrivals).toHaveLength(200);
    // 200 calls at 20 per 400 ms across both replicas: the first 20, then nine more periods.
    // Each replica alone (the in-process limit) would finish in half the time.
    expect(Math.max(...arrivals) - started).toBeGreaterThanOrEqual(9 * 400 - 30);
    // Delivery jitter on a loaded machine can push part of one period next to the following one;
    // never two periods into one (the exact bound is checked on release times below).
    expect(busiestWindow(arrivals, 400 - 60)).toBeLessThan(2 * 20);
  });

  it('two limiters (replicas) release at most limitForPeriod calls in any window of one period', async () => {
    const policy = { limitForPeriod: 10, limitRefreshPeriod: 100, timeoutDuration: 3_000 };
    const stores = [new SharedLimitStore(redis.url), new SharedLimitStore(redis.url)];
    add(async () => void (await Promise.all(stores.map((st) => st.close()))));
    const fallbacks: string[] = [];
    const limiters = stores.map((st) => new SharedOutboundLimiter(st, policy, (ns) => fallbacks.push(ns)));
    const released: number[] = [];
    const monitor = await redis.monitor();
    await Promise.all(Array.from({ length: 80 }, (_, i) => limiters[i % 2]!.acquire({ namespace: 'shared', operation: 'op' }).then(() => released.push(performance.now()))));
    await sleep(50);
    expect(fallbacks).toEqual([]);
    // The send times the replicas agreed on, in Redis's clock: each call's last ZADD (a reservation
    // granted at once, or the confirmation when its turn came). Resume times in this process would
    // bunch whenever a loaded machine stalls the event loop; these do not.
    const sent = new Map<string, number>();
    for (const line of await monitor.stop()) {
      const zadd = /"ZADD" "capstan-ol:shared" "(\d+)" "([^"]+)"/.exec(line);
      if (zadd) sent.set(zadd[2]!, Number(zadd[1]));
    }
    expect(sent.size).toBe(80);
    expect(busiestWindow([...sent.values()], 100)).toBe(10);
    expect(Math.max(...released) - Math.min(...released)).toBeGreaterThanOrEqual(7 * 100 - 10);
  });

  it('a call that would wait past timeoutDuration is refused at once (429), whichever replica reserved the slots', async () => {
    const { up, run } = await replicas('  limitForPeriod: 2\n  limitRefreshPeriod: 60000\n  timeoutDuration: 100\n', redis.url);
    expect((await run(0)).status).toBe(200);
    expect((await run(1)).status).toBe(200);
    await expect(run(0)).rejects.toMatchObject({ name: 'UpstreamError', kind: 'rate-limited', namespace: 'up', retryAfterSeconds: 60 });
    await expect(run(1)).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(up.seen).toHaveLength(2);
  });

  it('two capstan run gateways share one schedule: one given --rate-limit-redis, the other only --redis (shared MCP sessions)', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, [{ id: 1 }]));
    add(() => up.close());
    const spec = tempSpec(restSpec('up', '/items', '{ rateLimiter: { limitForPeriod: 2, limitRefreshPeriod: 60000, timeoutDuration: 100 } }'));
    const gateways: CapstanRun[] = [];
    add(async () => void (await Promise.all(gateways.map((g) => g.stop()))));
    for (const flag of ['--rate-limit-redis', '--redis']) gateways.push(await startCapstan([spec], { namespaces: ['api'], upstream: `${up.url}/base`, args: [flag, redis.url] }));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${gateways[i % 2]!.rest.api}/items`)).status);
    expect(statuses, gateways.map((g) => g.stdout()).join('\n')).toEqual([200, 200, 429]);
    const refused = await fetch(`${gateways[1]!.rest.api}/items`);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { type: string }).type).toBe('https://capstan.dev/problems/upstream-rate-limited');
    expect(up.seen).toHaveLength(2);
  });
});

describe('outbound rate limit with Redis unreachable', () => {
  it('each replica falls back to its own in-process limit and warns', async () => {
    const logger = { warnings: [] as string[] };
    const { up, run } = await replicas('  limitForPeriod: 2\n  limitRefreshPeriod: 60000\n  timeoutDuration: 100\n', `redis://127.0.0.1:${await closedPort()}`, logger);
    const settled = await Promise.allSettled([run(0), run(0), run(0), run(1), run(1), run(1)]);
    // Two per replica: the rate holds per process, not across them.
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect(up.seen).toHaveLength(4);
    expect(logger.warnings.length).toBeGreaterThanOrEqual(1);
    expect(logger.warnings[0]).toMatch(/shared outbound rate limit store is unreachable; up is limited per process/);
  });
});
