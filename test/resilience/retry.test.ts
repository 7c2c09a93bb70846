/** Retries of upstream calls: defaults for idempotent methods, POST left alone, Retry-After, the caller's time budget. */
import { describe, expect, it } from 'vitest';
import { backoffCeiling, retryAfterMs } from '@capstan/runtime/internals';
import { DEFAULT_RETRY } from '@capstan/spec';
import { failThenSucceed, oneOperation, setUp, useCleanups } from './helpers.js';

const add = useCleanups();

describe('retries (defaults)', () => {
  it('a GET succeeds after two 503s (2 retries by default)', async () => {
    const { graph } = oneOperation({});
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 503 }, { status: 503 }]));
    const result = await run();
    expect(result).toMatchObject({ status: 200 });
    expect(up.seen).toHaveLength(3);
  });

  it('a GET gives up after the retries and passes the last upstream answer through', async () => {
    const { graph } = oneOperation({});
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 503 }, { status: 502 }, { status: 504 }, { status: 503 }]));
    const result = await run();
    expect(result).toMatchObject({ kind: 'raw', status: 504 });
    expect(up.seen).toHaveLength(3);
  });

  it('a POST is never retried by default', async () => {
    const { graph } = oneOperation({ method: 'POST' });
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 503 }]));
    expect(await run()).toMatchObject({ status: 503 });
    expect(up.seen).toHaveLength(1);
  });

  it('a POST marked idempotent is retried', async () => {
    const { graph } = oneOperation({ method: 'POST', opResiliency: 'retry:\n  idempotent: true\n' });
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 503 }]));
    expect(await run()).toMatchObject({ status: 200 });
    expect(up.seen).toHaveLength(2);
    expect(up.seen[1]!.method).toBe('POST');
  });

  it('statuses outside the retry list (500, 404) are not retried', async () => {
    const { graph } = oneOperation({});
    for (const status of [500, 404]) {
      const { up, run } = await setUp(add, graph, failThenSucceed([{ status }]));
      expect(await run()).toMatchObject({ status });
      expect(up.seen).toHaveLength(1);
    }
  });

  it('a first answer cut off mid-body is fetched again: the caller gets the whole answer', async () => {
    const { graph } = oneOperation({});
    const whole = JSON.stringify({ ok: true, items: Array.from({ length: 50 }, (_, i) => `item-${i}`) });
    let n = 0;
    const { up, run } = await setUp(add, graph, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(whole)) });
      if (n++ > 0) return res.end(whole);
      res.write(whole.slice(0, 20));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const result = await run();
    expect(result).toMatchObject({ status: 200 });
    expect(result.kind === 'raw' ? JSON.parse(result.body.toString('utf8')) : undefined).toEqual(JSON.parse(whole));
    expect(up.seen).toHaveLength(2);
  });

  it('429 is retried', async () => {
    const { graph } = oneOperation({});
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 429 }]));
    expect(await run()).toMatchObject({ status: 200 });
    expect(up.seen).toHaveLength(2);
  });
});

describe('retry configuration', () => {
  it('attempts: 0 on the API turns retries off; the operation level wins over the API level', async () => {
    const off = oneOperation({ apiResiliency: 'retry:\n  attempts: 0\n' }).graph;
    const a = await setUp(add, off, failThenSucceed([{ status: 503 }]));
    expect(await a.run()).toMatchObject({ status: 503 });
    expect(a.up.seen).toHaveLength(1);
    const on = oneOperation({ apiResiliency: 'retry:\n  attempts: 0\n', opResiliency: 'retry:\n  attempts: 3\n' }).graph;
    const b = await setUp(add, on, failThenSucceed([{ status: 503 }, { status: 503 }, { status: 503 }]));
    expect(await b.run()).toMatchObject({ status: 200 });
    expect(b.up.seen).toHaveLength(4);
  });

  it('gateway-wide defaults (CLI) apply below the capability', async () => {
    const { graph } = oneOperation({});
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 503 }]), { resilience: { retry: { attempts: 0 } } });
    expect(await run()).toMatchObject({ status: 503 });
    expect(up.seen).toHaveLength(1);
  });

  it('honours Retry-After (seconds) exactly, not the backoff', async () => {
    const { graph } = oneOperation({ opResiliency: 'retry:\n  waitDuration: 1\n' });
    const times: number[] = [];
    const reply = failThenSucceed([{ status: 503, headers: { 'retry-after': '1' } }]);
    const { run } = await setUp(add, graph, (req, res) => {
      times.push(Date.now());
      return reply(req, res);
    });
    expect(await run()).toMatchObject({ status: 200 });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('never waits past the caller\'s timeout: a Retry-After beyond the budget returns the answer at once', async () => {
    const { graph } = oneOperation({});
    const { up, run } = await setUp(add, graph, failThenSucceed([{ status: 503, headers: { 'retry-after': '30' } }]), { timeouts: { connectMs: 200, headersMs: 500, bodyMs: 500 } });
    const started = Date.now();
    expect(await run()).toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(up.seen).toHaveLength(1);
  });

  it('retries a refused connection (connect error) and still reports unavailable when nothing ever listens', async () => {
    const { graph } = oneOperation({});
    const { up, run } = await setUp(add, graph, failThenSucceed([]));
    await up.close();
    const started = Date.now();
    await expect(run()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('backoff arithmetic', () => {
  it('exponential ceilings double up to the cap; fixed stays', () => {
    const p = { ...DEFAULT_RETRY, waitDuration: 100, maxWaitDuration: 350 };
    expect([1, 2, 3, 4].map((n) => backoffCeiling(p, n))).toEqual([100, 200, 350, 350]);
    expect(backoffCeiling({ ...p, backoff: 'fixed' }, 4)).toBe(100);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
