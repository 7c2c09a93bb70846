/**
 * Limits end to end: request body (413), header section (431), URL length (414), upstream
 * response cap (exact boundary), per-upstream connection pool bound (counted at the upstream,
 * through `capstan run` with its default and in-process with a small configured bound), MCP
 * message size, and the global concurrency limit (`--max-concurrency`, 503 + Retry-After).
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { checkSpec, type RestAdapterNode } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { createRestServer, registerRestAdapter } from '@capstan/rest';
import { problemOf, raw } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { json, startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import { callTool, rpc } from './harness.js';
import { NAMESPACES, reliabilitySpec, UP_TOKEN } from './specs.js';

/** Defaults of `capstan run` (server.ts, http.ts, executor.ts, mcp http.ts). */
const BODY_LIMIT = 1024 * 1024;
const MAX_URL = 8192;
const MAX_PARAM = 2048;
const MAX_HEADER = 16 * 1024;
const MAX_RESPONSE = 10 * 1024 * 1024;
const MAX_CONNECTIONS = 64;
const MCP_MAX_BODY = 4 * 1024 * 1024;

const HOLD_MS = 1_000;

/** Upstream behaviour by path: `/base/items/slow/detail` answers after HOLD_MS, `/base/proxy/size/N` answers N bytes. */
function behave(req: Seen, res: ServerResponse): void {
  const size = /\/proxy\/size\/(\d+)/.exec(req.url);
  if (size) {
    const body = Buffer.alloc(Number(size[1]), 'z');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }).end(body);
    return;
  }
  if (req.url.includes('/items/slow/')) {
    setTimeout(() => json(res, 200, { slow: true }), HOLD_MS);
    return;
  }
  json(res, 200, { path: req.url });
}

let gateway: CapstanRun;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream(behave);
  gateway = await startCapstan([tempSpec(reliabilitySpec())], {
    namespaces: NAMESPACES,
    env: { REL_UP_TOKEN: UP_TOKEN },
    upstream: { '*': `${upstream.url}/base` },
    timeoutMs: 8_000,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const rest = () => gateway.rest.api!;
const mcp = () => gateway.mcp.tools!;

async function expectServing(): Promise<void> {
  const ok = await raw(rest(), 'GET', '/items/after');
  expect(ok.status, ok.body).toBe(200);
  const tool = await callTool(mcp(), 'get-item', { id: 'after' });
  expect(tool.body.result?.isError, tool.text).toBeFalsy();
}

describe('REST request limits (capstan run defaults)', () => {
  it(`a body over ${BODY_LIMIT} bytes → 413 problem+json, nothing sent upstream`, async () => {
    const before = upstream.seen.length;
    const body = JSON.stringify({ body: { pad: 'p'.repeat(BODY_LIMIT) } });
    const answer = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(413);
    expect(problemOf(answer).type).toBe('https://capstan.dev/problems/body-too-large');
    expect(upstream.seen.length).toBe(before);
    // Just under the limit is accepted.
    const fits = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: { pad: 'p'.repeat(BODY_LIMIT - 100) } }) });
    expect(fits.status).toBe(200);
    await expectServing();
  });

  it(`a header section over ${MAX_HEADER} bytes → 431 problem+json`, async () => {
    const before = upstream.seen.length;
    const answer = await raw(rest(), 'GET', '/items/a1', { headers: { 'x-big': 'h'.repeat(MAX_HEADER + 512) } });
    expect(answer.status).toBe(431);
    expect(problemOf(answer).type).toBe('https://capstan.dev/problems/header-fields-too-large');
    expect(upstream.seen.length).toBe(before);
    await expectServing();
  });

  it(`a URL over ${MAX_URL} characters → 414, in the router and in the HTTP parser`, async () => {
    const before = upstream.seen.length;
    const long = await raw(rest(), 'GET', `/items/a1?q=${'q'.repeat(MAX_URL)}`);
    expect(long.status).toBe(414);
    expect(problemOf(long).type).toBe('https://capstan.dev/problems/uri-too-long');
    const segment = await raw(rest(), 'GET', `/items/${'s'.repeat(MAX_PARAM + 1)}`);
    expect(segment.status).toBe(414);
    expect(problemOf(segment).type).toBe('https://capstan.dev/problems/uri-too-long');
    const huge = await raw(rest(), 'GET', `/items/a1?q=${'q'.repeat(MAX_HEADER + 1024)}`);
    expect(huge.status).toBe(414);
    expect(problemOf(huge).type).toBe('https://capstan.dev/problems/uri-too-long');
    expect(upstream.seen.length).toBe(before);
    await expectServing();
  });
});

