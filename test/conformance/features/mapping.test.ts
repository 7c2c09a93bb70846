/**
 * Conformance row 42 of docs/conformance.md: array `items` are shaped at any depth, including
 * an array under an object's `properties` (the engine re-maps one level only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startUpstream, type Upstream } from '../../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from '../../executor/helpers.js';

let server: Upstream;
beforeAll(async () => {
  server = await startUpstream((_req, res) => json(res, 200, { ship: { name: 'Alpha', crew: [{ name: 'Ana', age: '40' }, { name: 'Bo', age: '33' }] } }));
});
afterAll(async () => {
  await server.close();
});

describe('output mapping', () => {
  it('an array under object `properties` is shaped by its own `items` (nested arrays are re-mapped)', async () => {
    const { graph } = graphOf(
      capability({
        resources: `        - name: ship
          path: /ship
          operations:
            - name: get-ship
              method: GET
`,
        tools: `        - name: ship
          description: d
          call: up.get-ship
          outputParameters:
            - type: object
              properties:
                name:
                  type: string
                  mapping: $.ship.name
                crew:
                  type: array
                  mapping: $.ship.crew
                  items:
                    type: object
                    properties:
                      who:
                        type: string
                        mapping: $.name
                      age:
                        type: number
                        mapping: $.age
`,
      }),
    );
    const exec = await executorFor(graph, server);
    try {
      const result = await exec.run(handlerOf(graph, 'ship'), { inputs: {} });
      expect(result).toMatchObject({ kind: 'json', status: 200, value: { name: 'Alpha', crew: [{ who: 'Ana', age: 40 }, { who: 'Bo', age: 33 }] } });
    } finally {
      await exec.close();
    }
  });
});
