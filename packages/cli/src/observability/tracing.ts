/**
 * OpenTelemetry tracing: a server span per HTTP request (REST request, MCP call…), a client span
 * per upstream call, W3C `traceparent`/`tracestate` read from callers and sent upstream, spans
 * exported over OTLP/HTTP. When tracing is off none of this is installed: requests go straight
 * to the app.
 *
 * Contexts are passed explicitly, never through a context manager: async context tracking
 * (AsyncLocalStorage) costs a hook on every promise of the process once it is used, traced or
 * not. A traced request's server span context is kept by its headers object, which the adapters
 * hand to the executor with each call (`RequestContext.headers`) and the executor to `upstream`.
 *
 * A request that is not sampled touches no span at all: with the parent-based sampler, a caller's
 * unsampled `traceparent` is never sampled, and with a ratio of 0 neither is a trace the caller
 * did not start. Its upstream calls still get an unsampled `traceparent` (flags 00): the caller's
 * trace id, or one new trace id per request, with a new parent id per call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span, type SpanContext, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, RandomIdGenerator, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { RequestContext, UpstreamCall, UpstreamObserver, UpstreamWatch } from '@capstan/runtime';
import { onRequestRecord, type RequestInterceptor, type RequestRecord } from '@capstan/http';
import type { ObservabilityConfig } from './config.js';

/** Tracing wired into the HTTP layer and the executor. */
export interface GatewayTracing {
  /** Starts the server span of a sampled request. */
  intercept: RequestInterceptor;
  /** Client spans for upstream calls, with trace context injected. */
  upstream: UpstreamObserver;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

type Headers = RequestContext['headers'] & object;

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const propagator = new W3CTraceContextPropagator();
const ids = new RandomIdGenerator();

// The caller's trace context parsed from a request's headers (null: none valid), kept on the
// request's headers object: the request and each of its upstream calls read it, parsed once.
const CALLER_TRACE = Symbol('capstan.callerTrace');
type ParsedHeaders = Headers & { [CALLER_TRACE]?: Context | null };

/** The caller's trace context (valid `traceparent`, with its `tracestate`), or undefined. */
function callerContext(headers: Headers | undefined): Context | undefined {
  if (headers?.traceparent === undefined) return undefined;
  const parsed = headers as ParsedHeaders;
  let caller = parsed[CALLER_TRACE];
  if (caller === undefined) {
    const context = propagator.extract(ROOT_CONTEXT, headers, headerGetter);
    caller = parsed[CALLER_TRACE] = trace.getSpanContext(context) ? context : null;
  }
  return caller ?? undefined;
}

const isSampled = (span: SpanContext): boolean => (span.traceFlags & TraceFlags.SAMPLED) !== 0;

/** Names and closes the server span once the answer is done, from what the adapter said about the request. */
function finishServerSpan(span: Span, record: RequestRecord | undefined, req: IncomingMessage, res: ServerResponse): void {
  const what = record?.tool ?? record?.operation ?? record?.rpc ?? record?.route;
  span.updateName(record?.kind === 'mcp' && record.rpc ? `${record.rpc}${record.tool ? ` ${record.tool}` : ''}` : `${req.method ?? 'GET'}${what ? ` ${what}` : ''}`);
  span.setAttributes({
    'http.response.status_code': res.statusCode,
    ...(record?.route ? { 'http.route': record.route } : {}),
    ...(record?.kind ? { 'capstan.adapter.kind': record.kind } : {}),
    ...(record?.adapter ? { 'capstan.adapter': record.adapter } : {}),
    ...(record?.operation ? { 'capstan.operation': record.operation } : {}),
    ...(record?.tool ? { 'mcp.tool': record.tool } : {}),
    ...(record?.rpc ? { 'rpc.method': record.rpc, 'rpc.system': 'jsonrpc' } : {}),
  });
  if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, ...(res.writableFinished ? {} : { message: 'the client went away' }) });
  span.end();
}

// The trace id an untraced request's upstream calls share, kept on the request's context object
// (one per request; a property costs nothing to collect, a weak map entry would).
const UNSAMPLED_TRACE = Symbol('capstan.unsampledTraceId');
type WithTraceId = RequestContext & { [UNSAMPLED_TRACE]?: string };

/** The headers of an upstream call no span records: an unsampled `traceparent` continuing the caller's trace or the request's own. */
function unsampledHeaders(call: UpstreamCall, caller: Context | undefined): Record<string, string> {
  if (caller) {
    const headers: Record<string, string> = {};
    const from = trace.getSpanContext(caller)!;
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, { traceId: from.traceId, spanId: ids.generateSpanId(), traceFlags: TraceFlags.NONE, ...(from.traceState ? { traceState: from.traceState } : {}) }), headers, headerSetter);
    return headers;
  }
  const context = call.context as WithTraceId | undefined;
  const traceId = context ? (context[UNSAMPLED_TRACE] ??= ids.generateTraceId()) : ids.generateTraceId();
  return { traceparent: `00-${traceId}-${ids.generateSpanId()}-00` };
}

export function startTracing(config: ObservabilityConfig & { otlpTracesUrl: string }, version: string): GatewayTracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampling) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.otlpTracesUrl }), scheduledDelayMillis: 500 })],
  });
  const tracer = provider.getTracer('capstan', version);
  // The SDK reads a ratio that is not above 0 (NaN included) as 0.
  const neverSampledRoot = !(config.sampling > 0);
  /** Whether the sampler would drop this request's trace for sure (no span needed to know). */
  const dropped = (caller: Context | undefined): boolean => (caller ? !isSampled(trace.getSpanContext(caller)!) : neverSampledRoot);
  // Server span contexts of requests in flight, by their headers object (see the module comment).
  const serving = new WeakMap<object, Context>();

  function clientSpan(call: UpstreamCall, parent: Context): UpstreamWatch {
    const span = tracer.startSpan(`${call.method} ${call.namespace}.${call.operation}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': call.method, 'server.address': call.url.hostname, 'url.full': `${call.url.origin}${call.url.pathname}`, 'capstan.upstream.namespace': call.namespace, 'capstan.upstream.operation': call.operation },
    }, parent);
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(parent, span), headers, headerSetter);
    return {
      headers,
      end(outcome) {
        if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.error !== undefined || (outcome.status ?? 0) >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(outcome.error ? { message: outcome.error } : {}) });
        span.end();
      },
    };
  }

  return {
    intercept(req, res, next) {
      const caller = callerContext(req.headers);
      if (dropped(caller)) {
        next(req, res);
        return;
      }
      const parent = caller ?? ROOT_CONTEXT;
      const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': (req.url ?? '/').split('?')[0]! } }, parent);
      serving.set(req.headers, trace.setSpan(parent, span));
      let record: RequestRecord | undefined;
      onRequestRecord(req, (r) => (record = r));
      res.once('close', () => {
        serving.delete(req.headers);
        finishServerSpan(span, record, req, res);
      });
      next(req, res);
    },
    upstream: {
      start(call) {
        const headers = call.context?.headers;
        const server = headers && serving.get(headers);
        if (server) return clientSpan(call, server);
        // No server span: an untraced request, or one that came another way (stdio MCP).
        const caller = callerContext(headers);
        if (dropped(caller)) return { headers: unsampledHeaders(call, caller) };
        return clientSpan(call, caller ?? ROOT_CONTEXT);
      },
    },
    shutdown: () => provider.shutdown(),
  };
}
