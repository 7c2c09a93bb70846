/**
 * Conformance rows 87-89 of docs/conformance.md (import and create: test/authoring/import.test.ts) and the `capstan export openapi` addition:
 * export writes OpenAPI 3.1 with declared types kept; `import openapi`, `create capability` and
 * the control-port commands of the reference CLI do not exist in Capstan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempSpecDir } from '../../helpers/tmp.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Inventory
  description: Bins and their items
capability:
  consumes:
    - type: http
      namespace: inv
      baseUri: http://127.0.0.1:9
      resources:
        - name: bins
          path: /bins/{{bin}}
          operations:
            - name: get-bin
              method: GET
              inputParameters:
                - name: limit
                  in: query
  exposes:
    - type: rest
      namespace: inventory
      port: 8080
      resources:
        - path: /bins/{bin}
          name: bins
          operations:
            - method: GET
              name: get-bin
              inputParameters:
                - name: bin
                  in: path
                  type: integer
                  description: Bin number.
                - name: limit
                  in: query
                  type: integer
                  description: Most items.
              call: inv.get-bin
              with:
                bin: inventory.bin
                limit: inventory.limit
`;

describe('capstan CLI', () => {
  it('`capstan export openapi` writes an OpenAPI 3.1 document (json, and yaml to a file) with `integer` kept as integer', () => {
    const dir = tempSpecDir({ 'cap.yaml': SPEC });
    const out = runCli(['export', 'openapi', join(dir, 'cap.yaml'), '--format', 'json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as { openapi: string; info: { title: string }; servers: unknown; paths: Record<string, { get: { parameters: unknown[] } }> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Inventory');
    expect(doc.servers).toEqual([{ url: 'http://localhost:8080' }]);
    expect(doc.paths['/bins/{bin}']!.get.parameters).toEqual([
      { name: 'bin', in: 'path', required: true, description: 'Bin number.', schema: { type: 'integer' } },
      { name: 'limit', in: 'query', required: false, description: 'Most items.', schema: { type: 'integer' } },
    ]);
    const yamlFile = join(dir, 'openapi.yaml');
    expect(runCli(['export', 'openapi', join(dir, 'cap.yaml'), '-o', yamlFile]).code).toBe(0);
    const yaml = readFileSync(yamlFile, 'utf8');
    expect(yaml).toMatch(/^openapi: 3\.1\.0$/m);
    expect(yaml).toMatch(/type: integer/);
  });

  it('has no control-port commands (health, status, metrics, traces, scripting): each is an unknown command, exit 2', () => {
    for (const args of [['health'], ['status'], ['metrics'], ['traces'], ['scripting']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`capstan: unknown command \`${args[0]}\``);
    }
  }, 90_000); // seven CLI starts in a row: leave room for a loaded machine
});
