/**
 * Ports that share one fastify app (`capstan run` puts up to 31 ports on an app, each in a scope
 * of its own, routed on the port the request came in on): each port keeps its own routes, 404,
 * 405 and OPTIONS answers, rate limit, inbound auth, error style and log fields, and a reload that
 * removes or adds a port leaves the others serving.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryEntry } from '../helpers/fixtures.js';
import { problemOf, raw, refused } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';

const OPS_TOKEN = 'ops-Token-8fJq2';

interface Parts {
  /** Serve the `b` REST adapter on this port (the file's own: a reload may remove it). */
  bPort?: number;
  /** A further REST adapter `c` on this port. */
  cPort?: number;
}

/** A REST adapter serving `path` with each of `methods` calling `registry.list-ships`; `extra` lines after its port. */
function rest(namespace: string, port: number | string, path: string, methods: string[], extra = ''): string {
  const operations = methods.map((m) => `            - method: ${m}\n              name: ${m.toLowerCase()}-${namespace}\n              call: registry.list-ships\n`).join('');
  return `    - type: rest\n      namespace: ${namespace}\n      port: ${port}\n${extra}      resources:\n        - path: ${path}\n          operations:\n${operations}`;
}

function spec(parts: Parts): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Ports
  description: Several ports of one gateway
binds:
  - namespace: env
    keys:
      OPS_TOKEN: SHARED_APP_OPS_TOKEN
capability:
  consumes:
${registryEntry(4)}  exposes:
${rest('a', 8080, '/ships', ['GET'], '      x-capstan-rateLimit:\n        max: 12\n        timeWindow: 60000\n')}${parts.bPort ? rest('b', parts.bPort, '/boats', ['GET', 'DELETE']) : ''}${parts.cPort ? rest('c', parts.cPort, '/crafts', ['GET']) : ''}    - type: mcp
      namespace: tools
      port: 9090
      tools:
        - name: list-ships
          description: List ships
          call: registry.list-ships
    - type: control
      port: 9100
      authentication:
        type: bearer
        token: "{{OPS_TOKEN}}"
      management:
        health: true
        reload: true
