/**
 * Graceful shutdown of `capstan run`: after SIGTERM the listener closes at once, a request
 * already in flight still gets its answer, and the process exits 0.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { portOf, refused, waitRefused } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Slow upstream
  description: One operation whose upstream answers when the test says so.
capability:
  consumes:
  - type: http
    namespace: slow-api
    baseUri: http://127.0.0.1:9
    resources:
    - name: report
      path: /report
      operations:
      - name: get-report
        method: GET
  exposes:
  - type: rest
    namespace: slow-rest
    port: 8080
    resources:
    - path: /report
      name: report
      operations:
      - method: GET
        name: get-report
        call: slow-api.get-report
        outputParameters:
        - type: number
          mapping: $.total
`;

describe('SIGTERM with a request in flight', () => {
  let upstream: Upstream;
  let run: CapstanRun;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => void held.push(res));
    run = await startCapstan([tempSpec(SPEC, 'slow.yaml')], { namespaces: ['slow-rest'], upstream: upstream.url });
  });

  afterAll(async () => {
    await run?.stop('SIGKILL');
    await upstream?.close();
  });

  it('finishes the request with 200, refuses new connections, and exits 0', async () => {
    const base = run.rest['slow-rest']!;
    const port = portOf(base);
    const inFlight = fetch(`${base}/report`);
    await until(() => held.length === 1);

    run.child.kill('SIGTERM');
    await until(() => run.stderr().includes('SIGTERM received'));
    // The listener is closed while the request is still waiting for its upstream.
    expect(await waitRefused(port, 3_000)).toBe(true);
    expect(run.child.exitCode).toBeNull();

    json(held[0]!, 200, { total: 42, ignored: true });
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toBe(42);
    // The answer closes its keep-alive connection, so the drain does not wait for the grace period.
    expect(res.headers.get('connection')).toBe('close');
    const answered = Date.now();

    const { code, signal } = await run.exited;
    expect(Date.now() - answered).toBeLessThan(3_000);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(await refused(port)).toBe(true);
  });
});
