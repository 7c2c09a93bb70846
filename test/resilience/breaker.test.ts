/** Circuit breaker per upstream origin: opens on the failure ratio, fails fast naming the upstream, half-opens, closes. */
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import { oneOperation, setUp, useCleanups } from './helpers.js';

const add = useCleanups();

const BREAKER = `retry:
  attempts: 0
circuitBreaker:
  failureRateThreshold: 50
  minimumNumberOfCalls: 4
  slidingWindowDuration: 5000
  waitDurationInOpenState: 400
`;

describe('circuit breaker', () => {
  it('opens after failures, fails fast without calling the upstream, half-opens after the wait and closes on a good probe', async () => {
    const { graph } = oneOperation({ apiResiliency: BREAKER });
    let healthy = false;
    const { up, run, exec } = await setUp(add, graph, (_req, res) => (healthy ? json(res, 200, { ok: true }) : json(res, 503, { down: true })));
    expect(exec.breakerStates()).toEqual([]);
    for (let i = 0; i < 4; i++) expect(await run()).toMatchObject({ status: 503 });
    expect(exec.breakerStates()).toEqual([{ origin: new URL(up.url).origin, state: 'open' }]);

    const before = up.seen.length;
    const started = Date.now();
    const err = await run().then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ name: 'UpstreamError', kind: 'circuit-open', namespace: 'up', operation: 'op', retryAfterSeconds: 1 });
    expect((err as Error).message).toMatch(/circuit breaker for up .* is open/);
    // No upstream call (below) is what fails fast means; the bound only catches a wait (a loaded CI box needs room).
    expect(Date.now() - started).toBeLessThan(500);
    expect(up.seen.length).toBe(before);

    await sleep(450);
    healthy = true;
    expect(await run()).toMatchObject({ status: 200 });
    expect(exec.breakerStates()[0]!.state).toBe('closed');
    expect(await run()).toMatchObject({ status: 200 });
  });

  it('a failed probe opens it again', async () => {
    const { graph } = oneOperation({ apiResiliency: BREAKER });
    const { run, exec } = await setUp(add, graph, (_req, res) => json(res, 502, {}));
    for (let i = 0; i < 4; i++) await run();
    expect(exec.breakerStates()[0]!.state).toBe('open');
    await sleep(450);
    expect(await run()).toMatchObject({ status: 502 });
    expect(exec.breakerStates()[0]!.state).toBe('open');
    await expect(run()).rejects.toMatchObject({ kind: 'circuit-open' });
  });

  it('4xx answers are the caller\'s problem and never open it', async () => {
    const { graph } = oneOperation({ apiResiliency: BREAKER });
    const { run, exec } = await setUp(add, graph, (_req, res) => json(res, 404, {}));
    for (let i = 0; i < 8; i++) expect(await run()).toMatchObject({ status: 404 });
    expect(exec.breakerStates()[0]!.state).toBe('closed');
  });

  it('is off unless configured (no breaker is created)', async () => {
    const { graph } = oneOperation({ apiResiliency: 'retry:\n  attempts: 0\n' });
    const { run, exec } = await setUp(add, graph, (_req, res) => json(res, 503, {}));
    for (let i = 0; i < 12; i++) expect(await run()).toMatchObject({ status: 503 });
    expect(exec.breakerStates()).toEqual([]);
  });
});
