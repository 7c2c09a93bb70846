/** REST forward: method, body, query and trusted headers pass through; the answer comes back as is. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '@capstan/runtime';
import type { CapabilityGraph, ConsumedApi } from '@capstan/spec';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { executorFor, graphOf } from './helpers.js';

let server: Upstream;
let graph: CapabilityGraph;
let exec: Executor;
let open: ConsumedApi;
let guarded: ConsumedApi;

beforeAll(async () => {
  server = await startUpstream((req, res) => {
    if (req.url.includes('moved')) {
      res.writeHead(301, { location: 'http://elsewhere.invalid/x' });
      res.end();
      return;
    }
    res.writeHead(201, { 'content-type': 'application/vnd.test+json', 'x-upstream': 'yes', 'set-cookie': 'a=b', connection: 'keep-alive' });
    res.end(`{"got":${JSON.stringify(req.body.toString())}}`);
  });
  graph = graphOf(`binds:
  - namespace: keys
    keys:
      UP_TOKEN: UP_TOKEN_VAR
capability:
  consumes:
    - namespace: open
      type: http
      baseUri: "http://open.invalid/base"
      inputParameters:
        - name: X-Client
          in: header
          value: "capstan-{{UP_TOKEN}}"
      resources:
        - name: r
          path: "/r"
          operations:
            - name: op
              method: GET
    - namespace: guarded
      type: http
      baseUri: "http://guarded.invalid/base"
      authentication:
        type: bearer
        token: "{{UP_TOKEN}}"
      resources:
        - name: r
          path: "/r"
          operations:
            - name: op2
              method: GET
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: "/proxy/{path}"
          forward:
            targetNamespace: open
            trustedHeaders:
              - X-Trusted
              - Authorization
              - Host
`).graph;
  open = graph.consumes.get('open')!;
  guarded = graph.consumes.get('guarded')!;
  exec = await executorFor(graph, server, { env: { UP_TOKEN_VAR: 'tok-1' } });
});
afterAll(async () => {
  await exec.close();
  await server.close();
});

const TRUSTED = ['X-Trusted', 'Authorization', 'Host'];

describe('forward', () => {
  it('passes method, path, query, body and trusted headers; returns the upstream answer as is', async () => {
    const result = await exec.forward(open, TRUSTED, {
      method: 'PUT',
      path: 'v1/items/a%20b',
      query: 'x=1&y=%20z',
      headers: { 'x-trusted': 'yes', 'X-Untrusted': 'no', authorization: 'Bearer caller', 'content-type': 'application/json', host: 'evil.example' },
      body: Buffer.from('{"n":1}'),
      requestId: 'rid-7',
    });
    const seen = server.seen.at(-1)!;
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe('/base/v1/items/a%20b?x=1&y=%20z');
    expect(seen.body.toString()).toBe('{"n":1}');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-trusted']).toBe('yes');
    expect(seen.headers['x-untrusted']).toBeUndefined();
    expect(seen.headers.authorization).toBe('Bearer caller');
    expect(seen.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(seen.headers['x-client']).toBe('capstan-tok-1');
    expect(seen.headers['x-request-id']).toBe('rid-7');
    expect(result).toMatchObject({ kind: 'raw', status: 201, contentType: 'application/vnd.test+json', upstream: { namespace: 'open', operation: 'forward' } });
    if (result.kind !== 'raw') throw new Error('raw expected');
    expect(result.body.toString()).toBe('{"got":"{\\"n\\":1}"}');
    expect(result.headers['x-upstream']).toBe('yes');
    expect(result.headers['set-cookie']).toBeUndefined();
    expect(result.headers.connection).toBeUndefined();
  });

  it("uses the consumed API's own credentials over the caller's", async () => {
    await exec.forward(guarded, TRUSTED, { method: 'GET', path: '', query: '', headers: { authorization: 'Bearer caller' } });
    const seen = server.seen.at(-1)!;
    expect(seen.url).toBe('/base');
    expect(seen.headers.authorization).toBe('Bearer tok-1');
  });

  it('does not forward an untrusted Authorization', async () => {
    await exec.forward(open, ['X-Trusted'], { method: 'GET', path: 'a', query: '', headers: { authorization: 'Bearer caller' } });
    expect(server.seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('passes a redirect through instead of following it', async () => {
    const result = await exec.forward(open, TRUSTED, { method: 'GET', path: 'moved', query: '', headers: {} });
    expect(result).toMatchObject({ kind: 'raw', status: 301, headers: { location: 'http://elsewhere.invalid/x' } });
  });

  for (const path of ['../admin', 'a/%2e%2e/b', '%2F%2Fevil.com/x', 'a%2Fb', '//evil.com', 'a\\b', 'a%0d%0ab']) {
    it(`refuses the path ${JSON.stringify(path)} without sending anything`, async () => {
      const before = server.seen.length;
      await expect(exec.forward(open, TRUSTED, { method: 'GET', path, query: '', headers: {} })).rejects.toMatchObject({ name: 'InputError' });
      expect(server.seen.length).toBe(before);
    });
  }
});
