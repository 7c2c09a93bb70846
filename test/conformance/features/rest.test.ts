/**
 * Conformance rows 46, 56, 58 and 63 of docs/conformance.md (REST adapter): `{p}` and `{{p}}`
 * route alike; operations win over a `forward` declared on the same resource; an `in: body` input
 * without a matching body field is absent unless it is named `body`; oauth2 token introspection
 * is refused (not implemented).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { serveInProcess, type Served } from '../../rest/inprocess.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: REST features
  description: Forward precedence, body inputs and introspection
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://127.0.0.1:9/base
      resources:
        - name: special
          path: /special
          operations:
            - name: special
              method: GET
        - name: things
          path: /things/{{thing}}
          operations:
            - name: get-thing
              method: GET
        - name: echo
          path: /echo
          operations:
            - name: echo-fields
              method: POST
              inputParameters:
                - name: note
                  in: body
                - name: title
                  in: body
            - name: echo-whole
              method: PUT
              inputParameters:
                - name: body
                  in: body
  exposes:
    - type: rest
      namespace: api
      port: 8080
      resources:
        - path: /p/{path}
          name: p
          operations:
            - method: GET
              name: special
              call: up.special
          forward:
            targetNamespace: up
            trustedHeaders:
              - X-Trace
        - path: /things/{{thing}}
          name: things
          operations:
            - method: GET
              name: get-thing
              call: up.get-thing
              with:
                thing: api.thing
        - path: /others/{thing}
          name: others
          operations:
            - method: GET
              name: get-other
              call: up.get-thing
              with:
                thing: api.thing
        - path: /fields
          name: fields
          operations:
            - method: POST
              name: fields
              inputParameters:
                - name: note
                  in: body
                  type: string
                  description: An optional field.
                - name: title
                  in: body
                  type: string
                  description: Another optional field.
              call: up.echo-fields
              with:
                note: api.note
                title: api.title
        - path: /whole
          name: whole
          operations:
            - method: PUT
              name: whole
              inputParameters:
                - name: body
                  in: body
                  type: object
                  description: The whole request body.
              call: up.echo-whole
              with:
                body: api.body
    - type: rest
      namespace: introspected
      port: 8081
      authentication:
        type: oauth2
        authorizationServerUri: https://auth.example.test
        resource: https://api.example.test
        tokenValidation: introspection
      resources:
        - path: /guarded
          name: guarded
          operations:
            - method: GET
              name: guarded
              call: up.special
`;

describe('REST adapter', () => {
  let upstream: Upstream;
  let served: Served;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => json(res, 200, { method: req.method, url: req.url, body: req.body }));
    served = await serveInProcess([SPEC], { executor: { upstreams: { '*': `${upstream.url}/base` } } });
  });

  afterAll(async () => {
    await served?.close();
    await upstream?.close();
  });

  it('exposed paths route `{p}` and `{{p}}` placeholders alike; matching is exact (a trailing slash is another path)', async () => {
    const double = await fetch(`${served.url}/things/t%201`);
    expect(double.status).toBe(200);
    expect(((await double.json()) as { url: string }).url).toBe('/base/things/t%201');
    const single = await fetch(`${served.url}/others/t2`);
    expect(single.status).toBe(200);
    expect(((await single.json()) as { url: string }).url).toBe('/base/things/t2');
    expect((await fetch(`${served.url}/things/t1/`)).status).toBe(404);
  });

  it('operations take precedence over `forward` on the same resource; the other methods are forwarded', async () => {
    const get = await fetch(`${served.url}/p/a/b?x=1`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { url: string }).url).toBe('/base/special');
    const post = await fetch(`${served.url}/p/a/b?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"k":1}' });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ method: 'POST', url: '/base/a/b?x=1', body: '{"k":1}' });
  });

  it('an `in: body` input without a matching body field is absent; only an input named `body` falls back to the whole body', async () => {
    const fields = await fetch(`${served.url}/fields`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"note":"n1","other":"x"}' });
    expect(fields.status).toBe(200);
    // `title` has no field in the request: it is not filled with the whole body (the engine would).
    expect(((await fields.json()) as { body: string }).body).toBe('{"note":"n1"}');
    const whole = await fetch(`${served.url}/whole`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"any":{"shape":[1]}}' });
    expect(whole.status).toBe(200);
    expect(((await whole.json()) as { body: string }).body).toBe('{"any":{"shape":[1]}}');
  });

  it('oauth2 with `tokenValidation: introspection` refuses every bearer token with 401 (introspection is not implemented)', async () => {
    const before = upstream.seen.length;
    const res = await fetch(`${served.url}/guarded`, { headers: { authorization: 'Bearer any-token-at-all' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toBe('token introspection is not supported');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_request"/);
    expect(upstream.seen.length).toBe(before);
  });
});
