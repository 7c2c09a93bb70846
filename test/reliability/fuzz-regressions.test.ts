/**
 * Regressions for the defects an independent hostile fuzz found (issue #15 item 7): each answer
 * is a clear 4xx (problem+json for REST, JSON-RPC or `isError` for MCP), never a 500, a dropped
 * connection or a request that reaches the upstream.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { callTool, rpc, toolText } from './harness.js';
import { NAMESPACES, reliabilitySpec, UP_TOKEN } from './specs.js';

const REQUEST_TIMEOUT_MS = 1500;
let gateway: CapstanRun;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { url: req.url }));
  gateway = await startCapstan([tempSpec(reliabilitySpec())], {
    namespaces: NAMESPACES,
    env: { REL_UP_TOKEN: UP_TOKEN },
    upstream: { '*': `${upstream.url}/base` },
    args: ['--request-timeout', String(REQUEST_TIMEOUT_MS)],
  });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const rest = () => gateway.rest.api!;
const mcp = () => gateway.mcp.tools!;

/** Writes `chunks` to a raw connection (one every `everyMs`) and resolves with all it read until the server closed it. */
function rawExchange(base: string, chunks: string[], everyMs = 0): Promise<{ text: string; ms: number }> {
  const u = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(u.port), u.hostname);
    let text = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const next = () => {
      if (i < chunks.length && socket.writable) socket.write(chunks[i++]!);
      if (i < chunks.length) timer = setTimeout(next, everyMs);
    };
    socket.setEncoding('utf8');
    socket.on('connect', next);
    socket.on('data', (d: string) => (text += d));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, ms: performance.now() - started });
    });
    socket.on('error', (err) => (text ? undefined : reject(err)));
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const bodyOf = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);

describe('fuzz regressions', () => {
  it('(a) a 10,000-deep JSON array body → 400 invalid-input, not 500', async () => {
    const before = upstream.seen.length;
    const body = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const answer = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, type: 'https://capstan.dev/problems/invalid-input' });
    expect(upstream.seen.length).toBe(before);
  });

  it('(b) MCP with Host localhost:99999, localhost:abc or [::1]:x → an MCP answer, never 500', async () => {
    for (const host of ['localhost:99999', 'localhost:abc', '[::1]:x']) {
      const answer = await callTool(mcp(), 'get-item', { id: 'b1' }, { host });
      expect(answer.status, host).toBe(200);
      expect(answer.body.result?.isError, host).toBeFalsy();
    }
  });

  it('(c) an empty path argument never reaches the upstream as an empty segment', async () => {
    const before = upstream.seen.length;
    const answer = await callTool(mcp(), 'get-item', { id: '' });
    expect(answer.body.result?.isError).toBe(true);
    expect(toolText(answer)).toMatch(/^Invalid arguments.*`id` must not be empty/);
    const viaRest = await raw(rest(), 'GET', '/items/');
    expect([400, 404]).toContain(viaRest.status);
    expect(upstream.seen.slice(before).map((s) => s.url)).toEqual([]);
  });

  it('(d) an unpaired surrogate in a one-segment path argument → Invalid arguments', async () => {
    for (const id of ['\uD800', 'a\uDC00b']) {
      const answer = await callTool(mcp(), 'get-item', { id });
      expect(toolText(answer)).toMatch(/^Invalid arguments.*unpaired surrogate/);
    }
  });

  it('(g) CONNECT → 405 problem+json on REST and MCP ports', async () => {
    for (const base of [rest(), mcp()]) {
      const u = new URL(base);
      const { text } = await rawExchange(base, [`CONNECT ${u.host} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`]);
      expect(statusOf(text), base).toBe(405);
      expect(JSON.parse(bodyOf(text))).toMatchObject({ status: 405, type: 'https://capstan.dev/problems/method-not-allowed' });
    }
  });

  it('(g) a body that trickles in → 408 problem+json after --request-timeout (REST and MCP)', async () => {
    for (const [base, path] of [[rest(), '/echo'], [mcp(), '/mcp']] as const) {
      const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
      const { text, ms } = await rawExchange(base, [head, ...Array.from({ length: 40 }, () => ' ')], 200);
      expect(statusOf(text), base).toBe(408);
      expect(JSON.parse(bodyOf(text))).toMatchObject({ status: 408, type: 'https://capstan.dev/problems/request-timeout' });
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 4_000);
    }
  });

  it('(g) a header drip on MCP → 408 with a problem body', async () => {
    const drip = ['POST /mcp HTTP/1.1\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Drip-${i}: 1\r\n`)];
    const { text } = await rawExchange(mcp(), drip, 200);
    expect(statusOf(text)).toBe(408);
    expect(JSON.parse(bodyOf(text))).toMatchObject({ status: 408 });
  });

  it('(g) a 100 kB MCP string argument for a path → Invalid arguments, nothing sent upstream', async () => {
    const before = upstream.seen.length;
    const answer = await callTool(mcp(), 'proxy-get', { apiPath: 'a'.repeat(100_000) });
    expect(toolText(answer)).toMatch(/^Invalid arguments.*100000 characters long; the limit is 8192/);
    expect(upstream.seen.length).toBe(before);
    // Short values still pass.
    expect((await callTool(mcp(), 'proxy-get', { apiPath: 'x/y' })).body.result?.isError).toBeFalsy();
  });

  it('JSON-RPC parse errors and the MCP endpoint still answer as before', async () => {
    const bad = await rpc(mcp(), '{not json');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe(-32700);
  });
});
