/**
 * The `--max-concurrency` addition of docs/conformance.md: `capstan run` caps the requests in
 * flight across every adapter; beyond the cap a request is refused at once with 503 problem+json
 * and `Retry-After`, and service resumes when the burst is over.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../../helpers/tmp.js';
import { startCapstan, type CapstanRun } from '../../helpers/process.js';
import { json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { until } from '../../helpers/wait.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Limited
  description: One request at a time
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://127.0.0.1:9
      resources:
        - name: item
          path: /items/{{id}}
          operations:
            - name: get-item
              method: GET
  exposes:
    - type: rest
      namespace: limited
      port: 8080
      resources:
        - path: /items/{id}
          name: item
          operations:
            - method: GET
              name: get-item
              call: up.get-item
              with:
                id: limited.id
`;

describe('capstan run --max-concurrency', () => {
  let upstream: Upstream;
  let run: CapstanRun;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/items/slow') return void held.push(res);
      json(res, 200, { url: req.url });
    });
    run = await startCapstan([tempSpec(SPEC)], { namespaces: ['limited'], upstream: upstream.url, args: ['--max-concurrency', '1'] });
  });

  afterAll(async () => {
    for (const res of held) res.destroy();
    await run?.stop();
    await upstream?.close();
  });

  it('--max-concurrency 1: a request arriving while one is in flight is refused at once with 503 problem+json and Retry-After; service resumes after', async () => {
    const slow = fetch(`${run.rest.limited}/items/slow`);
    await until(() => held.length === 1);
    const started = Date.now();
    const refused = await fetch(`${run.rest.limited}/items/fast`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { status: number }).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(upstream.seen.map((s) => s.url)).toEqual(['/items/slow']);
    json(held[0]!, 200, { done: true });
    expect((await slow).status).toBe(200);
    const after = await fetch(`${run.rest.limited}/items/fast`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ url: '/items/fast' });
  });
});
