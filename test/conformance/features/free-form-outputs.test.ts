/**
 * Conformance row A66 of docs/conformance.md: an object output whose `properties` is empty reads
 * like one without `properties` (the mapped node passes whole), and an array's `items` of
 * `{type: object, properties: {}}` like no `items` (each element passes as found). The official
 * schema requires `properties`/`items` with no minimum, so this is the official way to say
 * "fields undeclared"; the answers, the MCP output schema and the OpenAPI document are those of
 * the de-facto form without them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapabilityGraph } from '@capstan/spec';
import { toolDefinitions } from '@capstan/mcp';
import { json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from '../../executor/helpers.js';

const ANSWER = { data: { id: 7, tags: ['a', 'b'], nested: { deep: true } }, list: ['x', 3, { k: 'v' }, null], headers: { 'x-a': '1' } };

let server: Upstream;
beforeAll(async () => {
  server = await startUpstream((_req, res) => json(res, 200, ANSWER));
});
afterAll(async () => {
  await server.close();
});

/** One tool whose outputs are `outputs` (YAML indented 12). */
const withOutputs = (outputs: string): CapabilityGraph =>
  graphOf(
    capability({
      resources: `        - name: thing
          path: /thing
          operations:
            - name: get-thing
              method: GET
`,
      tools: `        - name: thing
          description: d
          call: up.get-thing
          outputParameters:
${outputs}`,
    }),
  ).graph;

async function answer(graph: CapabilityGraph): Promise<unknown> {
  const exec = await executorFor(graph, server);
  try {
    const result = await exec.run(handlerOf(graph, 'thing'), { inputs: {} });
    return (result as { value?: unknown }).value;
  } finally {
    await exec.close();
  }
}

const served = (graph: CapabilityGraph) => graph.adapters.flatMap((a) => (a.type === 'mcp' ? toolDefinitions(a, 'mcp') : []));

const defacto = `            - type: object
              properties:
                data:
                  type: object
                  mapping: $.data
                list:
                  type: array
                  mapping: $.list
                headers:
                  type: object
                  mapping: $.headers
`;
const official = `            - type: object
              properties:
                data:
                  type: object
                  mapping: $.data
                  properties: {}
                list:
                  type: array
                  mapping: $.list
                  items: { type: object, properties: {} }
                headers:
                  type: object
                  mapping: $.headers
                  properties: {}
`;

describe('free-form outputs (`properties: {}`)', () => {
  it('an empty `properties` passes the mapped node whole and a bare object `items` each element as found, like the forms without them', async () => {
    const before = withOutputs(defacto);
    const after = withOutputs(official);
    const expected = { data: ANSWER.data, list: ANSWER.list, headers: ANSWER.headers };
    expect(await answer(before)).toEqual(expected);
    expect(await answer(after)).toEqual(expected);
    expect(served(after)).toEqual(served(before));
  });

  it('a top-level `type: object` with a mapping and `properties: {}` answers the node whole (not `{}`)', async () => {
    expect(await answer(withOutputs(`            - type: object\n              mapping: $.data\n              properties: {}\n`))).toEqual(ANSWER.data);
  });

  it('a nested empty object without a mapping reads like one without `properties`: null, as the reference engine', async () => {
    expect(await answer(withOutputs(`            - type: object\n              properties:\n                id:\n                  type: number\n                  mapping: $.data.id\n                meta:\n                  type: object\n                  properties: {}\n`))).toEqual({ id: 7, meta: null });
  });

  it('declared properties still shape the node (only an empty map reads as none)', async () => {
    expect(await answer(withOutputs(`            - type: object\n              mapping: $.data\n              properties:\n                id:\n                  type: string\n                  mapping: $.data.id\n`))).toEqual({ id: '7' });
  });
});
