/** Path injection attempts never reach another path or host; secrets never appear in errors; binds. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BindError, Executor } from '@capstan/runtime';
import type { CapabilityGraph } from '@capstan/spec';
import { sendBody, startUpstream, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

let server: Upstream;
let evil: Upstream;
let graph: CapabilityGraph;
let exec: Executor;

beforeAll(async () => {
  server = await startUpstream();
  evil = await startUpstream();
  graph = graphOf(
    capability({
      resources: `        - name: files
          path: "/files/{name}/meta"
          operations:
            - name: file-meta
              method: GET
        - name: items
          path: "/items/{{id}}"
          operations:
            - name: item-get
              method: GET
        - name: proxy
          path: "/proxy/{apiPath}"
          operations:
            - name: proxy-get
              method: GET
              inputParameters:
                - name: limit
                  in: query
`,
      tools: `        - name: meta
          description: d
          call: up.file-meta
        - name: item
          description: d
          call: up.item-get
        - name: proxy
          description: d
          call: up.proxy-get
`,
    }),
  ).graph;
  exec = await executorFor(graph, server);
});
afterAll(async () => {
  await exec.close();
  await server.close();
  await evil.close();
});

describe('path injection', () => {
  const MIDDLE = ['..', '.', '%2e%2e', '%2E%2e', '.%2e', '%252e%252e', 'a/b', 'a%2Fb', 'a%5Cb', '//evil.com', 'http://evil', 'http://127.0.0.1:1/x', 'a\\b', '..\\..', 'a\r\nb', 'a\nb', 'a\u0000b'];
  for (const value of MIDDLE) {
    it(`a middle placeholder refuses ${JSON.stringify(value)} without sending anything`, async () => {
      const before = server.seen.length;
      await expect(exec.run(handlerOf(graph, 'meta'), { inputs: { name: value } })).rejects.toMatchObject({ name: 'InputError', errors: [{ name: 'name' }] });
      expect(server.seen.length).toBe(before);
    });
  }

  it('a trailing placeholder that is not proxy-style (`{{id}}`) is one segment: it cannot reach a sub-route or add a query', async () => {
    const before = server.seen.length;
    await expect(exec.run(handlerOf(graph, 'item'), { inputs: { id: '1/admin?role=root' } })).rejects.toMatchObject({ name: 'InputError', errors: [{ name: 'id' }] });
    expect(server.seen.length).toBe(before);
    await exec.run(handlerOf(graph, 'item'), { inputs: { id: '1?role=root' } });
    expect(server.seen.at(-1)!.url).toBe('/base/items/1%3Frole%3Droot');
  });

  it('a middle placeholder value is one encoded segment', async () => {
    await exec.run(handlerOf(graph, 'meta'), { inputs: { name: 'report 2024?#&.txt' } });
    expect(server.seen.at(-1)!.url).toBe('/base/files/report%202024%3F%23%26.txt/meta');
  });

  const TRAILING = ['../admin', 'a/../../admin', 'a/./b', '%2e%2e/admin', 'a/%2E%2E/b', '//evil.com/x', 'http://127.0.0.1:1/x', 'https://evil/x', 'a%2fb', 'a\\..\\b', 'a//b', 'a/b\r\nHost: evil'];
  for (const value of TRAILING) {
    it(`a trailing placeholder refuses ${JSON.stringify(value)} without sending anything`, async () => {
      const before = server.seen.length;
      await expect(exec.run(handlerOf(graph, 'proxy'), { inputs: { apiPath: value } })).rejects.toMatchObject({ name: 'InputError', errors: [{ name: 'apiPath' }] });
      expect(server.seen.length).toBe(before);
    });
  }

  it('a trailing placeholder carries several segments and a query', async () => {
    await exec.run(handlerOf(graph, 'proxy'), { inputs: { apiPath: 'v3/contacts/a b?x=1&y=é', limit: 5 } });
    expect(server.seen.at(-1)!.url).toBe('/base/proxy/v3/contacts/a%20b?x=1&y=%C3%A9&limit=5');
    await exec.run(handlerOf(graph, 'proxy'), { inputs: { apiPath: '/v1/users/' } });
    expect(server.seen.at(-1)!.url).toBe('/base/proxy/v1/users/');
    await exec.run(handlerOf(graph, 'proxy'), { inputs: { apiPath: '@evil.com' } });
    expect(server.seen.at(-1)!.url).toBe('/base/proxy/%40evil.com');
  });

  it('the other server never saw a request', () => {
    expect(evil.seen.length).toBe(0);
    for (const s of server.seen) expect(s.url.startsWith('/base/')).toBe(true);
  });
});

describe('secrets', () => {
  const SECRET = 'SeCrEt-9f8e7d6c5b4a';

  it('a bind secret never appears in an error message', async () => {
    // The upstream echoes the credential inside a body that does not parse.
    const echo = await startUpstream((req, res) => sendBody(res, 200, `not json ${String(req.headers.authorization)} ${String(req.url)}`, 'application/json'));
    const { graph: g } = graphOf(
      capability({
        binds: `binds:
  - namespace: vault
    keys:
      TOKEN: SECRET_TOKEN
`,
        consumesExtra: `      authentication:
        type: bearer
        token: "{{TOKEN}}"
`,
        resources: `        - name: r
          path: "/r/{{vault.TOKEN}}/{id}"
          operations:
            - name: op
              method: GET
              inputParameters:
                - name: X-Key
                  in: header
                  value: "{{TOKEN}}"
`,
        tools: `        - name: t
          description: d
          call: up.op
          outputParameters:
            - type: string
              mapping: "$.a"
        - name: script
          description: d
          steps:
            - name: s
              type: script
              location: "file:///./scripts"
              file: leak.js
`,
      }),
      { 'scripts/leak.js': 'throw new Error("token is " + context.TOKEN_COPY);\n' },
    );
    const messages: string[] = [];
    const collect = async (p: Promise<unknown>) => {
      const err = (await p.then(() => new Error('no error'), (e: unknown) => e)) as Error;
      messages.push(`${err.name}: ${err.message}\n${err.stack ?? ''}`);
    };
    const env = { SECRET_TOKEN: SECRET };
    const live = await Executor.create(g, { env, upstreams: { up: `${echo.url}/base` } });
    try {
      expect(live.secrets).toEqual([SECRET]);
      await collect(live.run(handlerOf(g, 't'), { inputs: { id: 'x' } })); // bad-format with an echoed secret
      await collect(live.run(handlerOf(g, 't'), { inputs: { id: '..' } })); // input error
      await collect(live.run(handlerOf(g, 'script'), { inputs: { TOKEN_COPY: SECRET } })); // script error quoting it
      expect(echo.seen[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(echo.seen[0]!.headers['x-key']).toBe(SECRET);
      expect(live.redact(`a ${SECRET} b ${encodeURIComponent(SECRET)}`)).toBe('a *** b ***');
    } finally {
      await live.close();
      await echo.close();
    }
    const down = await Executor.create(g, { env, upstreams: { up: 'http://127.0.0.1:9/base' } });
    try {
      await collect(down.run(handlerOf(g, 't'), { inputs: { id: 'x' } })); // unavailable
    } finally {
      await down.close();
    }
    expect(messages.length).toBe(4);
    expect(messages[0]).toContain('not valid json');
    expect(messages[2]).toContain('token is ***');
    for (const m of messages) expect(m).not.toContain(SECRET);
    for (const m of messages) expect(m).not.toContain(SECRET.slice(0, 10));
  });
});

describe('binds', () => {
  const BINDS = `binds:
  - namespace: file-env
    location: "file:///./conf/secrets.yaml"
    keys:
      A_TOKEN: a-token
  - namespace: json-env
    location: "file:///./conf/more.json"
    keys:
      B_TOKEN: b
  - namespace: proc-env
    keys:
      C_TOKEN: C_VAR
`;
  const RESOURCES = `        - name: r
          path: "/b"
          operations:
            - name: op
              method: GET
              inputParameters:
                - name: X-All
                  in: header
                  value: "{{A_TOKEN}}/{{json-env.B_TOKEN}}/{{C_TOKEN}}"
`;
  const TOOLS = `        - name: t
          description: d
          call: up.op
`;

  it('reads file binds relative to the capability (YAML and JSON), env, and an env file', async () => {
    const { graph: g, dir } = graphOf(capability({ binds: BINDS, resources: RESOURCES, tools: TOOLS }), {
      'conf/secrets.yaml': 'a-token: alpha-123\n',
      'conf/more.json': '{"b": 42}',
    });
    writeFileSync(join(dir, '.env'), 'C_VAR=from-env-file\n');
    const e = await executorFor(g, server, { env: { C_VAR: 'from-env' }, envFile: join(dir, '.env') });
    try {
      await e.run(handlerOf(g, 't'), { inputs: {} });
      expect(server.seen.at(-1)!.headers['x-all']).toBe('alpha-123/42/from-env-file');
    } finally {
      await e.close();
    }
  });

  it('a missing variable or key fails with the variable and bind named, never a value', async () => {
    const { graph: g } = graphOf(capability({ binds: BINDS, resources: RESOURCES, tools: TOOLS }), {
      'conf/secrets.yaml': 'other: hush-hush-value\n',
      'conf/more.json': '{"b": "x"}',
    });
    const err = (await Executor.create(g, { env: { C_VAR: 'c' } }).then(
      () => undefined,
      (e: unknown) => e,
    )) as BindError;
    expect(err).toBeInstanceOf(BindError);
    expect(err.variable).toBe('A_TOKEN');
    expect(err.namespace).toBe('file-env');
    expect(err.message).toContain('A_TOKEN');
    expect(err.message).not.toContain('hush-hush-value');

    const { graph: g2 } = graphOf(capability({ binds: BINDS, resources: RESOURCES, tools: TOOLS }), {
      'conf/secrets.yaml': 'a-token: x\n',
      'conf/more.json': '{"b": "x"}',
    });
    await expect(Executor.create(g2, { env: {} })).rejects.toMatchObject({ name: 'BindError', variable: 'C_TOKEN', namespace: 'proc-env' });
  });

  it('a malformed key file is reported without quoting it', async () => {
    const { graph: g } = graphOf(capability({ binds: BINDS, resources: RESOURCES, tools: TOOLS }), {
      'conf/secrets.yaml': 'a-token: [unclosed hush-hush-value\n',
      'conf/more.json': '{"b": "x"}',
    });
    const err = (await Executor.create(g, { env: { C_VAR: 'c' } }).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('BindError');
    expect(err.message).toMatch(/secrets\.yaml is not valid YAML$/);
    expect(err.message).not.toContain('hush');
  });
});
