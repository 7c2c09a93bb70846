/**
 * Upstream faults end to end through `capstan run`, over REST and MCP at the same time: each
 * fault gives its documented answer (problem+json naming the upstream, or an MCP `isError` tool
 * result) within the configured timeout, the gateway releases the fault upstream's connections,
 * a redirect is never followed, and a healthy route keeps answering normally afterwards.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { problemOf, raw } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { closedPort, json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';
import { callTool, fdCount, startFaultUpstream, toolText, type Fault, type FaultUpstream } from './harness.js';
import { NAMESPACES, reliabilitySpec, UP_TOKEN } from './specs.js';
import { DEFAULT_RETRY } from '@capstan/spec';

/** `--timeout`: headers and body timeouts of every upstream call. */
const TIMEOUT = 1_000;
/** The connect timeout `capstan run` keeps (not changed by `--timeout`): part of the overall deadline. */
const CONNECT_MS = 5_000;
/** The executor's keep-alive timeout for idle upstream connections (http.ts). */
const KEEP_ALIVE_MS = 4_000;
/** Scheduling slack for a loaded 2-core machine. */
const SLACK = 1_500;

let gateway: CapstanRun;
let fault: FaultUpstream;
let canary: Upstream;
let healthy: Upstream;
/** Open file descriptors of the gateway once it served its first calls. */
let fdStart = -1;

