/**
 * Prometheus metrics (prom-client): requests per adapter, operation or tool and status, their
 * latency, requests in flight, upstream calls per consumed namespace and operation (count,
 * latency, failures), circuit breaker states per origin, reloads, and the process metrics
 * prom-client collects by default.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UpstreamObserver } from '@capstan/runtime';
import type { RequestObserver, RequestRecord } from '@capstan/http';
import { registerBreakerGauge, type BreakerReading } from './breaker-gauge.js';

/** Latency buckets in seconds: 1 ms to 30 s. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The metrics of one gateway process. */
export interface GatewayMetrics {
  registry: Registry;
  requests: RequestObserver;
  upstream: UpstreamObserver;
  /** Counts a reload by outcome. */
  reloaded(ok: boolean): void;
  /** The text exposition (`/metrics`). */
  render(): Promise<{ contentType: string; body: string }>;
}

/** What a request is about: the operation or tool, else the JSON-RPC method, else the route. */
function operationOf(r: RequestRecord): string {
  return r.operation ?? r.tool ?? r.rpc ?? r.route ?? 'unmatched';
}

/** `inFlight` reads the number of requests being answered when scraped; `breakers` the circuit breakers' states. */
export function createMetrics(inFlight: () => number, breakers: () => readonly BreakerReading[] = () => []): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labels = ['kind', 'adapter', 'operation', 'status'] as const;
  const total = new Counter({ name: 'capstan_requests_total', help: 'Requests answered, by adapter kind, adapter, operation or tool, and HTTP status', labelNames: labels, registers: [registry] });
  const duration = new Histogram({ name: 'capstan_request_duration_seconds', help: 'Time to answer a request, by adapter kind, adapter, operation or tool, and HTTP status', labelNames: labels, buckets: BUCKETS, registers: [registry] });
  new Gauge({ name: 'capstan_requests_in_flight', help: 'Requests being answered now (long-lived MCP streams excluded)', registers: [registry], collect() { this.set(inFlight()); } });
  const upLabels = ['namespace', 'operation'] as const;
  const upTotal = new Counter({ name: 'capstan_upstream_requests_total', help: 'Upstream calls, by consumed namespace, operation and outcome (HTTP status or failure kind)', labelNames: [...upLabels, 'outcome'], registers: [registry] });
  const upDuration = new Histogram({ name: 'capstan_upstream_request_duration_seconds', help: 'Upstream call latency, by consumed namespace and operation', labelNames: upLabels, buckets: BUCKETS, registers: [registry] });
  const upErrors = new Counter({ name: 'capstan_upstream_errors_total', help: 'Upstream calls that failed without an answer (timeout, unavailable, too large…) or answered 5xx', labelNames: [...upLabels, 'error'], registers: [registry] });
  registerBreakerGauge(registry, breakers);
  const reloads = new Counter({ name: 'capstan_reloads_total', help: 'Reloads of the capability files, by result', labelNames: ['result'], registers: [registry] });
  return {
    registry,
    requests: (r) => {
      const l = { kind: r.kind ?? 'none', adapter: r.adapter ?? 'none', operation: operationOf(r), status: String(r.status) };
      total.inc(l);
      duration.observe(l, r.ms / 1000);
    },
    upstream: {
      start: (call) => ({
        end: (outcome) => {
          const l = { namespace: call.namespace, operation: call.operation };
          upTotal.inc({ ...l, outcome: outcome.status !== undefined ? String(outcome.status) : outcome.error ?? 'error' });
          upDuration.observe(l, outcome.ms / 1000);
          if (outcome.error !== undefined) upErrors.inc({ ...l, error: outcome.error });
          else if (outcome.status !== undefined && outcome.status >= 500) upErrors.inc({ ...l, error: `http-${outcome.status}` });
        },
      }),
    },
    reloaded: (ok) => reloads.inc({ result: ok ? 'ok' : 'rejected' }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
