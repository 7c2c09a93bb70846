/**
 * The circuit breaker's state as a Prometheus gauge, read through the real `/metrics` endpoint of
 * `capstan run --metrics-port` while a breaker opens, half-opens (a probe held at the upstream)
 * and closes again.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { sleep, until } from '../helpers/wait.js';
import { restSpec } from './helpers.js';

const WAIT_OPEN_MS = 1_500;

const SPEC = restSpec('flaky', '/things', `{ retry: { attempts: 0 }, circuitBreaker: { minimumNumberOfCalls: 2, slidingWindowDuration: 10000, waitDurationInOpenState: ${WAIT_OPEN_MS} } }`);

/** What the upstream does now: fail, answer, or hold the request until released. */
let mode: 'fail' | 'ok' | 'hold' = 'ok';
const held: ServerResponse[] = [];
let upstream: Upstream;
let run: CapstanRun;
let metricsUrl = '';

beforeAll(async () => {
  upstream = await startUpstream((_req, res) => {
    if (mode === 'hold') held.push(res);
    else json(res, mode === 'fail' ? 503 : 200, { mode });
  });
  run = await startCapstan([tempSpec(SPEC)], { namespaces: ['api'], upstream: `${upstream.url}/base`, args: ['--metrics-port', '0'] });
  await until(() => /^metrics http:\/\/\S+\/metrics$/m.test(run.stderr()), 10_000);
  metricsUrl = /^metrics (http:\/\/\S+\/metrics)$/m.exec(run.stderr())![1]!.replace('localhost', '127.0.0.1');
});
afterAll(async () => {
  await run?.stop();
  await upstream?.close();
});

/** The gauge's value per state for one origin, from one scrape. */
async function circuit(origin: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^capstan_upstream_circuit_state\{(.*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.origin === origin) out[labels.state!] = Number(m[2]);
  }
  return out;
}

const get = () => fetch(`${run.rest.api}/things`);

describe('circuit breaker gauge on /metrics', () => {
  it('shows closed, then open after failures, half-open while the probe is out, closed after a good probe', async () => {
    const origin = new URL(upstream.url).origin;
    expect(await circuit(origin)).toEqual({});
    expect((await get()).status).toBe(200);
    expect(await circuit(origin)).toEqual({ closed: 1, open: 0, 'half-open': 0 });

    mode = 'fail';
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(503);
    expect(await circuit(origin)).toEqual({ closed: 0, open: 1, 'half-open': 0 });
    const before = upstream.seen.length;
    expect((await get()).status).toBe(503); // fails fast while open
    expect(upstream.seen.length).toBe(before);

    await sleep(WAIT_OPEN_MS + 200);
    mode = 'hold';
    const probe = get();
    await until(() => held.length === 1, 5_000);
    expect(await circuit(origin)).toEqual({ closed: 0, open: 0, 'half-open': 1 });

    mode = 'ok';
    json(held.shift()!, 200, { probe: true });
    expect((await probe).status).toBe(200);
    expect(await circuit(origin)).toEqual({ closed: 1, open: 0, 'half-open': 0 });
  });
});
