/**
 * API keys in every spelling real capability files use (../shared/corpus): `in`/`name`/`value`,
 * `apiKey` with `token`, `header` with `header`/`value`, Appwrite's `header` + `key`, `query`
 * with a `parameters` list, and `headers:` maps or lists of several credentials. Each loads with
 * a de-facto warning (never an error) and sends exactly the credentials it declares.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { tempSpec } from '../helpers/tmp.js';
import { startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

let server: Upstream | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const RESOURCES = `        - name: r
          path: "/secure"
          operations:
            - name: op
              method: GET
`;
const TOOLS = `        - name: t
          description: d
          call: up.op
`;
const BINDS = `binds:
  - namespace: env
    keys:
      TOKEN: TOKEN_VAR
      SECOND: SECOND_VAR
`;
const ENV = { TOKEN_VAR: 'tok en&1', SECOND_VAR: 's2' };
const spec = (auth: string) => capability({ binds: BINDS, resources: RESOURCES, tools: TOOLS, consumesExtra: `      authentication:\n${auth}` });

const CASES: Array<[string, string, (s: Seen) => void]> = [
  ['apikey with in/name/value (Helicone)', '        type: apikey\n        in: header\n        name: Authorization\n        value: "Bearer {{TOKEN}}"\n', (s) => expect(s.headers.authorization).toBe('Bearer tok en&1')],
  ['apiKey with in: query and token (Email Verifier)', '        type: apiKey\n        in: query\n        name: apiKey\n        token: "{{TOKEN}}"\n', (s) => expect(s.url).toBe('/base/secure?apiKey=tok+en%261')],
  ['header with header/value (Rackspace)', '        type: header\n        header: X-Auth-Token\n        value: "{{env.TOKEN}}"\n', (s) => expect(s.headers['x-auth-token']).toBe('tok en&1')],
  ['apikey with header + key (Appwrite)', '        type: apikey\n        header: X-Appwrite-Project\n        key: "{{TOKEN}}"\n', (s) => expect(s.headers['x-appwrite-project']).toBe('tok en&1')],
  [
    'query with a parameters list (Xweather)',
    '        type: query\n        parameters:\n          - name: client_id\n            value: "{{TOKEN}}"\n          - name: client_secret\n            value: "{{SECOND}}"\n',
    (s) => expect(s.url).toBe('/base/secure?client_id=tok+en%261&client_secret=s2'),
  ],
  ['a headers map of several credentials', '        type: apikey\n        headers:\n          X-Key-Id: "{{TOKEN}}"\n          X-Key-Secret: "{{SECOND}}"\n', (s) => expect([s.headers['x-key-id'], s.headers['x-key-secret']]).toEqual(['tok en&1', 's2'])],
  ['apikey in a cookie, beside a cookie parameter (WordPress)', '        type: apikey\n        in: cookie\n        name: wordpress_logged_in\n        value: "{{TOKEN}}"\n', (s) => expect(s.headers.cookie).toBe('wordpress_logged_in=tok%20en%261')],
  ['a headers list', '        type: headers\n        headers:\n          - name: X-One\n            value: "{{TOKEN}}"\n          - name: X-Two\n            value: two\n', (s) => expect([s.headers['x-one'], s.headers['x-two']]).toEqual(['tok en&1', 'two'])],
];

describe('API key spellings', () => {
  for (const [label, auth, check] of CASES) {
    it(label, async () => {
      const result = checkSpec(tempSpec(`naftiko: "1.0.0-alpha2"\ninfo:\n  label: T\n  description: d\n${spec(auth)}`));
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.diagnostics.map((d) => d.code)).toContain('defacto-consumed-auth-scheme');
      server = await startUpstream();
      const { graph } = graphOf(spec(auth));
      const exec = await executorFor(graph, server, { env: ENV });
      try {
        await exec.run(handlerOf(graph, 't'), { inputs: {} });
      } finally {
        await exec.close();
      }
      check(server.seen[0]!);
    });
  }

  it('an API key that names no credential is a load warning and a configuration error at call time, never an unauthenticated call', async () => {
    server = await startUpstream();
    const { graph } = graphOf(spec('        type: apiKey\n        in: header\n'));
    const exec = await executorFor(graph, server, { env: ENV });
    try {
      await expect(exec.run(handlerOf(graph, 't'), { inputs: {} })).rejects.toMatchObject({ kind: 'configuration', namespace: 'up' });
    } finally {
      await exec.close();
    }
    expect(server.seen).toHaveLength(0);
  });
});
