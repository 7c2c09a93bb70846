/**
 * OpenTelemetry tracing: a server span per HTTP request (REST request, MCP call…), a client span
 * per upstream call, W3C `traceparent`/`tracestate` read from callers and sent upstream, spans
 * exported over OTLP/HTTP. When tracing is off none of this is installed: requests go straight
 * to the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { UpstreamObserver } from '@capstan/runtime';
import { requestRecordOf, type RequestInterceptor } from '@capstan/http';
import type { ObservabilityConfig } from './config.js';

/** Tracing wired into the HTTP layer and the executor. */
export interface GatewayTracing {
  /** Starts the server span and runs the request inside its context. */
  intercept: RequestInterceptor;
  /** Client spans for upstream calls, with trace context injected. */
  upstream: UpstreamObserver;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

const headerGetter = {
  keys: (carrier: IncomingMessage['headers']) => Object.keys(carrier),
  get: (carrier: IncomingMessage['headers'], key: string) => carrier[key],
};

/** Names and closes the server span once the answer is done, from what the adapter said about the request. */
function finishServerSpan(span: Span, req: IncomingMessage, res: ServerResponse): void {
  const record = requestRecordOf(req);
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

export function startTracing(config: ObservabilityConfig & { otlpTracesUrl: string }, version: string): GatewayTracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampling) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.otlpTracesUrl }), scheduledDelayMillis: 500 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const tracer: Tracer = provider.getTracer('capstan', version);
  // With a ratio of 0 a trace the caller did not start is never sampled: its server span would be
  // a non-recording one, and running the request in its context would switch on async context
  // tracking (a cost on every promise) for nothing. Such a request runs as if tracing were off;
  // its upstream calls still send an unsampled `traceparent`.
  const neverSampledRoot = config.sampling === 0;
  return {
    intercept(req, res, next) {
      const parent = propagation.extract(context.active(), req.headers, headerGetter);
      if (neverSampledRoot && !trace.getSpanContext(parent)) {
        next();
        return;
      }
      const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': (req.url ?? '/').split('?')[0]! } }, parent);
      res.once('close', () => finishServerSpan(span, req, res));
      context.with(trace.setSpan(parent, span), next);
    },
    upstream: {
      start(call) {
        const span = tracer.startSpan(`${call.method} ${call.namespace}.${call.operation}`, {
          kind: SpanKind.CLIENT,
          attributes: { 'http.request.method': call.method, 'server.address': call.url.hostname, 'url.full': `${call.url.origin}${call.url.pathname}`, 'capstan.upstream.namespace': call.namespace, 'capstan.upstream.operation': call.operation },
        });
        const headers: Record<string, string> = {};
        propagation.inject(trace.setSpan(context.active(), span), headers);
        return {
          headers,
          end(outcome) {
            if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
            if (outcome.error !== undefined || (outcome.status ?? 0) >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(outcome.error ? { message: outcome.error } : {}) });
            span.end();
          },
        };
      },
    },
    shutdown: () => provider.shutdown(),
  };
}