`;
}

/** A port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

let upstream: Upstream;
let run: CapstanRun;
let file: string;
const ops = { authorization: `Bearer ${OPS_TOKEN}` };

beforeAll(async () => {
  upstream = await startUpstream((_req, res) => json(res, 200, [{ imo: '1' }]));
  file = tempSpec(spec({ bPort: await freePort() }));
  run = await startCapstan([file], { namespaces: ['a', 'b', 'tools', 'control'], ports: { b: 'spec' }, upstream: upstream.url, logLevel: 'info', env: { SHARED_APP_OPS_TOKEN: OPS_TOKEN } });
});

afterAll(async () => {
  await run?.stop();
  await upstream?.close();
});

const url = (ns: string) => run.adapters.find((a) => a.namespace === ns)!.url;
const origin = (ns: string) => new URL(url(ns)).origin;

describe('ports sharing an app', () => {
  it('each REST port serves only its own routes: a path of one is a 404 problem on the other, with its own 405 and OPTIONS', async () => {
    expect((await raw(origin('a'), 'GET', '/ships')).status).toBe(200);
    expect((await raw(origin('b'), 'GET', '/boats')).status).toBe(200);
    const crossed = await raw(origin('b'), 'GET', '/ships');
    expect(crossed.status).toBe(404);
    expect(problemOf(crossed).type).toBe('https://capstan.dev/problems/not-found');
    expect((await raw(origin('a'), 'GET', '/boats')).status).toBe(404);
    // 405 and OPTIONS come from the port's own table.
    const wrong = await raw(origin('a'), 'DELETE', '/ships');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD, OPTIONS');
    const options = await raw(origin('b'), 'OPTIONS', '/boats');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, DELETE, HEAD, OPTIONS');
    expect((await raw(origin('a'), 'OPTIONS', '/boats')).status).toBe(404);
    // Each port's OpenAPI document describes its own adapter.
    const docA = JSON.parse((await raw(origin('a'), 'GET', '/openapi.json')).body) as { paths: Record<string, unknown> };
    const docB = JSON.parse((await raw(origin('b'), 'GET', '/openapi.json')).body) as { paths: Record<string, unknown> };
    expect(Object.keys(docA.paths)).toEqual(['/ships']);
    expect(Object.keys(docB.paths)).toEqual(['/boats']);
  });

  it('MCP, control and REST routes stay on their ports, and an unrouted request logs its port\'s adapter', async () => {
    const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list-ships', arguments: {} } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await raw(origin('tools'), 'POST', '/mcp', { headers, body: call })).status).toBe(200);
    expect((await raw(origin('a'), 'POST', '/mcp', { headers, body: call })).status).toBe(404);
    expect((await raw(origin('tools'), 'GET', '/ships')).status).toBe(404);
    expect((await raw(origin('tools'), 'GET', '/health/live')).status).toBe(404);
    expect((await raw(origin('control'), 'GET', '/health/live', { headers: ops })).status).toBe(200);
    expect((await raw(origin('a'), 'GET', '/health/live')).status).toBe(404);
    const unrouted = await raw(origin('tools'), 'GET', '/nothing-here', { headers: { 'x-request-id': 'shared-app-unrouted' } });
    expect(unrouted.status).toBe(404);
    await until(() => run.stdout().includes('shared-app-unrouted'));
    const line = JSON.parse(run.stdout().split('\n').find((l) => l.includes('"shared-app-unrouted"') && l.includes('"msg":"request"'))!) as Record<string, unknown>;
    expect(line).toMatchObject({ kind: 'mcp', adapter: 'tools', status: 404, route: null });
  });

  it('an MCP port answers every method of its endpoint URLs, HEAD included, and /sse only to GET', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    for (const path of ['/', '/mcp', '/mcp/']) {
      // HEAD is the front's answer to a method it does not serve (as PUT), without the body.
      const put = await raw(origin('tools'), 'PUT', path, { headers, body: '{}' });
      const head = await raw(origin('tools'), 'HEAD', path, { headers });
      expect([put.status, head.status], path).toEqual([405, 405]);
      expect(head.headers.allow).toBe('GET, POST, DELETE, OPTIONS');
      expect(head.headers.allow).toBe(put.headers.allow);
      expect(head.headers['content-length']).toBe(put.headers['content-length']);
      expect(head.body).toBe('');
      expect(JSON.parse(put.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const refused = await raw(origin('tools'), method, '/sse', { headers, ...(method === 'DELETE' ? {} : { body: '{}' }) });
      expect(refused.status, method).toBe(405);
      expect(refused.headers.allow).toBe('GET');
      expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    }
    expect((await raw(origin('tools'), 'OPTIONS', '/sse')).status).toBe(404);
    expect((await raw(origin('tools'), 'GET', '/messages')).status).toBe(404);
    // A REST port's OpenAPI document answers HEAD with the GET's headers.
    const doc = await raw(origin('b'), 'GET', '/openapi.json');
    const docHead = await raw(origin('b'), 'HEAD', '/openapi.json');
    expect([doc.status, docHead.status]).toEqual([200, 200]);
    expect(docHead.headers['content-length']).toBe(doc.headers['content-length']);
    expect(docHead.body).toBe('');
    expect((await raw(origin('b'), 'POST', '/openapi.json')).status).toBe(404);
  });

  it('the control adapter\'s token guards its unknown paths too; other ports do not ask for it', async () => {
    const unknown = await raw(origin('control'), 'GET', '/nothing-here');
    expect(unknown.status).toBe(401);
    expect((await raw(origin('control'), 'GET', '/nothing-here', { headers: ops })).status).toBe(404);
    expect((await raw(origin('b'), 'GET', '/boats')).status).toBe(200);
  });

  it('one port\'s rate limit does not apply to another', async () => {
    // Every request counts, the earlier tests' too: go on until the limit answers.
    let limited = await raw(origin('a'), 'GET', '/ships');
    for (let i = 0; i < 20 && limited.status !== 429; i++) limited = await raw(origin('a'), 'GET', '/ships');
    expect(limited.status).toBe(429);
    expect(problemOf(limited).type).toBe('https://capstan.dev/problems/rate-limited');
    expect(limited.headers['ratelimit-limit']).toBe('12');
    for (let i = 0; i < 15; i++) {
      const b = await raw(origin('b'), 'GET', '/boats');
      expect(b.status).toBe(200);
      expect(b.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('a reload that removes one port and adds another leaves the remaining ports serving', async () => {
    const cPort = await freePort();
    const bOrigin = origin('b');
    const bPort = Number(new URL(bOrigin).port);
    const tools = origin('tools');
    writeFileSync(file, spec({ cPort }));
    const reloaded = await fetch(`${origin('control')}/reload`, { method: 'POST', headers: ops });
    expect(reloaded.status, await reloaded.clone().text()).toBe(200);
    expect(await refused(bPort)).toBe(true);
    const c = await raw(`http://127.0.0.1:${cPort}`, 'GET', '/crafts');
    expect(c.status).toBe(200);
    expect((await raw(`http://127.0.0.1:${cPort}`, 'GET', '/ships')).status).toBe(404);
    expect((await raw(origin('a'), 'GET', '/crafts')).status).toBe(404);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await raw(tools, 'POST', '/mcp', { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) })).status).toBe(200);
    expect((await raw(origin('control'), 'GET', '/health/live', { headers: ops })).status).toBe(200);
    // The new version's limit counts afresh, and the port still has one.
    const a = await raw(origin('a'), 'GET', '/ships');
    expect(a.status).toBe(200);
    expect(a.headers['ratelimit-limit']).toBe('12');
  });
});

describe('more ports than one app serves', () => {
  // 33 ports: two apps (31 ports an app, find-my-way's limit of constrained handlers per route node).
  const COUNT = 33;
  const names = Array.from({ length: COUNT }, (_, i) => `r${i}`);
  let many: CapstanRun;
  beforeAll(async () => {
    const yaml = `naftiko: 1.0.0-alpha2
info:
  label: Many ports
  description: More ports than one app serves
capability:
  consumes:
${registryEntry(4)}  exposes:
${names.map((ns, i) => rest(ns, 8000 + i, `/r${i}`, ['GET'])).join('')}`;
    many = await startCapstan([tempSpec(yaml)], { namespaces: names, upstream: upstream.url });
  });
  afterAll(() => many?.stop());

  it('every port answers its own route, and the neighbours\' routes (same app or the other app) are 404s', async () => {
    const originOf = (i: number) => new URL(many.adapters.find((a) => a.namespace === `r${i}`)!.url).origin;
    for (let i = 0; i < COUNT; i++) {
      expect((await raw(originOf(i), 'GET', `/r${i}`)).status, `r${i}`).toBe(200);
      for (const other of [(i + 1) % COUNT, (i + 31) % COUNT]) expect((await raw(originOf(i), 'GET', `/r${other}`)).status, `r${other} on r${i}`).toBe(404);
    }
  });
});
