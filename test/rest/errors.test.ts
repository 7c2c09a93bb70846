/**
 * Every error answer of the REST adapter under `capstan run`, as RFC 9457 problem+json:
 * invalid input, unknown path, wrong method, oversized body and URL, unreachable and slow
 * upstreams, and upstream error statuses passed through.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { checkProblem, expectProblem, raw, send } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { closedPort, json, startHangingUpstream, startUpstream, type Upstream } from '../helpers/upstream.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Error cases
  description: A small capability for the REST adapter's error answers.
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: http://127.0.0.1:9/base
    resources:
    - name: items
      path: /items
      operations:
      - name: list-items
        method: GET
        inputParameters:
        - name: q
          in: query
        - name: limit
          in: query
      - name: create-item
        method: POST
        inputParameters:
        - name: name
          in: body
        - name: size
          in: body
    - name: status
      path: /status/{{code}}
      operations:
      - name: get-status
        method: GET
        inputParameters:
        - name: code
          in: path
  - type: http
    namespace: down
    baseUri: http://127.0.0.1:9
    resources:
    - name: thing
      path: /thing
      operations:
      - name: get-thing
        method: GET
  - type: http
    namespace: slow
    baseUri: http://127.0.0.1:9
    resources:
    - name: thing
      path: /thing
      operations:
      - name: get-thing
        method: GET
  exposes:
  - type: rest
    namespace: errors-rest
    port: 8080
    resources:
    - path: /items
      name: items
      operations:
      - method: GET
        name: list-items
        inputParameters:
        - name: q
          in: query
          type: string
          description: Search text, lower-case letters.
          pattern: "^[a-z]+$"
        - name: limit
          in: query
          type: integer
          description: Page size.
        call: api.list-items
        with:
          q: errors-rest.q
          limit: errors-rest.limit
      - method: POST
        name: create-item
        inputParameters:
        - name: name
          in: body
          type: string
          description: Item name.
          value: $.name
        - name: size
          in: body
          type: number
          description: Item size.
          value: $.size
        call: api.create-item
        with:
          name: errors-rest.name
          size: errors-rest.size
    - path: /status/{code}
      name: status
      operations:
      - method: GET
        name: get-status
        inputParameters:
        - name: code
          in: path
          type: integer
          description: Status the upstream answers with.
        call: api.get-status
        with:
          code: errors-rest.code
    - path: /down
      name: down
      operations:
      - method: GET
        name: down
        call: down.get-thing
    - path: /slow
      name: slow
      operations:
      - method: GET
        name: slow
        call: slow.get-thing
`;

let api: Upstream;
let hanging: Awaited<ReturnType<typeof startHangingUpstream>>;
let run: CapstanRun;
let base: string;

beforeAll(async () => {
  api = await startUpstream((req, res) => {
    const url = new URL(req.url, 'http://x');
    const status = /^\/base\/status\/(\d+)$/.exec(url.pathname);
    if (status) {
      const code = Number(status[1]);
      if (code === 500) return void res.writeHead(500, { 'content-type': 'text/plain', 'x-upstream': 'yes' }).end('boom');
      if (code === 204) return void res.writeHead(204).end();
      return json(res, code, { upstream: code }, { 'x-upstream': 'yes' });
    }
    if (url.pathname === '/base/items' && req.method === 'POST') return json(res, 201, { created: JSON.parse(req.body || 'null') });
    return json(res, 200, { method: req.method, path: url.pathname, query: url.search });
  });
  hanging = await startHangingUpstream();
  const down = await closedPort();
  run = await startCapstan([tempSpec(SPEC, 'errors.yaml')], {
    namespaces: ['errors-rest'],
    upstream: { api: `${api.url}/base`, down: `http://127.0.0.1:${down}`, slow: hanging.url },
    timeoutMs: 500,
  });
  base = run.rest['errors-rest']!;
});

afterAll(async () => {
  await run?.stop();
  await api?.close();
  await hanging?.close();
});

describe('400: invalid input', () => {
  it('an ill-typed integer query parameter', async () => {
    const before = api.seen.length;
    const p = await expectProblem(await fetch(`${base}/items?q=abc&limit=abc`), 400, 'invalid-input');
    expect(p.detail).toBe('1 input is missing or invalid');
    expect(p.errors).toEqual([{ name: 'limit', in: 'query', message: '`limit` must be an integer; got "abc"' }]);
    const frac = await expectProblem(await fetch(`${base}/items?limit=1.5`), 400, 'invalid-input');
    expect(frac.errors).toEqual([{ name: 'limit', in: 'query', message: '`limit` must be an integer; got "1.5"' }]);
    expect(api.seen.length).toBe(before);
  });

  it('every bad input is named at once (pattern and type)', async () => {
    const p = await expectProblem(await fetch(`${base}/items?q=ABC&limit=x`), 400, 'invalid-input');
    expect(p.detail).toBe('2 inputs are missing or invalid');
    expect(p.errors).toEqual([
      { name: 'q', in: 'query', message: '`q` does not match the pattern `^[a-z]+$`' },
      { name: 'limit', in: 'query', message: '`limit` must be an integer; got "x"' },
    ]);
  });

  it('a well-typed query is coerced and sent', async () => {
    const res = await fetch(`${base}/items?q=abc&limit=10`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.path).toBe('/base/items');
    expect(Object.fromEntries(new URLSearchParams(body.query))).toEqual({ q: 'abc', limit: '10' });
  });

  it('an ill-typed integer path parameter and an ill-typed body field', async () => {
    const path = await expectProblem(await fetch(`${base}/status/abc`), 400, 'invalid-input');
    expect(path.errors).toEqual([{ name: 'code', in: 'path', message: '`code` must be an integer; got "abc"' }]);
    const body = await expectProblem(await send(`${base}/items`, 'POST', { name: 'x', size: 'big' }), 400, 'invalid-input');
    expect(body.errors).toEqual([{ name: 'size', in: 'body', message: '`size` must be a number; got "big"' }]);
  });

  it('a body that is not JSON', async () => {
    const p = await expectProblem(await send(`${base}/items`, 'POST', '{"name": '), 400, 'bad-request');
    expect(p.detail).toBe('the request body is not valid JSON');
  });

  it('malformed percent-encoding in the path', async () => {
    const res = await raw(base, 'GET', '/status/%E0%A4%A');
    const p = checkProblem(res.status, res.headers, res.body, { status: 400, slug: 'bad-request' });
    expect(p.detail).toBe('the URL path has malformed percent-encoding');
  });

  it('a valid POST body reaches the upstream and its status comes back', async () => {
    const res = await send(`${base}/items`, 'POST', { name: 'bolt', size: 2.5 });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ created: { name: 'bolt', size: 2.5 } });
  });
});

describe('404, 405, HEAD and OPTIONS', () => {
  it('an unknown path is 404', async () => {
    const p = await expectProblem(await fetch(`${base}/nope?x=1`), 404, 'not-found');
    expect(p.detail).toBe('no route for GET /nope');
    // Exact match: a trailing slash is another path.
    await expectProblem(await fetch(`${base}/items/`), 404, 'not-found');
  });

  it('a wrong method is 405 with Allow', async () => {
    const res = await fetch(`${base}/items`, { method: 'DELETE' });
    const p = await expectProblem(res, 405, 'method-not-allowed');
    expect(p.detail).toBe('DELETE is not allowed on /items; use GET, POST');
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('OPTIONS answers 204 with Allow and no body; HEAD answers like GET without a body', async () => {
    const options = await fetch(`${base}/status/200`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await options.text()).toBe('');
    const head = await raw(base, 'HEAD', '/status/201');
    expect(head.status).toBe(201);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('413, 414, 431: requests too large', () => {
  it('a body over 1 MiB is 413 and never reaches the upstream', async () => {
    const before = api.seen.length;
    const p = await expectProblem(await send(`${base}/items`, 'POST', { name: 'x'.repeat(1024 * 1024 + 10) }), 413, 'body-too-large');
    expect(p.detail).toBe('the request body is larger than 1048576 bytes');
    expect(api.seen.length).toBe(before);
  });

  it('a URL over 8192 characters is 414', async () => {
    const p = await expectProblem(await fetch(`${base}/items?q=${'a'.repeat(9000)}`), 414, 'uri-too-long');
    expect(p.detail).toBe('the URL has 9009 characters; the limit is 8192');
  });

  it('one path segment over 2048 characters is 414', async () => {
    const p = await expectProblem(await fetch(`${base}/status/${'1'.repeat(3000)}`), 414, 'uri-too-long');
    expect(p.detail).toBe('a path segment is longer than 2048 characters');
  });

  it('a request line past the header limit is still 414 problem+json; oversized headers are 431', async () => {
    const long = await raw(base, 'GET', `/items?q=${'a'.repeat(20_000)}`);
    const p = checkProblem(long.status, long.headers, long.body, { status: 414, slug: 'uri-too-long', noRequestId: true });
    expect(p.detail).toBe('the URL is longer than the limit of 8192 characters');
    const headers = await raw(base, 'GET', '/items', { headers: { 'x-big': 'b'.repeat(20_000) } });
    checkProblem(headers.status, headers.headers, headers.body, { status: 431, slug: 'header-fields-too-large', noRequestId: true });
  });
});

describe('502, 504 and upstream statuses', () => {
  it('an unreachable upstream is 502 naming the upstream', async () => {
    const p = await expectProblem(await fetch(`${base}/down`), 502, 'upstream-unavailable');
    expect(p.upstream).toEqual({ namespace: 'down', operation: 'get-thing' });
  });

  it('an upstream that accepts and never answers is 504 after --timeout', async () => {
    const started = Date.now();
    const p = await expectProblem(await fetch(`${base}/slow`), 504, 'upstream-timeout');
    const ms = Date.now() - started;
    expect(p.upstream).toEqual({ namespace: 'slow', operation: 'get-thing' });
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(5_000);
    expect(hanging.connections()).toBeGreaterThan(0);
  });

  it('upstream 4xx and 5xx statuses come back with the upstream body and headers', async () => {
    const notFound = await fetch(`${base}/status/404`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-upstream')).toBe('yes');
    expect(await notFound.json()).toEqual({ upstream: 404 });
    const teapot = await fetch(`${base}/status/418`);
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toEqual({ upstream: 418 });
    const boom = await fetch(`${base}/status/500`);
    expect(boom.status).toBe(500);
    expect(boom.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await boom.text()).toBe('boom');
    const empty = await fetch(`${base}/status/204`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it("the caller's x-request-id is answered and sent upstream", async () => {
    const id = `trace-${randomUUID()}`;
    const res = await fetch(`${base}/status/200`, { headers: { 'x-request-id': id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(api.seen.find((r) => r.headers['x-request-id'] === id)?.url).toBe('/base/status/200');
  });
});
