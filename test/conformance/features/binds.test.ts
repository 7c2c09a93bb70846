/**
 * Conformance rows 6, 7 and 9 of docs/conformance.md: `capability.binds` reach templates like
 * root binds; a bind location scheme Capstan cannot read fails start-up clearly; exposed
 * authentication templates read binds first, then an environment variable of the same name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Executor } from '@capstan/runtime';
import { graphOf, handlerOf } from '../../executor/helpers.js';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';
import { serveInProcess, type Served } from '../../rest/inprocess.js';

let server: Upstream;
beforeAll(async () => {
  server = await startUpstream();
});
afterAll(async () => {
  await server.close();
});

const CONSUMES = `  consumes:
    - namespace: up
      type: http
      baseUri: "http://upstream.invalid/base"
      authentication:
        type: bearer
        token: "{{CAP_TOKEN}}"
      resources:
        - name: r
          path: "/{{cap-env.CAP_REGION}}/items"
          operations:
            - name: op
              method: GET
              inputParameters:
                - name: X-Token
                  in: header
                  value: "{{cap-secrets.CAP_TOKEN}}"
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        - name: t
          description: d
          call: up.op
`;

describe('binds', () => {
  it('`capability.binds` values reach consumed templates, bare and namespace-qualified, file keys relative to the capability', async () => {
    const { graph } = graphOf(
      `capability:
  binds:
    - namespace: cap-secrets
      location: "file:///./conf/keys.yaml"
      keys:
        CAP_TOKEN: cap-token
    - namespace: cap-env
      keys:
        CAP_REGION: REGION_VAR
${CONSUMES}`,
      { 'conf/keys.yaml': 'cap-token: cap-tok-123\n' },
    );
    expect(graph.binds.map((b) => [b.namespace, b.scope])).toEqual([['cap-secrets', 'capability'], ['cap-env', 'capability']]);
    const exec = await Executor.create(graph, { env: { REGION_VAR: 'eu' }, upstreams: { '*': `${server.url}/base` } });
    try {
      await exec.run(handlerOf(graph, 't'), { inputs: {} });
      const seen = server.seen.at(-1)!;
      expect(seen.url).toBe('/base/eu/items');
      expect(seen.headers.authorization).toBe('Bearer cap-tok-123');
      expect(seen.headers['x-token']).toBe('cap-tok-123');
    } finally {
      await exec.close();
    }
  });

  it('a bind `location` scheme other than `file:` (vault://) validates but fails start-up naming the bind and the scheme', async () => {
    const { graph } = graphOf(`binds:
  - namespace: vault-secrets
    location: "vault://secret/data/capstan"
    keys:
      CAP_TOKEN: token
      CAP_REGION: region
capability:
${CONSUMES.replace('{{cap-secrets.CAP_TOKEN}}', '{{vault-secrets.CAP_TOKEN}}').replace('{{cap-env.CAP_REGION}}', '{{CAP_REGION}}')}`);
    const err = (await Executor.create(graph, { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    )) as { name: string; namespace: string; message: string };
    expect(err).toMatchObject({ name: 'BindError', namespace: 'vault-secrets' });
    expect(err.message).toBe('bind `vault-secrets`: location scheme `vault:` is not supported (only `file:` and the environment)');
  });
});

describe('exposed authentication templates', () => {
  let upstream: Upstream;
  let served: Served;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const adapter = (ns: string, port: number, variable: string) => `    - type: rest
      namespace: ${ns}
      port: ${port}
      authentication:
        type: bearer
        token: "{{${variable}}}"
      resources:
        - path: /${ns}
          name: ${ns}
          operations:
            - method: GET
              name: ${ns}
              call: up.ping
`;
    served = await serveInProcess(
      [
        `naftiko: 1.0.0-alpha2
info:
  label: Inbound templates
  description: Exposed bearer tokens from a bind and from the environment
binds:
  - namespace: inbound
    keys:
      BOUND_TOKEN: BOUND_VAR
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://upstream.invalid"
      resources:
        - name: ping
          path: /ping
          operations:
            - name: ping
              method: GET
  exposes:
${adapter('from-bind', 8080, 'BOUND_TOKEN')}${adapter('from-env', 8081, 'PLAIN_TOKEN')}`,
      ],
      // BOUND_TOKEN is also an environment variable: the bind must win over it.
      { executor: { env: { BOUND_VAR: 'bind-value-1', BOUND_TOKEN: 'env-shadow-2', PLAIN_TOKEN: 'env-value-3' }, upstreams: { '*': upstream.url } } },
    );
  });

  afterAll(async () => {
    await served?.close();
    await upstream?.close();
  });

  const get = (path: string, token: string) => fetch(`${served.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('`{{VAR}}` in exposed authentication reads the bind first, then an environment variable named VAR', async () => {
    expect((await get('/from-bind', 'bind-value-1')).status).toBe(200);
    expect((await get('/from-bind', 'env-shadow-2')).status).toBe(401);
    expect((await get('/from-env', 'env-value-3')).status).toBe(200);
    expect((await get('/from-env', 'bind-value-1')).status).toBe(401);
  });
});