describe('upstream response cap (capstan run default 10 MiB)', () => {
  it('an answer of exactly the cap passes; one byte more → 502 upstream-too-large (REST) / isError (MCP)', async () => {
    const exact = await raw(rest(), 'GET', `/proxy/size/${MAX_RESPONSE}`);
    expect(exact.status).toBe(200);
    expect(exact.body.length).toBe(MAX_RESPONSE);
    const [over, tool] = await Promise.all([raw(rest(), 'GET', `/proxy/size/${MAX_RESPONSE + 1}`), callTool(mcp(), 'proxy-get', { apiPath: `size/${MAX_RESPONSE + 1}` })]);
    expect(over.status).toBe(502);
    const p = problemOf(over);
    expect(p.type).toBe('https://capstan.dev/problems/upstream-too-large');
    expect(p.upstream).toMatchObject({ namespace: 'healthy', operation: 'proxy-get' });
    expect(tool.body.result?.isError).toBe(true);
    expect(tool.body.result?.content?.[0]?.text).toMatch(/^Upstream answer too large/);
    await expectServing();
  });
});

describe('per-upstream connection pool bound', () => {
  it(`${MAX_CONNECTIONS + 16} concurrent slow REST calls never open more than ${MAX_CONNECTIONS} connections to the upstream, and all are answered`, async () => {
    const openedBefore = upstream.opened();
    await sleep(50);
    const peakStart = upstream.open();
    const calls = Array.from({ length: MAX_CONNECTIONS + 16 }, () => raw(rest(), 'GET', '/items/slow', { timeoutMs: 15_000 }));
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    // Connections the gateway opened for this burst, plus any kept alive from earlier tests.
    expect(upstream.opened() - openedBefore).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(upstream.peak()).toBeLessThanOrEqual(MAX_CONNECTIONS + peakStart);
    // The 16 extra calls waited for a free connection: at least two rounds of HOLD_MS.
    expect(Math.max(...answers.map((a) => a.ms))).toBeGreaterThanOrEqual(2 * HOLD_MS - 100);
  }, 30_000);

  it('in process, with maxConnectionsPerUpstream 3: 12 concurrent calls use at most 3 connections', async () => {
    const up = await startUpstream(behave);
    const file = tempSpec(reliabilitySpec());
    const graph = checkSpec(file).graph!;
    const executor = await Executor.create(graph, { env: { REL_UP_TOKEN: UP_TOKEN }, upstreams: { '*': `${up.url}/base` }, maxConnectionsPerUpstream: 3 });
    const app = createRestServer();
    registerRestAdapter(app, graph.adapters.find((a): a is RestAdapterNode => a.type === 'rest')!, { runner: executor });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const answers = await Promise.all(Array.from({ length: 12 }, () => raw(base, 'GET', '/items/slow')));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(up.opened()).toBeLessThanOrEqual(3);
      expect(up.peak()).toBeLessThanOrEqual(3);
      expect(Math.max(...answers.map((a) => a.ms))).toBeGreaterThanOrEqual(4 * HOLD_MS - 100);
    } finally {
      await app.close();
      await executor.close();
      await up.close();
    }
  }, 20_000);
});

describe('MCP message size (capstan run default 4 MiB)', () => {
  it('a JSON-RPC message over the limit → 413 with a JSON-RPC error; the adapter keeps serving', async () => {
    const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo-post', arguments: { body: { pad: 'm'.repeat(MCP_MAX_BODY) } } } });
    const before = upstream.seen.length;
    const answer = await rpc(mcp(), message);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: -32000, message: expect.stringMatching(/too large/i) });
    expect(upstream.seen.length).toBe(before);
    await expectServing();
  });

  it('an MCP header section over 16 KiB → 431; the adapter keeps serving', async () => {
    const u = new URL(mcp());
    const answer = await raw(u.origin, 'POST', u.pathname, { headers: { 'content-type': 'application/json', 'x-big': 'h'.repeat(MAX_HEADER + 512) }, body: '{}' });
    expect(answer.status).toBe(431);
    await expectServing();
  });
});

