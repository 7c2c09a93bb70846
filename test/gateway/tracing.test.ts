/**
 * OpenTelemetry tracing end to end: `capstan run` with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at
 * a local OTLP/HTTP receiver (a node server on 127.0.0.1 decoding the JSON export). A REST
 * request continuing a caller's trace and an MCP tool call each give a server span and a client
 * span for the upstream call, child of the server span; the upstream sees a `traceparent` naming
 * that client span.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';
import { FLEET_NAMESPACES, fleetYaml } from './fixture.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}
const SERVER = 2;
const CLIENT = 3;

/** A local OTLP/HTTP traces receiver (JSON encoding), collecting every span it is sent. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
        const doc = JSON.parse(body.toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(415).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
};

/** `capstan run` on the fleet fixture, with an upstream of its own, exporting to a collector of its own. */
async function startTraced(env: Record<string, string>): Promise<{ collector: Awaited<ReturnType<typeof startCollector>>; upstream: Upstream; run: CapstanRun; close(): Promise<void> }> {
  const collector = await startCollector();
  const upstream = await startUpstream((_req, res) => json(res, 200, { ships: [] }));
  const run = await startCapstan([tempSpec(fleetYaml())], { namespaces: FLEET_NAMESPACES, upstream: upstream.url, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ...env } });
  return {
    collector, upstream, run,
    close: async () => {
      await run.stop();
      await upstream.close();
      await collector.close();
    },
  };
}

let collector: Awaited<ReturnType<typeof startCollector>>;
let upstream: Upstream;
let run: CapstanRun;
let traced: Awaited<ReturnType<typeof startTraced>> | undefined;

beforeAll(async () => {
  traced = await startTraced({ OTEL_SERVICE_NAME: 'capstan-test' });
  ({ collector, upstream, run } = traced);
});

afterAll(async () => {
  await traced?.close();
});

const url = (ns: string) => run.adapters.find((a) => a.namespace === ns)!.url;

describe('tracing over OTLP/HTTP', () => {
  it('REST: the server span continues the caller trace, the upstream call is its child, the upstream sees the client span in traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await fetch(`${url('api')}/ships`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01`, tracestate: 'vendor=1' } });
    expect(res.status).toBe(200);
    const sent = upstream.seen.at(-1)!.headers;
    const [, sentTrace, sentParent] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(sent.traceparent))!;
    expect(sentTrace).toBe(traceId);
    expect(sent.tracestate).toBe('vendor=1');
    await until(() => collector.spans.filter((s) => s.traceId === traceId).length >= 2, 10_000);
    const spans = collector.spans.filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.kind === SERVER)!;
    const client = spans.find((s) => s.kind === CLIENT)!;
    expect(server).toMatchObject({ parentSpanId: callerSpan, name: 'GET list-ships' });
    expect(attr(server, 'http.response.status_code')).toBe(200);
    expect(attr(server, 'capstan.adapter')).toBe('api');
    expect(client).toMatchObject({ parentSpanId: server.spanId, spanId: sentParent, name: 'GET registry.list-ships' });
    expect(attr(client, 'http.response.status_code')).toBe(200);
  });

  it('MCP: a tool call starts a trace with a server span named after the tool and a client span for its upstream call', async () => {
    const before = upstream.seen.length;
    const res = await fetch(url('tools'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(upstream.seen.length).toBe(before + 1);
    const [, traceId, clientSpan] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(upstream.seen.at(-1)!.headers.traceparent))!;
    await until(() => collector.spans.filter((s) => s.traceId === traceId).length >= 2, 10_000);
    const spans = collector.spans.filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server.name).toBe('tools/call list-ships');
    expect(server.parentSpanId || undefined).toBeUndefined();
    expect(attr(server, 'mcp.tool')).toBe('list-ships');
    expect(spans.find((s) => s.kind === CLIENT)).toMatchObject({ spanId: clientSpan, parentSpanId: server.spanId });
  });
});

describe('tracing with the sampler ratio at 0', () => {
  let zero: Awaited<ReturnType<typeof startTraced>> | undefined;

  beforeAll(async () => {
    zero = await startTraced({ OTEL_TRACES_SAMPLER_ARG: '0' });
  });

  afterAll(async () => {
    await zero?.close();
  });

  it('records nothing for a request the caller did not trace, still sends an unsampled traceparent upstream, and follows a sampled caller', async () => {
    const { run: gateway, upstream: zeroUpstream, collector: zeroCollector } = zero!;
    const api = gateway.adapters.find((a) => a.namespace === 'api')!.url;
    const plain = await fetch(`${api}/ships`);
    expect(plain.status).toBe(200);
    const [, unsampledTrace] = /^00-([0-9a-f]{32})-[0-9a-f]{16}-00$/.exec(String(zeroUpstream.seen.at(-1)!.headers.traceparent))!;
    // A caller's sampled trace is followed (parent-based): its spans are exported, after anything the first request could have left.
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const traced = await fetch(`${api}/ships`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(traced.status).toBe(200);
    expect(String(zeroUpstream.seen.at(-1)!.headers.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    await until(() => zeroCollector.spans.filter((s) => s.traceId === traceId).length >= 2, 10_000);
    expect(zeroCollector.spans.filter((s) => s.traceId !== traceId)).toEqual([]);
    expect(unsampledTrace).not.toBe(traceId);
  });
});
