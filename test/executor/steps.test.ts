/** Orchestration (call, lookup, script steps and mappings), mock mode and aggregate refs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '@capstan/runtime';
import type { CapabilityGraph } from '@capstan/spec';
import { json, sendBody, startUpstream, type Upstream } from '../helpers/upstream.js';
import { executorFor, graphOf, handlerOf } from './helpers.js';

const SHIPS = [
  { imo_number: 'IMO-1', vessel_name: 'Alpha', crew: ['C1', 'C3'] },
  { imo_number: 'IMO-2', vessel_name: 'Beta', crew: [] },
];
const CREW = [
  { crewId: 'C1', fullName: 'Ana', role: 'Captain', age: 40 },
  { crewId: 'C2', fullName: 'Bo', role: 'Cook' },
  { crewId: 'C3', fullName: 'Cy', role: 'Engineer' },
];

const CAPABILITY = `capability:
  consumes:
    - namespace: registry
      type: http
      baseUri: "http://registry.invalid/base"
      resources:
        - name: ships
          path: "/ships"
          operations:
            - name: list-ships
              method: GET
              outputParameters:
                - name: imo-number
                  type: string
                  value: "$.imo_number"
        - name: ship
          path: "/ships/{{imo}}"
          operations:
            - name: get-ship
              method: GET
        - name: crew
          path: "/crew"
          operations:
            - name: list-crew
              method: GET
              inputParameters:
                - name: ship
                  in: query
        - name: legacy
          path: "/legacy"
          operations:
            - name: legacy-vessels
              method: GET
              outputRawFormat: xml
  exposes:
    - type: control
      port: 9090
      management:
        scripting:
          timeout: 300
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        - name: ship-with-crew
          description: d
          steps:
            - name: get-ship
              type: call
              call: registry.get-ship
              with:
                imo: "{{shipId}}"
            - name: list-crew
              type: call
              call: registry.list-crew
              with:
                ship: "{{get-ship.vessel_name}}"
            - name: resolve-crew
              type: lookup
              index: list-crew
              match: crewId
              lookupValue: "$.get-ship.crew"
              outputParameters:
                - fullName
                - role
            - name: captain
              type: lookup
              index: list-crew
              match: crewId
              lookupValue: "C1"
              outputParameters:
                - fullName
                - age
                - missing
            - name: list-ships
              type: call
              call: registry.list-ships
            - name: by-imo
              type: lookup
              index: list-ships
              match: imo-number
              lookupValue: "{{shipId}}"
              outputParameters:
                - vessel_name
          mappings:
            - targetName: imo
              value: "$.get-ship.imo_number"
            - targetName: ship.name
              value: "$.get-ship.vessel_name"
            - targetName: ship.viaLookup
              value: "$.by-imo.vessel_name"
            - targetName: crew
              value: "$.resolve-crew"
            - targetName: captain
              value: "$.captain"
            - targetName: firstCrewName
              value: "$.list-crew[0].fullName"
            - targetName: cooks
              value: "$.list-crew[?(@.role=='Cook')].fullName"
            - targetName: never
              value: "$.get-ship.nope"
          outputParameters:
            - name: imo
              type: string
        - name: last-call
          description: d
          steps:
            - name: legacy
              type: call
              call: registry.legacy-vessels
          mappings:
            - targetName: code
              value: "$.legacy.vessel.code"
        - name: raw-last
          description: d
          steps:
            - name: legacy
              type: call
              call: registry.legacy-vessels
        - name: scripted
          description: d
          steps:
            - name: list-crew
              type: call
              call: registry.list-crew
            - name: score
              type: script
              language: javascript
              location: "file:///./scripts"
              file: score.js
              dependencies:
                - helpers.js
              with:
                factor: "{{multiplier}}"
          mappings:
            - targetName: result
              value: "$.score"
        - name: sandbox
          description: d
          steps:
            - name: probe
              type: script
              location: "file:///./scripts"
              file: probe.js
          mappings:
            - targetName: globals
              value: "$.probe"
        - name: escape-require
          description: d
          steps:
            - name: evil
              type: script
              location: "file:///./scripts"
              file: require.js
        - name: endless
          description: d
          steps:
            - name: loop
              type: script
              location: "file:///./scripts"
              file: loop.js
        - name: python
          description: d
          steps:
            - name: py
              type: script
              language: python
              location: "file:///./scripts"
              file: x.py
        - name: mock
          description: d
          outputParameters:
            - name: greeting
              type: string
              value: "Hello {{name}}"
            - name: count
              type: number
              value: "42"
        - name: mock-empty
          description: d
          outputParameters:
            - name: nothing
              type: string
              value: "{{absent}}"
        - name: via-ref
          description: d
          ref: fleet.crew-of
          with:
            shipName: tools.name
  aggregates:
    - label: Fleet
      namespace: fleet
      functions:
        - name: crew-of
          description: d
          call: registry.list-crew
          with:
            ship: "{{shipName}}-ref"
          outputParameters:
            - type: array
              mapping: "$[*].fullName"
              items:
                type: string
                mapping: "$"
`;

const SCRIPTS = {
  'scripts/helpers.js': 'function double(x) { return x * 2; }\n',
  'scripts/score.js': 'var crew = context["list-crew"];\nlet result = { total: double(crew.length) * Number(context.factor), names: crew.map(function (c) { return c.fullName; }) };\n',
  'scripts/probe.js': 'result = { require: typeof require, process: typeof process, fetch: typeof fetch, globalProcess: typeof globalThis.process, contextKeys: Object.keys(context).sort() };\n',
  'scripts/require.js': 'var fs = require("fs"); result = fs.readFileSync("/etc/passwd", "utf8");\n',
  'scripts/loop.js': 'while (true) {}\n',
  'scripts/x.py': 'result = 1\n',
};

let server: Upstream;
let graph: CapabilityGraph;
let exec: Executor;

beforeAll(async () => {
  server = await startUpstream((req, res) => {
    const path = req.url.split('?')[0]!;
    if (path === '/base/ships') return json(res, 200, SHIPS);
    if (path.startsWith('/base/ships/')) return json(res, 200, SHIPS.find((s) => s.imo_number === decodeURIComponent(path.slice('/base/ships/'.length))) ?? {});
    if (path === '/base/crew') return json(res, 200, CREW);
    if (path === '/base/legacy') return sendBody(res, 200, '<vessels><vessel code="V1"/></vessels>', 'application/xml');
    res.statusCode = 404;
    res.end();
  });
  graph = graphOf(CAPABILITY, SCRIPTS).graph;
  exec = await executorFor(graph, server);
});
afterAll(async () => {
  await exec.close();
  await server.close();
});

describe('orchestration', () => {
  it('runs call and lookup steps and builds the mapped object', async () => {
    const result = await exec.run(handlerOf(graph, 'ship-with-crew'), { inputs: { shipId: 'IMO-1' } });
    expect(result).toEqual({
      kind: 'json',
      status: 200,
      value: {
        imo: 'IMO-1',
        ship: { name: 'Alpha', viaLookup: 'Alpha' },
        crew: [
          { fullName: 'Ana', role: 'Captain' },
          { fullName: 'Cy', role: 'Engineer' },
        ],
        captain: { fullName: 'Ana', age: 40, missing: null },
        firstCrewName: 'Ana',
        cooks: ['Bo'],
      },
    });
    // `{{get-ship.vessel_name}}` reached the second call.
    expect(server.seen.map((s) => s.url)).toEqual(['/base/ships/IMO-1', '/base/crew?ship=Alpha', '/base/ships']);
  });

  it('step outputs are converted from their format (XML here)', async () => {
    const result = await exec.run(handlerOf(graph, 'last-call'), { inputs: {} });
    expect(result).toEqual({ kind: 'json', status: 200, value: { code: 'V1' } });
  });

  it('without mappings, the last call answers: raw without outputs, mapped in simple mode with them', async () => {
    const handler = handlerOf(graph, 'raw-last');
    const raw = await exec.run(handler, { inputs: {} });
    expect(raw).toMatchObject({ kind: 'raw', status: 200, contentType: 'application/xml', upstream: { namespace: 'registry', operation: 'legacy-vessels' } });
    expect(raw.kind === 'raw' && raw.body.toString()).toBe('<vessels><vessel code="V1"/></vessels>');
    if (handler.kind !== 'steps') throw new Error('expected steps');
    const mapped = await exec.run({ ...handler, outputs: [{ type: 'array', mapping: '$.vessel', items: { type: 'object', properties: { code: { type: 'string', mapping: '$.code' } } } }] }, { inputs: {} });
    expect(mapped).toMatchObject({ kind: 'json', status: 200, value: [{ code: 'V1' }] });
  });
});

describe('script steps', () => {
  it('runs JavaScript with context (params, step outputs, with) and dependencies', async () => {
    const result = await exec.run(handlerOf(graph, 'scripted'), { inputs: { multiplier: 10 } });
    expect(result).toEqual({ kind: 'json', status: 200, value: { result: { total: 60, names: ['Ana', 'Bo', 'Cy'] } } });
  });

  it('has no require, process or network', async () => {
    const result = await exec.run(handlerOf(graph, 'sandbox'), { inputs: { a: 1 } });
    expect(result).toEqual({ kind: 'json', status: 200, value: { globals: { require: 'undefined', process: 'undefined', fetch: 'undefined', globalProcess: 'undefined', contextKeys: ['a'] } } });
    await expect(exec.run(handlerOf(graph, 'escape-require'), { inputs: {} })).rejects.toMatchObject({ name: 'ScriptError', step: 'evil', message: expect.stringContaining('require') });
  });

  it('is stopped at its time limit', async () => {
    const started = Date.now();
    await expect(exec.run(handlerOf(graph, 'endless'), { inputs: {} })).rejects.toMatchObject({ name: 'ScriptError', message: 'script step `loop` ran out of time' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses other languages clearly', async () => {
    await expect(exec.run(handlerOf(graph, 'python'), { inputs: {} })).rejects.toMatchObject({ name: 'ScriptError', message: expect.stringContaining('language `python` is not supported; Capstan runs javascript scripts only') });
  });
});

describe('mock and ref', () => {
  it('mock outputs answer without any upstream', async () => {
    const before = server.seen.length;
    expect(await exec.run(handlerOf(graph, 'mock'), { inputs: { name: 'Ana' } })).toEqual({ kind: 'json', status: 200, value: { greeting: 'Hello Ana', count: 42 } });
    // A rendered "" is a value (engine); only outputs without any value leave the answer empty.
    expect(await exec.run(handlerOf(graph, 'mock-empty'), { inputs: {} })).toEqual({ kind: 'json', status: 200, value: { nothing: '' } });
    expect(await exec.run({ kind: 'mock', with: {}, outputs: [{ name: 'o', type: 'object', properties: { a: { type: 'string', mapping: '$.a' } } }] }, { inputs: {} })).toEqual({ kind: 'empty', status: 204 });
    expect(server.seen.length).toBe(before);
  });

  it('a ref runs the aggregate function with both `with` maps applied', async () => {
    const result = await exec.run(handlerOf(graph, 'via-ref'), { inputs: { name: 'Alpha' } });
    expect(result).toMatchObject({ kind: 'json', status: 200, value: ['Ana', 'Bo', 'Cy'] });
    expect(server.seen.at(-1)!.url).toBe('/base/crew?ship=Alpha-ref');
  });
});