describe('global concurrency limit', () => {
  // `--max-concurrency N`: at most N requests in flight across every adapter; the next ones are
  // answered at once with 503 + Retry-After (REST problem+json `overloaded`, MCP an HTTP 503 with
  // a JSON-RPC error), and service is normal once the burst is over.
  it('--max-concurrency 2: a burst of 8 slow calls → at most 2 reach the upstream at once, the rest 503 + Retry-After at once', async () => {
    const up = await startUpstream(behave);
    const gw = await startCapstan([tempSpec(reliabilitySpec())], {
      namespaces: NAMESPACES,
      env: { REL_UP_TOKEN: UP_TOKEN },
      upstream: { '*': `${up.url}/base` },
      args: ['--max-concurrency', '2'],
    });
    try {
      const restCalls = Array.from({ length: 6 }, () => raw(gw.rest.api!, 'GET', '/items/slow'));
      const mcpCalls = Array.from({ length: 2 }, () => callTool(gw.mcp.tools!, 'get-item', { id: 'slow' }));
      const [restAnswers, mcpAnswers] = await Promise.all([Promise.all(restCalls), Promise.all(mcpCalls)]);
      const all = [...restAnswers.map((a) => a.status), ...mcpAnswers.map((a) => a.status)];
      expect(all.filter((s) => s === 200).length).toBeLessThanOrEqual(2);
      expect(all.filter((s) => s === 503).length).toBeGreaterThanOrEqual(6);
      expect(up.peak()).toBeLessThanOrEqual(2);
      for (const a of restAnswers.filter((x) => x.status === 503)) {
        expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
        const p = problemOf(a);
        expect(p.status).toBe(503);
        expect(p.type).toBe('https://capstan.dev/problems/overloaded');
        expect(a.ms).toBeLessThan(HOLD_MS);
      }
      for (const a of mcpAnswers.filter((x) => x.status === 503)) {
        expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
        expect(a.body.error?.code).toBe(-32000);
        expect(a.ms).toBeLessThan(HOLD_MS);
      }
      // Slots are given back: after the burst, both adapters serve normally.
      const after = await raw(gw.rest.api!, 'GET', '/items/after');
      expect(after.status).toBe(200);
      const tool = await callTool(gw.mcp.tools!, 'get-item', { id: 'after' });
      expect(tool.status).toBe(200);
      expect(tool.body.result?.isError).toBeFalsy();
    } finally {
      await gw.stop().catch(() => undefined);
      await up.close();
    }
  });

  it('slots held by calls that time out or whose caller hangs up are given back', async () => {
    const up = await startUpstream((req, res) => {
      if (req.url.includes('/items/hang/')) return; // never answers
      behave(req, res);
    });
    const gw = await startCapstan([tempSpec(reliabilitySpec())], {
      namespaces: NAMESPACES,
      env: { REL_UP_TOKEN: UP_TOKEN },
      upstream: { '*': `${up.url}/base` },
      timeoutMs: 500,
      args: ['--max-concurrency', '2'],
    });
    try {
      // Two timeouts, then two calls abandoned by their callers.
      const timedOut = await Promise.all([raw(gw.rest.api!, 'GET', '/items/hang'), callTool(gw.mcp.tools!, 'get-item', { id: 'hang' })]);
      expect(timedOut[0].status).toBe(504);
      expect(timedOut[1].body.result?.isError).toBe(true);
      await Promise.all([1, 2].map(() => raw(gw.rest.api!, 'GET', '/items/hang', { timeoutMs: 100 }).catch(() => undefined)));
      await sleep(200);
      for (let i = 0; i < 4; i++) {
        const ok = await raw(gw.rest.api!, 'GET', `/items/after${i}`);
        expect(ok.status, ok.body).toBe(200);
      }
    } finally {
      await gw.stop().catch(() => undefined);
      await up.close();
    }
  });
});
