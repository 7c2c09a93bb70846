/**
 * The REST adapter in-process (createRestServer + registerRestAdapter + the real executor):
 * forward resources, header and cookie inputs, server limits, executor errors, and aborts.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProblem, expectProblem, raw, send } from '../helpers/http.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';
import { serveInProcess, type Served } from './inprocess.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Warehouse
  description: Operations and a forward on one adapter.
capability:
  consumes:
  - type: http
    namespace: wh
    baseUri: http://127.0.0.1:9/root
    resources:
    - name: items
      path: /items/{{id}}
      operations:
      - name: get-item
        method: GET
        inputParameters:
        - name: id
          in: path
        - name: tenant
          in: query
        - name: session
          in: query
    - name: moved
      path: /moved
      operations:
      - name: get-moved
        method: GET
    - name: held
      path: /held
      operations:
      - name: get-held
        method: GET
  exposes:
  - type: rest
    namespace: wh-rest
    port: 8080
    resources:
    - path: /items/{id}
      name: items
      operations:
      - method: GET
        name: get-item
        inputParameters:
        - name: id
          in: path
          type: string
          description: Item id.
        - name: tenant
          in: header
          type: string
          description: Tenant, from a header.
        - name: session
          in: cookie
          type: string
          description: Session, from a cookie.
        call: wh.get-item
        with:
          id: wh-rest.id
          tenant: wh-rest.tenant
          session: wh-rest.session
    - path: /moved
      name: moved
      operations:
      - method: GET
        name: get-moved
        call: wh.get-moved
    - path: /held
      name: held
      operations:
      - method: GET
        name: get-held
        call: wh.get-held
    - path: /proxy/{path}
      name: proxy
      forward:
        targetNamespace: wh
        trustedHeaders:
        - X-Trace
`;

let upstream: Upstream;
let served: Served;
const held: Array<{ res: ServerResponse; closed: boolean }> = [];

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url === '/root/moved') return void res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
    if (req.url === '/root/held') {
      const entry = { res, closed: false };
      res.on('close', () => (entry.closed = true));
      return void held.push(entry);
    }
    if (req.url.startsWith('/root/a/')) return json(res, 207, { forwarded: true }, { 'x-upstream': 'fwd', 'set-cookie': 'up=1' });
    return json(res, 200, { url: req.url });
  });
  served = await serveInProcess([SPEC], { executor: { upstreams: { '*': `${upstream.url}/root` } } });
});

afterAll(async () => {
  for (const h of held) h.res.destroy();
  await served?.close();
  await upstream?.close();
});

describe('forward', () => {
  it('passes method, sub-path, raw query, body and trusted headers only; the answer comes back as is', async () => {
    const res = await fetch(`${served.url}/proxy/a/b%20c?x=1&y=%2F&x=2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-trace': 't-1', 'x-private': 'no', authorization: 'Bearer caller' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(res.status).toBe(207);
    expect(res.headers.get('x-upstream')).toBe('fwd');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toEqual({ forwarded: true });
    const seen = upstream.seen.at(-1)!;
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe('/root/a/b%20c?x=1&y=%2F&x=2');
    expect(JSON.parse(seen.body)).toEqual({ n: 1 });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-trace']).toBe('t-1');
    expect(seen.headers['x-private']).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('OPTIONS lists every method of a forward resource', async () => {
    const res = await fetch(`${served.url}/proxy/a`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
  });

  it('refuses dot segments, even percent-encoded, before anything is sent', async () => {
    const before = upstream.seen.length;
    for (const path of ['/proxy/a/%2e%2e/%2e%2e/etc/passwd', '/proxy/../admin', '/proxy/a/%252e%252e/x']) {
      const r = await raw(served.url, 'GET', path);
      const p = checkProblem(r.status, r.headers, r.body, { status: 400, slug: 'invalid-input' });
      expect(p.errors?.[0]?.name).toBe('path');
    }
    expect(upstream.seen.length).toBe(before);
  });
});

describe('operations', () => {
  it('reads header and cookie inputs', async () => {
    const res = await fetch(`${served.url}/items/42`, { headers: { tenant: 'acme', cookie: 'theme=dark; session=s%20one' } });
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const u = new URL(url, 'http://x');
    expect(u.pathname).toBe('/root/items/42');
    expect(Object.fromEntries(u.searchParams)).toEqual({ tenant: 'acme', session: 's one' });
  });

  it('a single-segment path input holding an encoded `/` or `?` is 400 (it would add segments or a query upstream)', async () => {
    const before = upstream.seen.length;
    for (const path of ['/items/a%2Fb', '/items/1%2F..%2Fadmin', '/items/a%3Fadmin=1']) {
      const p = await expectProblem(await fetch(`${served.url}${path}`), 400, 'invalid-input');
      expect(p.errors).toEqual([{ name: 'id', in: 'path', message: '`id` is one path segment: it must not contain an encoded `/` or `?` (%2F, %3F)' }]);
    }
    expect(upstream.seen.length).toBe(before);
  });

  it('a value the executor refuses is 400 naming the input', async () => {
    const before = upstream.seen.length;
    const r = await raw(served.url, 'GET', '/items/%2e%2e');
    const p = checkProblem(r.status, r.headers, r.body, { status: 400, slug: 'invalid-input' });
    expect(p.errors).toEqual([{ name: 'id', message: 'dot segments (`.` or `..`) are not allowed' }]);
    expect(upstream.seen.length).toBe(before);
  });

  it('an upstream redirect is not followed: 502 naming the upstream and its status', async () => {
    const p = await expectProblem(await fetch(`${served.url}/moved`), 502, 'upstream-redirect');
    expect(p.upstream).toEqual({ namespace: 'wh', operation: 'get-moved', status: 302 });
    expect(upstream.seen.some((r) => r.url === '/elsewhere')).toBe(false);
  });

  it('a caller that goes away aborts the upstream call', async () => {
    const controller = new AbortController();
    const pending = fetch(`${served.url}/held`, { signal: controller.signal }).catch((e: Error) => e);
    await until(() => held.length === 1);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await until(() => held[0]!.closed, 3_000);
  });
});

describe('server limits and unexpected errors', () => {
  let small: Served;
  let failing: Served;

  beforeAll(async () => {
    small = await serveInProcess([SPEC], { executor: { upstreams: { '*': `${upstream.url}/root` } }, server: { bodyLimit: 64, maxUrlLength: 100 } });
    failing = await serveInProcess([SPEC], {
      executor: { upstreams: { '*': `${upstream.url}/root` } },
      runner: (executor) => ({
        run: async () => {
          throw new Error('database password=hunter2 leaked');
        },
        forward: (...args) => executor.forward(...args),
        redact: (t) => executor.redact(t),
      }),
    });
  });

  afterAll(async () => {
    await small?.close();
    await failing?.close();
  });

  it('bodyLimit and maxUrlLength are enforced with 413 and 414', async () => {
    const big = await expectProblem(await send(`${small.url}/proxy/a/b`, 'POST', { pad: 'x'.repeat(100) }), 413, 'body-too-large');
    expect(big.detail).toBe('the request body is larger than 64 bytes');
    expect((await send(`${small.url}/proxy/a/b`, 'POST', { pad: 'x' })).status).toBe(207);
    const long = await expectProblem(await fetch(`${small.url}/items/${'i'.repeat(101)}`), 414, 'uri-too-long');
    expect(long.detail).toBe('the URL has 108 characters; the limit is 100');
  });

  it('an unexpected error is 500 with a request id and without its message', async () => {
    const res = await fetch(`${failing.url}/items/1`);
    const p = await expectProblem(res, 500, 'internal');
    expect(p.detail).toBe(`an unexpected error occurred; quote request id ${p.requestId} when reporting it`);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });
});
