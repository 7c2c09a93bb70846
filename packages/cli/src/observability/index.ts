/**
 * Everything the gateway observes, set up once from the capabilities and the environment:
 * metrics (when a control adapter or `--metrics-port` serves them) and tracing (when an OTLP
 * endpoint is configured). What is off is not installed at all.
 */
import type { CapabilityGraph } from '@capstan/spec';
import type { UpstreamCallEnd, UpstreamObserver, UpstreamWatch } from '@capstan/runtime';
import type { RequestInterceptor, RequestObserver } from '@capstan/http';
import { observabilityConfig, type ObservabilityConfig } from './config.js';
import type { BreakerReading } from './breaker-gauge.js';
import type { GatewayMetrics } from './metrics.js';
import type { GatewayTracing } from './tracing.js';

export { observabilityConfig, type ObservabilityConfig } from './config.js';
export type { GatewayMetrics } from './metrics.js';

/** Observability of one gateway process. */
export interface Observability {
  config: ObservabilityConfig;
  metrics?: GatewayMetrics;
  tracing?: GatewayTracing;
  requestObservers: RequestObserver[];
  /** Upstream observer for every executor (undefined when nothing observes). */
  upstream?: UpstreamObserver;
  intercept?: RequestInterceptor;
  shutdown(): Promise<void>;
}

/** Calls every observer; headers from each are merged. */
function combine(observers: UpstreamObserver[]): UpstreamObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    start(call) {
      const watches = observers.map((o) => o.start(call)).filter((w): w is UpstreamWatch => w !== undefined);
      const timed = watches.filter((w) => w.end);
      return { headers: Object.assign({}, ...watches.map((w) => w.headers ?? {})), ...(timed.length ? { end: (outcome: UpstreamCallEnd) => timed.forEach((w) => w.end!(outcome)) } : {}) };
    },
  };
}

/**
 * `wantMetrics`: a control adapter or `--metrics-port` will serve them. `inFlight` reads requests
 * in flight, `breakers` the circuit breakers' states. prom-client and the OpenTelemetry SDK are
 * loaded only when used.
 */
export async function setUpObservability(graphs: CapabilityGraph[], options: { wantMetrics: boolean; inFlight: () => number; breakers?: () => readonly BreakerReading[]; version: string }): Promise<Observability> {
  const config = observabilityConfig(graphs);
  const metrics = options.wantMetrics ? (await import('./metrics.js')).createMetrics(options.inFlight, options.breakers) : undefined;
  const tracing = config.otlpTracesUrl ? (await import('./tracing.js')).startTracing({ ...config, otlpTracesUrl: config.otlpTracesUrl }, options.version) : undefined;
  const upstream = combine([...(metrics ? [metrics.upstream] : []), ...(tracing ? [tracing.upstream] : [])]);
  return {
    config,
    ...(metrics ? { metrics } : {}),
    ...(tracing ? { tracing, intercept: tracing.intercept } : {}),
    requestObservers: metrics ? [metrics.requests] : [],
    ...(upstream ? { upstream } : {}),
    shutdown: async () => {
      await tracing?.shutdown().catch(() => undefined);
    },
  };
}
