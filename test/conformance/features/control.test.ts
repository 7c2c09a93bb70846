/**
 * Conformance rows 78-84 of docs/conformance.md: the control adapter (`type: control`:
 * health, status, config, reload, logs, scripting endpoints; metrics, traces, OpenTelemetry).
 * Capstan serves `/health/live`, `/health/ready`, (with `management.info`) `/status`, `/metrics`
 * and (with `management.reload`) `POST /reload`, exports traces over OTLP and propagates W3C
 * trace context; `/config` answers 501; the rest is not served, and `capstan run` says so at start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { runCli } from '../../helpers/cli.js';
import { tempSpec } from '../../helpers/tmp.js';
import { startCapstan, type CapstanRun } from '../../helpers/process.js';
import { closedPort, json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { eventually } from '../../helpers/wait.js';

const spec = (controlPort: number) => `naftiko: 1.0.0-alpha2
info:
  label: Control
  description: A capability that declares a control port
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://127.0.0.1:9/base
      resources:
        - name: ping
          path: /ping
          operations:
            - name: ping
              method: GET
  exposes:
    - type: rest
      namespace: api
      port: 8080
      resources:
        - path: /ping
          name: ping
          operations:
            - method: GET
              name: ping
              call: up.ping
    - type: control
      port: ${controlPort}
      address: 127.0.0.1
      management:
        health: true
        info: true
        reload: true
        validate: true
        logs: true
        scripting:
          enabled: true
          timeout: 1000
      observability:
        enabled: true
        metrics:
          local:
            enabled: true
        traces:
          sampling: 0.5
          propagation: b3
          local:
            enabled: true
        exporters:
          otlp:
            endpoint: "http://127.0.0.1:4318"
`;

describe('control adapter and observability', () => {
  let controlPort: number;
  let file: string;
  let run: CapstanRun;
  let upstream: Upstream;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => json(res, 200, { pong: true }));
    controlPort = await closedPort();
    file = tempSpec(spec(controlPort));
    run = await startCapstan([file], { namespaces: ['api'], upstream: upstream.url });
  });

  afterAll(async () => {
    await run?.stop();
    await upstream?.close();
  });

  it('a control adapter with management and observability settings validates, and its scripting settings are compiled', () => {
    expect(runCli(['validate', file]).code).toBe(0);
    const result = checkSpec(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const control = result.graph!.adapters.find((a) => a.type === 'control');
    expect(control).toMatchObject({ type: 'control', port: controlPort, spec: { management: { scripting: { enabled: true, timeout: 1000 } } } });
  });

  it('`capstan run` serves health and status on the control port, and warns about the management features it does not serve', async () => {
    expect(Object.keys(run.rest)).toEqual(['api']);
    // Adapters come up concurrently: the control line may follow the REST one.
    await eventually(() => /^control\s/m.test(run.stderr()), 5_000);
    expect(run.stderr()).toMatch(new RegExp(`^control\\s+\\S+\\s+http://127\\.0\\.0\\.1:${controlPort}$`, 'm'));
    await eventually(() => run.stdout().includes('not served by Capstan yet'), 5_000);
    expect(run.stdout()).toContain('not served by Capstan yet: validate, logs, scripting endpoint (/scripting)');
    expect(run.stdout()).toContain('observability settings not honoured: traces.propagation b3 (W3C trace context is used), traces.local (/traces)');
    const base = `http://127.0.0.1:${controlPort}`;
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'UP' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'UP', adapters: [{ type: 'rest', namespace: 'api', port: Number(new URL(run.rest.api!).port), state: 'started' }] });
    const status = (await (await fetch(`${base}/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ capability: { label: 'Control', specVersion: '1.0.0-alpha2' }, engine: { name: 'capstan' } });
    expect(status.uptime).toMatch(/^PT\d+S$/);
    for (const path of ['/scripting', '/traces']) expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    expect((await fetch(`${base}/config`)).status).toBe(501);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP capstan_requests_total /m);
  });

  it('with an OTLP exporter declared, upstream calls carry an `x-request-id` and W3C trace context continuing the caller\'s trace (no b3)', async () => {
    const res = await fetch(`${run.rest.api}/ping`, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    expect(res.status).toBe(200);
    const seen = upstream.seen.at(-1)!;
    expect(seen.url).toBe('/base/ping'); // a bare-origin --upstream keeps the baseUri path
    expect(seen.headers['x-request-id']).toMatch(/\S/);
    expect(seen.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(seen.headers.traceparent).not.toContain('b7ad6b7169203331');
    expect(seen.headers.b3).toBeUndefined();
  });
});
