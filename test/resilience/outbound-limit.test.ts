/**
 * Outbound rate limits per consumed API: a local upstream stays under the declared rate while 200
 * calls are made at once. The rate is checked on the release times the limiter decided
 * (`onRelease`), exactly: the times a loaded process resumes callers or delivers requests bunch
 * up when its event loop stalls, whatever the limiter did.
 */
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import type { Executor } from '@capstan/runtime';
import { OutboundLimiter } from '@capstan/runtime/internals';
import { busiestWindow, oneOperation, setUp, useCleanups } from './helpers.js';

const add = useCleanups();

describe('outbound rate limit', () => {
  /** The limiter the executor made for consumed API `ns` (created by its first limited call). */
  function limiterOf(exec: Executor, ns: string): OutboundLimiter {
    const limiter = (exec as unknown as { pipeline: { limiters: Map<string, unknown> } }).pipeline.limiters.get(ns);
    expect(limiter).toBeInstanceOf(OutboundLimiter);
    return limiter as OutboundLimiter;
  }

  /** Records the release times `limiter` decides from now on. */
  function releases(limiter: OutboundLimiter): number[] {
    const decided: number[] = [];
    limiter.onRelease = (at) => decided.push(at);
    return decided;
  }

  it('200 concurrent calls reach the upstream at no more than the declared rate, and all succeed', async () => {
    const { graph } = oneOperation({ apiResiliency: 'rateLimiter:\n  limitForPeriod: 25\n  limitRefreshPeriod: 250\n  timeoutDuration: 5000\n' });
    const arrivals: number[] = [];
    const { exec, run } = await setUp(add, graph, (_req, res) => {
      arrivals.push(performance.now());
      json(res, 200, { ok: true });
    });
    // Warm-up: one burst opens the pool's connections (and makes the limiter).
    await Promise.all(Array.from({ length: 25 }, () => run()));
    await sleep(300);
    arrivals.length = 0;
    const decided = releases(limiterOf(exec, 'up'));
    const results = await Promise.all(Array.from({ length: 200 }, () => run()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(arrivals).toHaveLength(200);
    expect(decided).toHaveLength(200);
    // No window of one period holds more than 25 releases; 200 at 25 per 250 ms take seven more periods after the first burst (unlimited, they all go at once).
    expect(busiestWindow(decided, 250)).toBe(25);
    expect(Math.max(...decided) - Math.min(...decided)).toBeGreaterThanOrEqual(7 * 250);
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
    const decided = releases(limiter);
    const resumed: number[] = [];
    await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.acquire({ namespace: 'up', operation: 'op' }).then(() => resumed.push(i))));
    expect(resumed).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(decided).toHaveLength(60);
    expect(busiestWindow(decided, 100)).toBe(10);
    expect(decided[59]! - decided[0]!).toBeGreaterThanOrEqual(5 * 100);
  });

  it('a caller that gives up while queued leaves the queue: the next caller takes its turn', async () => {
    const limiter = new OutboundLimiter({ limitForPeriod: 1, limitRefreshPeriod: 200, timeoutDuration: 1_000 });
    const decided = releases(limiter);
    const ids = { namespace: 'up', operation: 'op' };
    await limiter.acquire(ids);
    const controller = new AbortController();
    const waiting = limiter.acquire(ids, controller.signal);
    controller.abort(new Error('caller went away'));
    await expect(waiting).rejects.toThrow('caller went away');
    await limiter.acquire(ids);
    // Released second, one period after the first: the one that gave up was never released.
    expect(decided).toHaveLength(2);
    expect(decided[1]! - decided[0]!).toBeGreaterThanOrEqual(200);
  });
});