beforeAll(async () => {
  canary = await startUpstream();
  fault = await startFaultUpstream({ redirectTo: canary.url, slowMs: TIMEOUT * 3 });
  healthy = await startUpstream((req, res) => json(res, 200, { path: req.url }));
  const dead = await closedPort();
  const file = tempSpec(reliabilitySpec());
  gateway = await startCapstan([file], {
    namespaces: NAMESPACES,
    env: { REL_UP_TOKEN: UP_TOKEN },
    upstream: { faulty: `${fault.url}/base`, healthy: `${healthy.url}/base`, dead: `http://127.0.0.1:${dead}/base` },
    timeoutMs: TIMEOUT,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([fault?.close(), canary?.close(), healthy?.close()]);
});

interface Expected {
  /** REST status. */
  status: number;
  /** problem+json `type` slug; undefined when the upstream answer is passed through. */
  slug?: string;
  /** Start of the MCP tool error text. */
  mcp: RegExp;
  /** Bounds of the elapsed time, ms. */
  min?: number;
  max: number;
  /** Upstream requests per call: GETs are retried on a reset and on 502/503/504 (README, retries). */
  attempts?: number;
}

/** A retried GET: the first try and the default 2 retries. */
const RETRIED = 1 + DEFAULT_RETRY.attempts;

const CASES: Record<Exclude<Fault, 'ok'>, Expected> = {
  hang: { status: 504, slug: 'upstream-timeout', mcp: /^Upstream timeout: faulty\.fault/, min: TIMEOUT - 100, max: TIMEOUT + SLACK },
  'slow-headers': { status: 504, slug: 'upstream-timeout', mcp: /^Upstream timeout: faulty\.fault/, min: TIMEOUT - 100, max: TIMEOUT + SLACK },
  'stall-body': { status: 504, slug: 'upstream-timeout', mcp: /^Upstream timeout: .*body stalled/, min: TIMEOUT - 100, max: TIMEOUT + SLACK },
  // A body that keeps trickling never trips the body (idle) timeout: the overall deadline
  // (connect + headers + body timeouts) ends it.
  trickle: { status: 504, slug: 'upstream-timeout', mcp: /^Upstream timeout: faulty\.fault/, min: 2 * TIMEOUT, max: CONNECT_MS + 2 * TIMEOUT + SLACK },
  // The reset comes mid-body, after a 200 with a content-length: undici's retry handler asks for
  // the rest with a Range request once; the upstream answers 200 again, which cannot be resumed.
  reset: { status: 502, slug: 'upstream-unavailable', mcp: /^Upstream unavailable: faulty\.fault/, max: SLACK, attempts: 2 },
  // A 5xx is the upstream's own answer: passed through with its status and body (executor.ts), after the retries.
  'server-error': { status: 503, mcp: /upstream is down for maintenance/, max: SLACK, attempts: RETRIED },
  'truncated-json': { status: 502, slug: 'upstream-bad-format', mcp: /^Upstream unreadable answer: faulty\.fault/, max: SLACK },
  html: { status: 502, slug: 'upstream-bad-format', mcp: /^Upstream unreadable answer: faulty\.fault/, max: SLACK },
  'huge-declared': { status: 502, slug: 'upstream-too-large', mcp: /^Upstream answer too large: .*10485760 bytes/, max: 3 * SLACK },
  'huge-chunked': { status: 502, slug: 'upstream-too-large', mcp: /^Upstream answer too large: .*10485760 bytes/, max: 3 * SLACK },
  redirect: { status: 502, slug: 'upstream-redirect', mcp: /^Upstream redirect: faulty\.fault answered 302/, max: SLACK },
};

/** The healthy route answers normally over both adapters. */
async function expectHealthy(): Promise<void> {
  const [rest, mcp] = await Promise.all([raw(gateway.rest.api!, 'GET', '/items/a1?q=x'), callTool(gateway.mcp.tools!, 'get-item', { id: 'a2' })]);
  expect(rest.status, rest.body).toBe(200);
  expect(JSON.parse(rest.body)).toEqual({ path: '/base/items/a1/detail?q=x' });
  expect(mcp.body.result?.isError, mcp.text).toBeFalsy();
  expect(JSON.parse(toolText(mcp))).toEqual({ path: '/base/items/a2/detail' });
}

describe('upstream faults (REST and MCP through capstan run)', () => {
  it('the fault upstream answers normally when asked to (control)', async () => {
    const [rest, mcp] = await Promise.all([raw(gateway.rest.api!, 'GET', '/faults/ok'), callTool(gateway.mcp.tools!, 'fault', { kind: 'ok' })]);
    expect(rest.status).toBe(200);
    expect(JSON.parse(rest.body)).toEqual({ ok: true });
    expect(mcp.body.result?.isError).toBeFalsy();
    await expectHealthy();
    fdStart = fdCount(gateway.pid);
  });

  it('connection refused (closed loopback port) → 502 upstream-unavailable / isError, fast', async () => {
    const [rest, mcp] = await Promise.all([raw(gateway.rest.api!, 'GET', '/dead'), callTool(gateway.mcp.tools!, 'dead', {})]);
    expect(rest.status).toBe(502);
    const p = problemOf(rest);
    expect(p.type).toBe('https://capstan.dev/problems/upstream-unavailable');
    expect(p.upstream).toEqual({ namespace: 'dead', operation: 'get-anything' });
    expect(rest.ms).toBeLessThan(SLACK);
    expect(mcp.status).toBe(200);
    expect(mcp.body.result?.isError).toBe(true);
    expect(toolText(mcp)).toMatch(/^Upstream unavailable: dead\.get-anything .*ECONNREFUSED/);
    expect(mcp.ms).toBeLessThan(SLACK);
    await expectHealthy();
  });

  for (const [kind, want] of Object.entries(CASES) as Array<[Exclude<Fault, 'ok'>, Expected]>) {
    it(`${kind} → ${want.status}${want.slug ? ` ${want.slug}` : ' (passed through)'} / isError, in ${want.min ?? 0}–${want.max} ms, connections released`, async () => {
      const seenBefore = fault.seen.length;
      const [rest, mcp] = await Promise.all([raw(gateway.rest.api!, 'GET', `/faults/${kind}`), callTool(gateway.mcp.tools!, 'fault', { kind })]);
      // Both calls reached the fault upstream (once per attempt), under the declared base path.
      expect(fault.seen.slice(seenBefore).map((s) => s.target).sort()).toEqual(Array(2 * (want.attempts ?? 1)).fill(`/base/fault/${kind}`));

      expect(rest.status, rest.body).toBe(want.status);
      if (want.slug) {
        const p = problemOf(rest);
        expect(p.type).toBe(`https://capstan.dev/problems/${want.slug}`);
        expect(p.status).toBe(want.status);
        expect(p.upstream).toMatchObject({ namespace: 'faulty', operation: 'fault' });
        expect(p.requestId).toBe(rest.headers['x-request-id']);
      } else {
        expect(JSON.parse(rest.body)).toEqual({ error: 'upstream is down for maintenance' });
      }
      expect(rest.ms).toBeLessThanOrEqual(want.max);
      if (want.min) expect(rest.ms).toBeGreaterThanOrEqual(want.min);

      expect(mcp.status).toBe(200);
      expect(mcp.body.error, mcp.text).toBeUndefined();
      expect(mcp.body.result?.isError, mcp.text).toBe(true);
      expect(toolText(mcp)).toMatch(want.mcp);
      expect(mcp.ms).toBeLessThanOrEqual(want.max);
      if (want.min) expect(mcp.ms).toBeGreaterThanOrEqual(want.min);

      // The gateway closed every connection that carried a fault call. (After an abort, undici's
      // pool may open one spare idle connection that carries nothing and closes when its
      // keep-alive timer ends, 4 s later: bounded by the pool size, not counted here.)
      expect(await eventually(() => fault.openCarrying() === 0, SLACK), `fault upstream still has ${fault.openCarrying()} open connection(s) that carried a call`).toBe(true);
      await expectHealthy();
    });
  }

  /** Starts a REST call of a trickling fault and hangs up after `ms`; resolves when the socket is closed. */
  async function hangUpAfter(ms: number): Promise<void> {
    const { hostname, port } = new URL(gateway.rest.api!);
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: hostname, port, path: '/faults/trickle', method: 'GET', agent: false });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), ms);
    });
  }

  it('a caller that hangs up mid-call gets its upstream call cancelled: the connection carrying it is closed at once', async () => {
    const seen = fault.seen.length;
    await hangUpAfter(400);
    expect(fault.seen.slice(seen).map((s) => s.target)).toEqual(['/base/fault/trickle']);
    expect(await eventually(() => fault.openCarrying() === 0, 1_000), `fault upstream still has ${fault.openCarrying()} open connection(s) that carried a call`).toBe(true);
    await expectHealthy();
  });

  it('idle connections left after aborted calls are closed by the keep-alive timer', async () => {
    expect(await eventually(() => fault.open() === 0, KEEP_ALIVE_MS + SLACK), `fault upstream still has ${fault.open()} open connection(s)`).toBe(true);
  });

  it('a redirect to another loopback port was never followed: the second server saw nothing', () => {
    expect(canary.opened()).toBe(0);
    expect(canary.seen).toEqual([]);
  });

  it('after every fault, the gateway holds no more file descriptors than after its first calls (Linux)', async () => {
    if (fdStart < 0) return;
    await eventually(() => fault.open() === 0, KEEP_ALIVE_MS + SLACK);
    const settled = await eventually(() => fdCount(gateway.pid) <= fdStart + 2, KEEP_ALIVE_MS + SLACK);
    expect(settled, `fds: ${fdStart} at start, ${fdCount(gateway.pid)} now`).toBe(true);
  });

  it('the gateway is still running and its logs name no secret', () => {
    expect(gateway.alive()).toBe(true);
    expect(gateway.stdout() + gateway.stderr()).not.toContain(UP_TOKEN);
  });
});
