/**
 * The caller's query on a route with a trailing multi-segment placeholder (`{{apiPath}}`, the
 * Paragon proxy shape) reaches the upstream as the form-urlencoded serialisation of the query
 * minus the declared query parameters, whether the query is plain (`limit=5&cursor=abc`, sent as
 * it is) or needs re-encoding (spaces, `~`, `+`, a pair without `=`, empty pairs), and whether or
 * not the operation declares query parameters. The path tail arrives decoded segment by segment
 * either way (plain, or percent-encoded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInProcess, type Served } from './inprocess.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const spec = (upstream: string) => `naftiko: 1.0.0-alpha2
info:
  label: Proxy query
  description: A pass-through route with and without a declared query parameter.
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: ${upstream}
    resources:
    - name: proxy
      path: /up/{{projectId}}/{{apiPath}}
      operations:
      - name: get-proxy
        method: GET
  exposes:
  - type: rest
    namespace: proxy-rest
    port: 8080
    resources:
    - path: /plain/{{projectId}}/{{apiPath}}
      name: plain
      operations:
      - method: GET
        name: plain
        call: api.get-proxy
        with:
          projectId: '{{projectId}}'
          apiPath: '{{apiPath}}'
    - path: /declared/{{projectId}}/{{apiPath}}
      name: declared
      inputParameters:
      - name: mode
        in: query
        type: string
      operations:
      - method: GET
        name: declared
        call: api.get-proxy
        with:
          projectId: '{{projectId}}'
          apiPath: '{{apiPath}}'
`;

let upstream: Upstream;
let served: Served;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { url: req.url }));
  served = await serveInProcess([spec(upstream.url)]);
});

afterAll(async () => {
  await served?.close();
  await upstream?.close();
});

/** What the upstream is sent for a caller query: URLSearchParams' serialisation, without the declared names. */
function expectedQuery(query: string, declared: string[]): string {
  const params = new URLSearchParams(query);
  for (const name of declared) params.delete(name);
  return params.toString();
}

async function upstreamUrl(path: string): Promise<string> {
  const res = await fetch(`${served.url}${path}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

const QUERIES = [
  'limit=5&cursor=abc',
  'a=1.5&b=x_y-z*&c=',
  'after=a%20b&limit=5',
  'q=a+b',
  'tilde=~x',
  'flag&limit=5',
  'a=1&&b=2',
  'mode=fast&limit=5',
  'name=%C3%A9t%C3%A9',
  'a=%26b&c=d%3De',
];

describe('caller query on a multi-segment pass-through route', () => {
  for (const query of QUERIES) {
    it(`?${query}: undeclared and declared query parameters`, async () => {
      const plain = await upstreamUrl(`/plain/p1/api/conversations.list?${query}`);
      const q = expectedQuery(query, []);
      expect(plain).toBe(`/up/p1/api/conversations.list${q ? `?${q}` : ''}`);
      const declared = await upstreamUrl(`/declared/p1/api/conversations.list?${query}`);
      const d = expectedQuery(query, ['mode']);
      expect(declared).toBe(`/up/p1/api/conversations.list${d ? `?${d}` : ''}`);
    });
  }

  it('a plain tail and a percent-encoded one reach the upstream segment by segment', async () => {
    expect(await upstreamUrl('/plain/p1/crm/v3/objects.list')).toBe('/up/p1/crm/v3/objects.list');
    expect(await upstreamUrl('/plain/p1/crm%2Fv3/obj%20ects')).toBe('/up/p1/crm/v3/obj%20ects');
    const refused = await fetch(`${served.url}/plain/p1/crm/a%3Fb`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('%3F');
  });
});
