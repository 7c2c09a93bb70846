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
import { FLEET_NAMESPACES, fleetYaml, type FleetOptions } from './fixture.js';

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
/** A W3C traceparent with the sampled flag off / on: trace id, parent id. */
const UNSAMPLED = /^00-([0-9a-f]{32})-([0-9a-f]{16})-00$/;
const SAMPLED = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

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
async function startTraced(env: Record<string, string>, fleet: FleetOptions = {}): Promise<{ collector: Awaited<ReturnType<typeof startCollector>>; upstream: Upstream; run: CapstanRun; close(): Promise<void> }> {
  const collector = await startCollector();
  const upstream = await startUpstream((_req, res) => json(res, 200, { ships: [] }));
  const run = await startCapstan([tempSpec(fleetYaml(fleet))], { namespaces: FLEET_NAMESPACES.filter((ns) => !(fleet.noControl && ns === 'control')), upstream: upstream.url, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ...env } });
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

describe('tracing on: a caller that did not sample', () => {
  it("is followed (parent-based): no span of its trace is exported, the upstream gets its trace id unsampled", async () => {
    const traceId = '9c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f';
    const res = await fetch(`${url('api')}/ships`, { headers: { traceparent: `00-${traceId}-a1b2c3d4e5f60718-00` } });
    expect(res.status).toBe(200);
    expect(UNSAMPLED.exec(String(upstream.seen.at(-1)!.headers.traceparent))?.[1]).toBe(traceId);
    // A trace this gateway starts afterwards is exported; by then the unsampled one would have been.
    expect((await fetch(`${url('api')}/ships`)).status).toBe(200);
    const [, rootTrace] = SAMPLED.exec(String(upstream.seen.at(-1)!.headers.traceparent)) ?? [];
    await until(() => collector.spans.some((s) => s.traceId === rootTrace), 10_000);
    expect(collector.spans.filter((s) => s.traceId === traceId)).toEqual([]);
  });
});

