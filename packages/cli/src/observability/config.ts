/**
 * What to observe, from the first control adapter's `observability` block and the standard
 * `OTEL_*` environment variables (which win, as OpenTelemetry SDKs do).
 */
import type { CapabilityGraph, ControlAdapterNode } from '@capstan/spec';

/** Resolved observability settings. */
export interface ObservabilityConfig {
  /** Serve `/metrics` on control adapters (`metrics.local.enabled`, default true). */
  metrics: boolean;
  /** Export spans to this OTLP/HTTP traces URL; undefined = tracing off. */
  otlpTracesUrl?: string;
  /** Fraction of new traces sampled (`traces.sampling` or OTEL_TRACES_SAMPLER_ARG; default 1). */
  sampling: number;
  /** `service.name` of exported spans. */
  serviceName: string;
  /** Settings the file asks for that Capstan does not honour (for a start-up warning). */
  unsupported: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** `http://host:4318` → `http://host:4318/v1/traces`; a URL already ending in `/v1/traces` is kept. */
function tracesUrl(endpoint: string): string {
  return /\/v1\/traces\/?$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export function observabilityConfig(graphs: CapabilityGraph[], env: NodeJS.ProcessEnv = process.env): ObservabilityConfig {
  const control = graphs.flatMap((g) => g.adapters).find((a): a is ControlAdapterNode => a.type === 'control');
  const block = obj(control?.spec.observability);
  const enabled = control?.spec.observability === undefined || block.enabled !== false;
  const traces = obj(block.traces);
  const unsupported: string[] = [];
  if (traces.propagation === 'b3') unsupported.push('traces.propagation b3 (W3C trace context is used)');
  if (obj(traces.local).enabled === true) unsupported.push('traces.local (/traces)');
  const fileEndpoint = enabled ? obj(obj(block.exporters).otlp).endpoint : undefined;
  const envEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? tracesUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined);
  const off = env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none';
  const endpoint = off ? undefined : envEndpoint ?? (typeof fileEndpoint === 'string' ? tracesUrl(fileEndpoint) : undefined);
  const envRatio = env.OTEL_TRACES_SAMPLER_ARG === undefined ? undefined : Number(env.OTEL_TRACES_SAMPLER_ARG);
  const sampling = envRatio !== undefined && envRatio >= 0 && envRatio <= 1 ? envRatio : typeof traces.sampling === 'number' ? traces.sampling : 1;
  const label = graphs.find((g) => g.info.label)?.info.label;
  return {
    metrics: enabled && obj(obj(block.metrics).local).enabled !== false,
    ...(endpoint ? { otlpTracesUrl: endpoint } : {}),
    sampling,
    serviceName: env.OTEL_SERVICE_NAME ?? (label ? `capstan-${label}` : 'capstan'),
    unsupported,
  };
}
