/** Outbound rate limits per consumed API: a local upstream stays under the declared rate while 200 calls are made at once. */
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import { OutboundLimiter } from '@capstan/runtime/internals';
import { busiestWindow, oneOperation, setUp, useCleanups } from './helpers.js';

const add = useCleanups();

describe('outbound rate limit', () => {
  it('200 concurrent calls reach the upstream at no more than the declared rate, and all succeed', async () => {
    const { graph } = oneOperation({ apiResiliency: 'rateLimiter:\n  limitForPeriod: 25\n  limitRefreshPeriod: 250\n  timeoutDuration: 5000\n' });
    const arrivals: number[] = [];
    const { run } = await setUp(add, graph, (_req, res) => {
      arrivals.push(performance.now());
      json(res, 200, { ok: true });
    });
    // Warm-up: one burst opens the pool's connections, so the measured run is not skewed by connects.
    await Promise.all(Array.from({ length: 25 }, () => run()));
    await sleep(300);
    arrivals.length = 0;
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => run()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(arrivals).toHaveLength(200);
    // 200 calls at 25 per 250 ms: the first burst, then seven more periods (unlimited, they all land within a few ms).
    expect(Math.max(...arrivals) - started).toBeGreaterThanOrEqual(7 * 250 - 20);
    // At the upstream, delivery jitter on a loaded machine can push part of one burst next to the
    // following one, never two bursts into one period (unlimited, all 200 land together); the
    // exact bound is checked on the limiter's own release times below.
    expect(busiestWindow(arrivals, 250 - 30)).toBeLessThan(2 * 25);
  });

  it('answers 429 itself (rate-limited, with a retry hint) when the wait would exceed timeoutDuration', async () => {
    const { graph } = oneOperation({ apiResiliency: 'rateLimiter:\n  limitForPeriod: 2\n  limitRefreshPeriod: 2000\n  timeoutDuration: 100\n' });
    const { up, run } = await setUp(add, graph, (_req, res) => json(res, 200, { ok: true }));
    const settled = await Promise.allSettled([run(), run(), run()]);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    const refused = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ name: 'UpstreamError', kind: 'rate-limited', namespace: 'up', retryAfterSeconds: 2 });
    expect(up.seen).toHaveLength(2);
  });

  it('releases at most limitForPeriod calls in any window of one period, in arrival order', async () => {
    const limiter = new OutboundLimiter({ limitForPeriod: 10, limitRefreshPeriod: 100, timeoutDuration: 2_000 });
    const released: Array<[number, number]> = [];
    await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.acquire({ namespace: 'up', operation: 'op' }).then(() => released.push([i, performance.now()]))));
    expect(released.map(([i]) => i)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // Timestamps are taken when each waiter resumes (a little after its release): a few ms of margin.
    expect(busiestWindow(released.map(([, t]) => t), 100 - 5)).toBeLessThanOrEqual(10);
    expect(released[59]![1] - released[0]![1]).toBeGreaterThanOrEqual(5 * 100 - 10);
  });

  it('a caller that gives up while queued leaves the queue', async () => {
    const limiter = new OutboundLimiter({ limitForPeriod: 1, limitRefreshPeriod: 200, timeoutDuration: 1_000 });
    const ids = { namespace: 'up', operation: 'op' };
    await limiter.acquire(ids);
    const controller = new AbortController();
    const waiting = limiter.acquire(ids, controller.signal);
    controller.abort(new Error('caller went away'));
    await expect(waiting).rejects.toThrow('caller went away');
    const started = performance.now();
    await limiter.acquire(ids);
    expect(performance.now() - started).toBeLessThan(250);
  });
});
