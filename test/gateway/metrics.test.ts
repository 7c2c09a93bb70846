/**
 * Prometheus metrics: after REST and MCP traffic (and a failing upstream), `/metrics` on the
 * control adapter has request counts and latency per adapter, operation or tool and status,
 * upstream calls per namespace and operation, errors, in-flight requests and process metrics.
 * `--metrics-port` serves the same without a control adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';
import { FLEET_NAMESPACES, fleetYaml } from './fixture.js';

/** The value of the sample `name{labels…}` (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[3]);
  }
  return undefined;
}

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream((req, res) => (req.url.startsWith('/ships/') ? json(res, 503, { down: true }) : json(res, 200, { ships: [] })));
});
afterAll(() => upstream?.close());

function callTool(url: string, name: string, args: Record<string, unknown> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }) });
}

describe('metrics on the control adapter', () => {
  let run: CapstanRun;
  beforeAll(async () => {
    run = await startCapstan([tempSpec(fleetYaml({ getShipTool: true }))], { namespaces: FLEET_NAMESPACES, upstream: upstream.url });
  });
  afterAll(() => run?.stop());
  const url = (ns: string) => run.adapters.find((a) => a.namespace === ns)!.url;

  it('counts requests and upstream calls with their labels after traffic', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${url('api')}/ships`)).status).toBe(200);
    expect((await fetch(`${url('api')}/ships/9074729`)).status).toBe(503);
    for (let i = 0; i < 2; i++) expect((await callTool(url('tools'), 'list-ships')).status).toBe(200);
    const res = await fetch(`${url('control')}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'capstan_requests_total', { kind: 'rest', adapter: 'api', operation: 'list-ships', status: '200' })).toBe(3);
    expect(sample(text, 'capstan_requests_total', { kind: 'rest', adapter: 'api', operation: 'get-ship', status: '503' })).toBe(1);
    expect(sample(text, 'capstan_requests_total', { kind: 'mcp', adapter: 'tools', operation: 'list-ships', status: '200' })).toBe(2);
    expect(sample(text, 'capstan_request_duration_seconds_count', { kind: 'mcp', adapter: 'tools', operation: 'list-ships', status: '200' })).toBe(2);
    expect(sample(text, 'capstan_request_duration_seconds_bucket', { kind: 'rest', adapter: 'api', operation: 'list-ships', status: '200', le: '+Inf' })).toBe(3);
    expect(sample(text, 'capstan_upstream_requests_total', { namespace: 'registry', operation: 'list-ships', outcome: '200' })).toBe(5);
    expect(sample(text, 'capstan_upstream_requests_total', { namespace: 'registry', operation: 'get-ship', outcome: '503' })).toBe(1);
    expect(sample(text, 'capstan_upstream_errors_total', { namespace: 'registry', operation: 'get-ship', error: 'http-503' })).toBe(1);
    expect(sample(text, 'capstan_upstream_request_duration_seconds_count', { namespace: 'registry', operation: 'list-ships' })).toBe(5);
    // The scrape itself is in flight while the gauge is read.
    expect(sample(text, 'capstan_requests_in_flight', {})).toBe(1);
    expect(sample(text, 'process_cpu_user_seconds_total', {})).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds', {})).toBeGreaterThanOrEqual(0);
  });

  it('/config answers 501 problem+json instead of a bare 404', async () => {
    const res = await fetch(`${url('control')}/config`);
    expect(res.status).toBe(501);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await res.json()) as { detail: string }).toMatchObject({ detail: expect.stringContaining('not served by Capstan') });
  });
});

describe('--metrics-port without a control adapter', () => {
  it('serves /metrics on its own port', async () => {
    const noControl = fleetYaml().replace(/    - type: control[\s\S]*$/, '');
    const run = await startCapstan([tempSpec(noControl)], { namespaces: ['api', 'tools'], upstream: upstream.url, args: ['--metrics-port', '0'] });
    try {
      await until(() => /^metrics http:\/\/\S+\/metrics$/m.test(run.stderr()), 10_000);
      const metricsUrl = /^metrics (http:\/\/\S+\/metrics)$/m.exec(run.stderr())![1]!.replace('localhost', '127.0.0.1');
      expect((await fetch(`${run.rest.api}/ships`)).status).toBe(200);
      const text = await (await fetch(metricsUrl)).text();
      expect(sample(text, 'capstan_requests_total', { kind: 'rest', adapter: 'api', operation: 'list-ships', status: '200' })).toBe(1);
      expect(sample(text, 'capstan_upstream_requests_total', { namespace: 'registry', operation: 'list-ships', outcome: '200' })).toBe(1);
    } finally {
      await run.stop();
    }
  });
});
