/**
 * The de-facto forms Capstan accepts (docs/conformance.md, rows D1-D9): each loads and runs,
 * is reported as a warning naming the official form, and becomes an error under `--strict`.
 * Codes: `DEFACTO_FORMS` of packages/spec/src/defacto.ts (`defacto-<code>`), and the compiler's
 * `defacto-with-prefix`, `defacto-implicit-input` and `input-case-mismatch`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, DEFACTO_FORMS, type CapabilityGraph, type Diagnostic, type Handler } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { tempSpec, tempSpecDir } from '../../helpers/tmp.js';
import { serveInProcess, type Served } from '../../rest/inprocess.js';

const BASE = `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Ships of the fleet
capability:
  consumes:
    - type: http
      namespace: registry
      baseUri: http://127.0.0.1:9/api
      resources:
        - name: ships
          path: /ships/{{imo}}
          operations:
            - name: get-ship
              method: GET
              inputParameters:
                - name: imo
                  in: path
  exposes:
    - type: rest
      namespace: fleet-rest
      port: 8080
      resources:
        - path: /ships/{imo}
          name: ships
          operations:
            - method: GET
              name: get-ship
              inputParameters:
                - name: imo
                  in: path
                  type: string
                  description: IMO number
              call: registry.get-ship
              with:
                imo: fleet-rest.imo
              outputParameters:
                - type: object
                  properties:
                    name:
                      type: string
                      mapping: $.name
    - type: mcp
      namespace: fleet-tools
      port: 3001
      tools:
        - name: get-ship
          description: Get a ship
          inputParameters:
            - name: imo
              type: string
              description: IMO number
          call: registry.get-ship
          with:
            imo: fleet-tools.imo
`;

/** BASE with one exact substring replaced (it must occur once). */
function variant(from: string, to: string): string {
  expect(BASE.split(from).length, `fixture has exactly one ${JSON.stringify(from)}`).toBe(2);
  return BASE.replace(from, to);
}