describe('tracing with the sampler ratio at 0', () => {
  // One gateway for the whole block, its tests in order: what the untraced requests of the first
  // tests could have exported is checked by the last one, after the sampled traces arrived.
  let zero: Awaited<ReturnType<typeof startTraced>> | undefined;
  const api = () => zero!.run.adapters.find((a) => a.namespace === 'api')!.url;
  const tools = () => zero!.run.adapters.find((a) => a.namespace === 'tools')!.url;
  const sentHeaders = (n: number) => zero!.upstream.seen.slice(-n).map((r) => r.headers);
  const sampledTraces: string[] = [];

  beforeAll(async () => {
    // Without a control adapter, so without metrics: tracing is the only upstream observer.
    zero = await startTraced({ OTEL_TRACES_SAMPLER_ARG: '0' }, { twoCalls: true, noControl: true });
  });

  afterAll(async () => {
    await zero?.close();
  });

  it('a request the caller did not trace: an unsampled traceparent upstream, a new trace for each request, one trace for all its upstream calls', async () => {
    const traces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${api()}/ships`);
      expect(res.status).toBe(200);
      const [sent] = sentHeaders(1);
      const [, traceId, parentId] = UNSAMPLED.exec(String(sent!.traceparent)) ?? [];
      expect(traceId, String(sent!.traceparent)).toBeDefined();
      expect(traceId).not.toBe('0'.repeat(32));
      expect(parentId).not.toBe('0'.repeat(16));
      expect(sent!.tracestate).toBeUndefined();
      traces.push(traceId!);
    }
    expect(traces[0]).not.toBe(traces[1]);
    const before = zero!.upstream.seen.length;
    expect((await fetch(`${api()}/fleet-and-first`)).status).toBe(200);
    expect(zero!.upstream.seen.length).toBe(before + 2);
    const [first, second] = sentHeaders(2).map((h) => UNSAMPLED.exec(String(h.traceparent)));
    expect(first?.[1]).toBeDefined();
    expect(second?.[1]).toBe(first?.[1]);
    expect(second?.[2]).not.toBe(first?.[2]);
    expect(traces).not.toContain(first?.[1]);
  });

  it('an MCP tool call the caller did not trace sends an unsampled traceparent upstream', async () => {
    const res = await fetch(tools(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('"isError":true');
    expect(String(sentHeaders(1)[0]!.traceparent)).toMatch(UNSAMPLED);
  });

  it("a caller's unsampled traceparent: its trace id, a new parent id, flags 00, its tracestate", async () => {
    const traceId = '5a0f65fb2a1c4b7d9e3f0a1b2c3d4e5f';
    const callerSpan = '1f2e3d4c5b6a7988';
    const res = await fetch(`${api()}/ships`, { headers: { traceparent: `00-${traceId}-${callerSpan}-00`, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' } });
    expect(res.status).toBe(200);
    const [sent] = sentHeaders(1);
    const [, sentTrace, sentParent] = UNSAMPLED.exec(String(sent!.traceparent)) ?? [];
    expect(sentTrace).toBe(traceId);
    expect(sentParent).toMatch(/^[0-9a-f]{16}$/);
    expect(sentParent).not.toBe(callerSpan);
    expect(sent!.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    // An invalid traceparent starts a new trace, and its tracestate is not passed on (W3C).
    expect((await fetch(`${api()}/ships`, { headers: { traceparent: `00-${traceId}-${'0'.repeat(16)}-00`, tracestate: 'congo=x' } })).status).toBe(200);
    const [restarted] = sentHeaders(1);
    expect(UNSAMPLED.exec(String(restarted!.traceparent))?.[1]).not.toBe(traceId);
    expect(restarted!.tracestate).toBeUndefined();
  });

  it("a caller's unsampled traceparent (read once per request): each upstream call of the request carries its trace id and tracestate, with a parent id of its own", async () => {
    const traceId = '7c4e1b2a3d5f60718293a4b5c6d7e8f9';
    const callerSpan = '0a1b2c3d4e5f6071';
    const before = zero!.upstream.seen.length;
    const res = await fetch(`${api()}/fleet-and-first`, { headers: { traceparent: `00-${traceId}-${callerSpan}-00`, tracestate: 'vendor=2' } });
    expect(res.status).toBe(200);
    expect(zero!.upstream.seen.length).toBe(before + 2);
    const sent = sentHeaders(2);
    const ids = sent.map((h) => UNSAMPLED.exec(String(h.traceparent)));
    expect(ids.map((m) => m?.[1])).toEqual([traceId, traceId]);
    expect(new Set([callerSpan, ...ids.map((m) => m?.[2])]).size).toBe(3);
    expect(sent.map((h) => h.tracestate)).toEqual(['vendor=2', 'vendor=2']);
  });

  it("a caller's sampled traceparent is followed: server and client spans exported, parent and child, the upstream sees the client span", async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    sampledTraces.push(traceId);
    const before = zero!.upstream.seen.length;
    const res = await fetch(`${api()}/fleet-and-first`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01`, tracestate: 'vendor=1' } });
    expect(res.status).toBe(200);
    expect(zero!.upstream.seen.length).toBe(before + 2);
    const sent = sentHeaders(2).map((h) => {
      expect(h.tracestate).toBe('vendor=1');
      return SAMPLED.exec(String(h.traceparent));
    });
    expect(sent.map((m) => m?.[1])).toEqual([traceId, traceId]);
    await until(() => zero!.collector.spans.filter((s) => s.traceId === traceId).length >= 3, 10_000);
    const spans = zero!.collector.spans.filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server).toMatchObject({ parentSpanId: callerSpan, name: 'GET fleet-and-first' });
    const clients = spans.filter((s) => s.kind === CLIENT);
    expect(clients.map((c) => c.parentSpanId)).toEqual([server.spanId, server.spanId]);
    expect(clients.map((c) => c.spanId).sort()).toEqual(sent.map((m) => m?.[2]).sort());
  });

  it('a sampled MCP call the same way, and nothing else was exported', async () => {
    const traceId = '6e0c63257de34c926f9efcd03899c2e5';
    sampledTraces.push(traceId);
    const res = await fetch(tools(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const [, sentTrace, clientSpan] = SAMPLED.exec(String(sentHeaders(1)[0]!.traceparent)) ?? [];
    expect(sentTrace).toBe(traceId);
    await until(() => zero!.collector.spans.filter((s) => s.traceId === traceId).length >= 2, 10_000);
    const spans = zero!.collector.spans.filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server).toMatchObject({ name: 'tools/call list-ships', parentSpanId: '00f067aa0ba902b7' });
    expect(spans.find((s) => s.kind === CLIENT)).toMatchObject({ spanId: clientSpan, parentSpanId: server.spanId });
    // Spans are exported in batches, in order: any span of the untraced requests above would be here by now.
    expect(zero!.collector.spans.filter((s) => !sampledTraces.includes(s.traceId))).toEqual([]);
  });
});
