/** Request building: parameter locations, `with`, templates and binds, as the upstream sees them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

let server: Upstream;
beforeAll(async () => {
  server = await startUpstream();
});
afterAll(async () => {
  await server.close();
});

const RESOURCES = `        - name: items
          path: "/items/{{id}}/parts/{part}"
          inputParameters:
            - name: X-Resource
              in: header
              value: "res-level"
            - name: X-Override
              in: header
              value: "resource"
          operations:
            - name: get-item
              method: GET
              inputParameters:
                - name: tags
                  in: query
                - name: q
                  in: query
                - name: X-Trace
                  in: header
                - name: X-Override
                  in: header
                  value: "operation"
                - name: session
                  in: cookie
                - name: theme
                  in: cookie
                  value: "dark mode"
                - name: HOME_DIR
                  in: environment
                - name: X-Home
                  in: header
                  value: "{{HOME_DIR}}"
                - name: X-Token
                  in: header
                  value: "{{API_TOKEN}}|{{secrets.API_TOKEN}}|{{PRECEDENCE}}"
`;

const TOOLS = `        - name: get
          description: d
          call: up.get-item
          with:
            id: tools.itemId
            part: "p-{{suffix}}"
            q: 42
`;

describe('parameter placement', () => {
  it('sends every location exactly', async () => {
    const { graph } = graphOf(
      capability({
        binds: `binds:
  - namespace: secrets
    keys:
      API_TOKEN: MY_TOKEN
      PRECEDENCE: PRECEDENCE_VAR
`,
        resources: RESOURCES,
        tools: TOOLS,
        consumesExtra: `      inputParameters:
        - name: X-Adapter
          in: header
          value: "adapter-{{suffix}}"
        - name: X-Override
          in: header
          value: "adapter"
`,
      }),
    );
    const exec = await executorFor(graph, server, { env: { MY_TOKEN: 'tok-123', PRECEDENCE_VAR: 'from-bind', HOME_DIR: '/home/capstan' } });
    try {
      await exec.run(handlerOf(graph, 'get'), {
        inputs: { itemId: 'a b&c', suffix: 'x', tags: ['red', 'blue green'], 'X-Trace': 't-1', session: 's;1', PRECEDENCE: 'from-request' },
        requestId: 'req-42',
      });
      const seen = server.seen.at(-1)!;
      expect(seen.method).toBe('GET');
      expect(seen.url).toBe('/base/items/a%20b%26c/parts/p-x?tags=red&tags=blue+green&q=42');
      expect(seen.headers['x-trace']).toBe('t-1');
      expect(seen.headers['x-adapter']).toBe('adapter-x');
      expect(seen.headers['x-resource']).toBe('res-level');
      expect(seen.headers['x-override']).toBe('operation');
      expect(seen.headers.cookie).toBe('session=s%3B1; theme=dark%20mode');
      expect(seen.headers['x-home']).toBe('/home/capstan');
      // Binds: bare and namespaced; a request parameter wins over a bind of the same name.
      expect(seen.headers['x-token']).toBe('tok-123|tok-123|from-request');
      expect(seen.headers['x-request-id']).toBe('req-42');
      expect(seen.body.length).toBe(0);
    } finally {
      await exec.close();
    }
  });

  it('substitutes {name} and {{name}} and keeps the bind below step and request values', async () => {
    const { graph } = graphOf(
      capability({
        binds: `binds:
  - namespace: cfg
    keys:
      REGION: REGION_VAR
`,
        resources: `        - name: r
          path: "/{{REGION}}/v1/{kind}"
          operations:
            - name: op
              method: DELETE
`,
        tools: `        - name: t
          description: d
          call: up.op
`,
      }),
    );
    const exec = await executorFor(graph, server, { env: { REGION_VAR: 'eu' } });
    try {
      await exec.run(handlerOf(graph, 't'), { inputs: { kind: 'ships' } });
      expect(server.seen.at(-1)!.url).toBe('/base/eu/v1/ships');
      expect(server.seen.at(-1)!.method).toBe('DELETE');
      await exec.run(handlerOf(graph, 't'), { inputs: { kind: 'boats', REGION: 'us' } });
      expect(server.seen.at(-1)!.url).toBe('/base/us/v1/boats');
    } finally {
      await exec.close();
    }
  });

  it('renders a missing placeholder as empty (engine) and keeps typed `with` inputs', async () => {
    const { graph } = graphOf(
      capability({
        resources: `        - name: r
          path: "/ships/{{imo}}"
          operations:
            - name: op
              method: GET
              inputParameters:
                - name: ids
                  in: query
                - name: flag
                  in: query
`,
        tools: `        - name: t
          description: d
          call: up.op
          with:
            ids: tools.list
            flag: 7
`,
      }),
    );
    const exec = await executorFor(graph, server);
    try {
      await exec.run(handlerOf(graph, 't'), { inputs: { list: [1, 2, 3] } });
      expect(server.seen.at(-1)!.url).toBe('/base/ships/?ids=1&ids=2&ids=3&flag=7');
      // An input the caller did not send leaves the key untouched.
      await exec.run(handlerOf(graph, 't'), { inputs: { imo: 'IMO-1' } });
      expect(server.seen.at(-1)!.url).toBe('/base/ships/IMO-1?flag=7');
    } finally {
      await exec.close();
    }
  });

  it('refuses CR/LF in header values before sending anything', async () => {
    const { graph } = graphOf(
      capability({
        resources: `        - name: r
          path: "/x"
          operations:
            - name: op
              method: GET
              inputParameters:
                - name: X-Name
                  in: header
`,
        tools: `        - name: t
          description: d
          call: up.op
`,
      }),
    );
    const exec = await executorFor(graph, server);
    const before = server.seen.length;
    try {
      await expect(exec.run(handlerOf(graph, 't'), { inputs: { 'X-Name': 'a\r\nX-Evil: 1' } })).rejects.toMatchObject({ name: 'InputError', errors: [{ name: 'X-Name' }] });
      expect(server.seen.length).toBe(before);
    } finally {
      await exec.close();
    }
  });
});