/** Checks a de-facto variant: one warning with `code` (its message naming the official form), a graph, and an error under strict. */
function expectDefacto(text: string, code: string, official: RegExp): { graph: CapabilityGraph; warning: Diagnostic } {
  const file = tempSpec(text);
  const lenient = checkSpec(file);
  expect(lenient.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual([`warning ${code}`]);
  const warning = lenient.diagnostics[0]!;
  expect(warning.message).toMatch(official);
  expect(lenient.graph).toBeDefined();
  const strict = checkSpec(file, { strict: true });
  expect(strict.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual([`error ${code}`]);
  expect(strict.graph).toBeUndefined();
  return { graph: lenient.graph!, warning };
}

const restHandler = (graph: CapabilityGraph): Handler => {
  const rest = graph.adapters.find((a) => a.type === 'rest');
  if (rest?.type !== 'rest') throw new Error('no rest adapter');
  return rest.resources[0]!.operations[0]!.handler;
};
const toolHandler = (graph: CapabilityGraph): Handler => {
  const mcp = graph.adapters.find((a) => a.type === 'mcp');
  if (mcp?.type !== 'mcp') throw new Error('no mcp adapter');
  return mcp.tools[0]!.handler;
};

let server: Upstream;
beforeAll(async () => {
  server = await startUpstream((req, res) => json(res, 200, { name: 'Northern Star', flag: 'NO', url: req.url }));
});
afterAll(async () => {
  await server.close();
});

async function run(graph: CapabilityGraph, handler: Handler, inputs: Record<string, unknown>): Promise<unknown> {
  const exec = await Executor.create(graph, { env: {}, upstreams: { '*': `${server.url}/api` } });
  try {
    const result = await exec.run(handler, { inputs });
    return result.kind === 'json' ? result.value : undefined;
  } finally {
    await exec.close();
  }
}

describe('de-facto forms', () => {
  it('the base fixture uses only official forms', () => {
    expect(checkSpec(tempSpec(BASE)).diagnostics).toEqual([]);
    expect(Object.keys(DEFACTO_FORMS).sort()).toEqual(['body-parts-map', 'body-type', 'capstan-credentials', 'consumed-auth-scheme', 'consumed-input-extras', 'expose-description', 'exposed-input-missing-description', 'info-missing-description', 'info-title', 'output-mapping-without-shape', 'rest-input-required', 'templated-base-uri']);
  });

  it('rest-input-required: `required` on a REST input is read and enforced', () => {
    const { graph } = expectDefacto(
      variant('                  type: string\n                  description: IMO number\n', '                  type: string\n                  required: true\n                  description: IMO number\n'),
      'defacto-rest-input-required',
      /`required` on REST input `imo` is a de-facto form/,
    );
    const rest = graph.adapters.find((a) => a.type === 'rest');
    expect(rest?.type === 'rest' && rest.resources[0]!.operations[0]!.inputParameters[0]!.required).toBe(true);
  });

  it('expose-description: a `description` on a rest adapter', () => {
    expectDefacto(variant('      namespace: fleet-rest\n', '      namespace: fleet-rest\n      description: The fleet over REST\n'), 'defacto-expose-description', /allows it only on `mcp` and `skill` adapters/);
  });

  it('output-mapping-without-shape: `type: object` + `mapping: $.` without `properties` passes the node through whole', async () => {
    const { graph } = expectDefacto(
      variant('                - type: object\n                  properties:\n                    name:\n                      type: string\n                      mapping: $.name\n', '                - type: object\n                  mapping: $.\n'),
      'defacto-output-mapping-without-shape',
      /`type: object` output with a `mapping` and no `properties` is a de-facto form/,
    );
    expect(await run(graph, restHandler(graph), { imo: 'IMO-1' })).toEqual({ name: 'Northern Star', flag: 'NO', url: '/api/ships/IMO-1' });
  });

  it('consumed-input-extras: `type`, `required` or `description` on a consumed input parameter', () => {
    expectDefacto(variant('                  in: path\n  exposes:', '                  in: path\n                  required: true\n  exposes:'), 'defacto-consumed-input-extras', /the official schema allows only `name`, `in` and `value` here/);
  });

  it('info-title: `info.title` instead of `info.label` (used as the label)', () => {
    const { graph } = expectDefacto(variant('  label: Fleet\n', '  title: Fleet\n'), 'defacto-info-title', /the official key is `info.label`/);
    expect(graph.info.label).toBe('Fleet');
  });

  it('info-missing-description: `info` without `description`', () => {
    expectDefacto(variant('  description: Ships of the fleet\n', ''), 'defacto-info-missing-description', /which the official schema requires/);
  });

  it('exposed-input-missing-description: a tool input parameter without `description`', () => {
    expectDefacto(variant('\n              description: IMO number\n          call', '\n          call'), 'defacto-exposed-input-missing-description', /input parameter `imo` has no `description`, which the official schema requires/);
  });

  it('defacto-with-prefix: `tools.x` in an MCP `with` means the caller input `x`', async () => {
    const { graph, warning } = expectDefacto(variant('            imo: fleet-tools.imo\n', '            imo: tools.imo\n'), 'defacto-with-prefix', /the official reference to a caller input is `fleet-tools.imo`/);
    expect(warning.fix).toBe('write `fleet-tools.imo`');
    await run(graph, toolHandler(graph), { imo: 'IMO-7' });
    expect(server.seen.at(-1)!.url).toBe('/api/ships/IMO-7');
  });

  describe('REST operations that declare no inputs', () => {
    const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Projects
  description: Path placeholders spelled with another case, inputs implied by with
capability:
  consumes:
    - type: http
      namespace: paragon
      baseUri: http://127.0.0.1:9/api
      resources:
        - name: items
          path: /projects/{{projectId}}/items
          operations:
            - name: list-items
              method: GET
              inputParameters:
                - name: status
                  in: query
  exposes:
    - type: rest
      namespace: paragon-rest
      port: 8080
      resources:
        - path: /v1/{projectid}/items
          name: items
          operations:
            - method: GET
              name: list-items
              call: paragon.list-items
              with:
                projectId: paragon-rest.projectId
                status: paragon-rest.status
`;
    let served: Served;
    let diagnostics: Diagnostic[];

    beforeAll(async () => {
      const dir = tempSpecDir({ 'cap.yaml': SPEC });
      diagnostics = checkSpec(join(dir, 'cap.yaml')).diagnostics;
      served = await serveInProcess([SPEC], { executor: { upstreams: { '*': `${server.url}/api` } } });
    });
    afterAll(async () => {
      await served?.close();
    });

    it('input-case-mismatch: `/v1/{projectid}` with `paragon-rest.projectId` binds case-insensitively, with a warning', async () => {
      expect(diagnostics.filter((d) => d.code === 'input-case-mismatch')).toMatchObject([
        { severity: 'warning', line: 31, message: '`paragon-rest.projectId` refers to input `projectid`, spelled with different case or separators; Capstan binds it to that input' },
      ]);
      const res = await fetch(`${served.url}/v1/p-42/items`);
      expect(res.status).toBe(200);
      expect(server.seen.at(-1)!.url).toBe('/api/projects/p-42/items');
    });

    it('defacto-implicit-input: a `with` reference to an undeclared input is read from the request like the consumed parameter it feeds', async () => {
      expect(diagnostics.filter((d) => d.code === 'defacto-implicit-input')).toMatchObject([
        { severity: 'warning', line: 32, message: '`paragon-rest.status` refers to `status`, which this operation does not declare; Capstan reads it from the request query parameter `status`' },
      ]);
      expect(diagnostics.map((d) => `${d.severity} ${d.code}`).sort()).toEqual(['warning defacto-implicit-input', 'warning input-case-mismatch']);
      const res = await fetch(`${served.url}/v1/p-42/items?status=open`);
      expect(res.status).toBe(200);
      expect(server.seen.at(-1)!.url).toBe('/api/projects/p-42/items?status=open');
      const strict = checkSpec(join(tempSpecDir({ 'cap.yaml': SPEC }), 'cap.yaml'), { strict: true });
      expect(strict.graph).toBeUndefined();
      expect(strict.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    });
  });
});
