/** Output mapping forms, in simple mode, against a fixed upstream answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '@capstan/runtime';
import type { CapabilityGraph, OutputParam } from '@capstan/spec';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

const ANSWER = {
  ship: { imo: 'IMO-1', name: 'Alpha', year: '1999', active: 'true', dims: { length: 300 } },
  crew: [
    { id: 'C1', name: 'Ana', age: '40' },
    { id: 'C2', name: 'Bo', age: 'x' },
  ],
  single: { id: 'S1' },
  tags: ['a', 'b'],
  byCode: { x: { label: 'X!' }, y: { label: 'Y!' } },
  long: 'abcdefghij',
};

const TOOLS: Record<string, string> = {
  scalar: `            - type: string
              mapping: "$.ship.name"`,
  coerce: `            - type: object
              properties:
                year:
                  type: number
                  mapping: "$.ship.year"
                active:
                  type: boolean
                  mapping: "$.ship.active"
                length:
                  type: string
                  mapping: "$.ship.dims.length"
                notANumber:
                  type: number
                  mapping: "$.crew[0].id"`,
  nested: `            - type: object
              properties:
                imo:
                  type: string
                  mapping: "$.ship.imo"
                specs:
                  type: object
                  properties:
                    length:
                      type: number
                      mapping: "$.ship.dims.length"
                    missing:
                      type: string
                      mapping: "$.ship.nope"`,
  items: `            - type: array
              mapping: "$.crew"
              items:
                type: object
                properties:
                  id:
                    type: string
                    mapping: "$.id"
                  age:
                    type: number
                    mapping: "$.age"`,
  'items-scalar': `            - type: array
              mapping: "$.crew"
              items:
                type: string
                mapping: "$.name"`,
  'items-jsonpath': `            - type: array
              mapping: "$.crew[?(@.age=='40')].name"
              items:
                type: string
                mapping: "$"`,
  wrap: `            - type: array
              mapping: "$.single"
              items:
                type: object
                properties:
                  id:
                    type: string
                    mapping: "$.id"`,
  'passthrough-object': `            - type: object
              mapping: "$.ship"`,
  'passthrough-root': `            - type: object
              mapping: "$"`,
  'static-value': `            - type: string
              value: "Hello {{who}} ({{ship-count}})"`,
  'nothing-resolves': `            - type: string
              mapping: "$.nope"`,
};

let server: Upstream;
let graph: CapabilityGraph;
let exec: Executor;

beforeAll(async () => {
  server = await startUpstream((req, res) => {
    if (req.url.endsWith('/fail')) json(res, 404, { error: 'no such ship' });
    else json(res, 200, ANSWER);
  });
  const tools = Object.entries(TOOLS)
    .map(([name, outputs]) => `        - name: ${name}\n          description: d\n          call: up.get\n          outputParameters:\n${outputs}\n`)
    .join('');
  graph = graphOf(
    capability({
      resources: `        - name: r
          path: "/ship"
          operations:
            - name: get
              method: GET
        - name: f
          path: "/fail"
          operations:
            - name: fail
              method: GET
`,
      tools: `${tools}        - name: no-outputs
          description: d
          call: up.get
        - name: failing
          description: d
          call: up.fail
          outputParameters:
            - type: string
              mapping: "$.ship.name"
`,
    }),
  ).graph;
  exec = await executorFor(graph, server);
});
afterAll(async () => {
  await exec.close();
  await server.close();
});

async function mapped(tool: string, inputs: Record<string, unknown> = {}): Promise<unknown> {
  const result = await exec.run(handlerOf(graph, tool), { inputs });
  expect(result.kind).toBe('json');
  expect(result.status).toBe(200);
  return result.kind === 'json' ? result.value : undefined;
}

async function custom(outputs: OutputParam[]): Promise<unknown> {
  const operation = graph.consumes.get('up')!.operations.get('get')!;
  const result = await exec.run({ kind: 'call', operation, with: {}, outputs }, { inputs: {} });
  expect(result.kind).toBe('json');
  return result.kind === 'json' ? result.value : undefined;
}

describe('mapped outputs', () => {
  it('scalar mapping', async () => {
    expect(await mapped('scalar')).toBe('Alpha');
  });

  it('declared scalar types are coerced where lossless, otherwise kept', async () => {
    expect(await mapped('coerce')).toEqual({ year: 1999, active: true, length: '300', notANumber: 'C1' });
  });

  it('nested properties without mapping recurse on the same root; missing → null', async () => {
    expect(await mapped('nested')).toEqual({ imo: 'IMO-1', specs: { length: 300, missing: null } });
  });

  it('array items with properties, $ being the element', async () => {
    expect(await mapped('items')).toEqual([
      { id: 'C1', age: 40 },
      { id: 'C2', age: 'x' },
    ]);
  });

  it('array items with a scalar mapping, and a filter expression', async () => {
    expect(await mapped('items-scalar')).toEqual(['Ana', 'Bo']);
    expect(await mapped('items-jsonpath')).toEqual(['Ana']);
  });

  it('a type: array mapping that finds one object gives a one-element array', async () => {
    expect(await mapped('wrap')).toEqual([{ id: 'S1' }]);
  });

  it('de-facto object + mapping without properties passes the node through ($ and $.)', async () => {
    expect(await mapped('passthrough-object')).toEqual(ANSWER.ship);
    expect(await mapped('passthrough-root')).toEqual(ANSWER);
  });

  // `values`, `maxLength` and named simple outputs are engine extras the schema does not list:
  // the graph carries them, so these run hand-built handlers on the compiled operation.
  it('values maps every entry of an object', async () => {
    expect(await custom([{ type: 'object', mapping: '$.byCode', values: { type: 'string', mapping: '$.label' } }])).toEqual({ x: 'X!', y: 'Y!' });
  });

  it('maxLength truncates', async () => {
    expect(await custom([{ type: 'string', mapping: '$.long', maxLength: 4 }])).toBe('abcd');
  });

  it('integer coercion only for whole numbers', async () => {
    expect(await custom([{ name: 'a', type: 'integer', mapping: '$.ship.year' }, { name: 'b', type: 'integer', mapping: '$.ship.dims.length' }, { name: 'c', type: 'integer', value: '1.5' }])).toEqual({ a: 1999, b: 300, c: '1.5' });
  });

  it('a Mustache value renders against the inputs (missing → "")', async () => {
    expect(await mapped('static-value', { who: 'Ana', 'ship-count': 3 })).toBe('Hello Ana (3)');
    expect(await mapped('static-value', {})).toBe('Hello  ()');
  });

  it('several named outputs give an object keyed by name (missing → null)', async () => {
    expect(
      await custom([
        { name: 'shipName', type: 'string', mapping: '$.ship.name' },
        { name: 'crewCount', type: 'number', mapping: '$.crew.length()' },
        { name: 'nothing', type: 'string', mapping: '$.nope' },
      ]),
    ).toEqual({ shipName: 'Alpha', crewCount: 2, nothing: null });
  });

  it('an output that resolves nothing passes the upstream answer through', async () => {
    const result = await exec.run(handlerOf(graph, 'nothing-resolves'), { inputs: {} });
    expect(result.kind).toBe('raw');
    expect(result.kind === 'raw' && JSON.parse(result.body.toString())).toEqual(ANSWER);
  });

  it('no outputs: raw body and content type pass through', async () => {
    const result = await exec.run(handlerOf(graph, 'no-outputs'), { inputs: {} });
    expect(result).toMatchObject({ kind: 'raw', status: 200, contentType: 'application/json', upstream: { namespace: 'up', operation: 'get' } });
    expect(result.kind === 'raw' && result.body.toString()).toBe(JSON.stringify(ANSWER));
  });

  it('an upstream error status passes through with the upstream body, unmapped', async () => {
    const result = await exec.run(handlerOf(graph, 'failing'), { inputs: {} });
    expect(result).toMatchObject({ kind: 'raw', status: 404, contentType: 'application/json' });
    expect(result.kind === 'raw' && result.body.toString()).toBe('{"error":"no such ship"}');
  });
});
