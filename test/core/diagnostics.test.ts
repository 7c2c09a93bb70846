import { describe, expect, it } from 'vitest';
import { checkSpec, formatDiagnostic, type Diagnostic } from '@capstan/spec';
import { tempSpec } from '../helpers/tmp.js';

const BASE = `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Ships and voyages
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

/** BASE with one exact substring replaced (the substring must exist once). */
function variant(from: string, to: string): string {
  expect(BASE.split(from).length, `fixture has exactly one "${from}"`).toBe(2);
  return BASE.replace(from, to);
}

/** Under `--strict`, where every finding is an error (the default mode makes schema findings warnings: test/core/leniency.test.ts). */
function check(text: string): Diagnostic[] {
  return checkSpec(tempSpec(text), { strict: true }).diagnostics;
}

function only(diags: Diagnostic[]): Diagnostic {
  const errors = diags.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors, null, 2)).toHaveLength(1);
  return errors[0]!;
}

describe('validation diagnostics', () => {
  it('accepts the base fixture with no diagnostics and compiles it', () => {
    const result = checkSpec(tempSpec(BASE));
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.adapters[0]?.type).toBe('mcp');
  });

  it('reports a typo in a key once, with the key it meant', () => {
    const d = only(check(variant('  label: Fleet', '  lable: Fleet')));
    expect(d).toMatchObject({ line: 3, column: 3, endLine: 3, endColumn: 8, code: 'unknown-key', message: 'unknown key `lable` — did you mean `label`? in `info`', fix: 'rename `lable` to `label`' });
  });

  it('reports a wrong enum value with the allowed values and the closest one', () => {
    const d = only(check(variant('in: path', 'in: paht')));
    expect(d).toMatchObject({ line: 18, column: 23, code: 'bad-value', fix: 'did you mean `path`?' });
    expect(d.message).toBe('`in` must be one of query, header, path, cookie, body, environment; got `paht`');
  });

  it('reports a missing required field at the object that lacks it', () => {
    const d = only(check(variant('      baseUri: http://127.0.0.1:9/api\n', '')));
    expect(d).toMatchObject({ line: 7, column: 7, code: 'missing-key', message: 'missing required key `baseUri` in `capability.consumes[0]`' });
    expect(d.fix).toBe('add `baseUri:` under `consumes[0]`');
  });

  it('reports a bad call target with the closest operation', () => {
    const d = only(check(variant('call: registry.get-ship', 'call: registry.get-shp')));
    expect(d).toMatchObject({ line: 30, column: 17, code: 'unknown-call-target', message: '`call: registry.get-shp`: namespace `registry` has no operation `get-shp` — did you mean `get-ship`?', fix: 'write `call: registry.get-ship`' });
  });

  it('reports an unknown call namespace with the closest namespace', () => {
    const d = only(check(variant('call: registry.get-ship', 'call: registy.get-ship')));
    expect(d).toMatchObject({ line: 30, column: 17, code: 'unknown-call-target', fix: 'write `call: registry.get-ship`' });
  });

  it('reports a duplicate namespace at the second declaration, naming the first', () => {
    const d = only(check(variant('namespace: fleet-tools', 'namespace: registry')));
    expect(d).toMatchObject({ line: 21, column: 18, code: 'duplicate-namespace' });
    expect(d.message).toMatch(/^namespace `registry` is already used by the consumes entry at .*cap\.yaml:8$/);
  });

  it('reports a `with` key that is not a parameter of the called operation', () => {
    const d = only(check(variant('            imo: fleet-tools.imo', '            imo_number: fleet-tools.imo')));
    expect(d).toMatchObject({ line: 32, column: 13, code: 'unknown-with-key' });
    expect(d.message).toContain('`with` key `imo_number` is not a parameter or placeholder of `registry.get-ship`');
  });

  it('reports a `<namespace>.x` reference to an input the tool does not declare', () => {
    const d = only(check(variant('imo: fleet-tools.imo', 'imo: fleet-tools.imo-number')));
    expect(d).toMatchObject({ line: 32, column: 18, code: 'unknown-input-ref' });
    // The tool declares inputs, so only those reach it (test/mcp/http.test.ts: undeclared arguments are dropped).
    expect(d.message).toMatch(/only declared inputs reach the call, so it never has a value$/);
  });

  it('warns on an unknown template variable, and --strict makes it an error', () => {
    const text = variant('                  in: path\n', '                  in: path\n                - name: X-Version\n                  in: header\n                  value: "{{VERSON}}"\n');
    const diags = checkSpec(tempSpec(text)).diagnostics;
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ severity: 'warning', code: 'unknown-template-variable', line: 21, column: 26, message: '`{{VERSON}}` names no bind variable, parameter or step; it renders empty' });
    expect(checkSpec(tempSpec(text), { strict: true }).diagnostics[0]?.severity).toBe('error');
  });

  it('reports colliding ports of two adapters', () => {
    const text = `${BASE}    - type: rest
      namespace: fleet-api
      address: localhost
      port: 3001
      resources:
        - path: /ships/{imo}
          operations:
            - method: GET
              inputParameters:
                - name: imo
                  in: path
                  type: string
                  description: IMO
              call: registry.get-ship
              with:
                imo: fleet-api.imo
`;
    const d = only(check(text));
    expect(d).toMatchObject({ line: 36, column: 13, code: 'port-collision' });
  });

  it('warns about a misspelled key in a consumed auth object, with the key it meant (a missing token would go out unauthenticated)', () => {
    const text = variant('      baseUri: http://127.0.0.1:9/api\n', '      baseUri: http://127.0.0.1:9/api\n      authentication:\n        type: bearer\n        tokn: x\n');
    const result = checkSpec(tempSpec(text));
    expect(result.graph).toBeDefined();
    const d = result.diagnostics.find((x) => x.code === 'auth-unknown-key');
    expect(d).toMatchObject({ severity: 'warning', line: 11, message: 'unknown key `tokn` in `bearer` authentication — did you mean `token`?; Capstan ignores it', fix: 'rename `tokn` to `token`' });
    const strict = checkSpec(tempSpec(text), { strict: true }).diagnostics.filter((x) => x.severity === 'error');
    expect(strict.map((x) => x.code).sort()).toEqual(['auth-unknown-key', 'defacto-consumed-auth-scheme']);
  });

  it('warns about an unknown consumed auth type at load, with the type it meant', () => {
    const text = variant('      baseUri: http://127.0.0.1:9/api\n', '      baseUri: http://127.0.0.1:9/api\n      authentication:\n        type: baerer\n        token: x\n');
    const result = checkSpec(tempSpec(text));
    const d = result.diagnostics.find((x) => x.code === 'auth-unsupported');
    expect(d).toMatchObject({ severity: 'warning', line: 11, fix: 'write `type: bearer`' });
    expect(d!.message).toContain('authentication type `baerer` is not supported on consumed APIs — did you mean `bearer`?');
    expect(checkSpec(tempSpec(text), { strict: true }).graph).toBeUndefined();
  });

  it('picks the mode the operation evidently uses (it has `call`), not a mode whose key is missing', () => {
    const text = variant('          call: registry.get-ship\n', '          call: registry.get-ship\n          outputParameters:\n            - type: integer\n              mapping: $.count\n');
    const d = only(check(text));
    expect(d).toMatchObject({ line: 32, column: 21, code: 'bad-value', message: '`type` must be one of string, number, boolean, object, array; got `integer`' });
  });

  it('reports a wrong type deep inside an output shape once, on its own line', () => {
    const text = variant('          call: registry.get-ship\n', '          call: registry.get-ship\n          outputParameters:\n            - type: array\n              mapping: $.items\n              items:\n                type: object\n                properties:\n                  count:\n                    type: integer\n                    mapping: $.count\n');
    const d = only(check(text));
    expect(d).toMatchObject({ line: 38, column: 27, code: 'bad-value', message: '`type` must be one of string, number, boolean, object, array; got `integer`' });
  });

  it('reports a `name` on a mapped output once, as the de-facto form Capstan reads', () => {
    const text = variant('          call: registry.get-ship\n', '          call: registry.get-ship\n          outputParameters:\n            - name: ship\n              type: object\n              mapping: $.\n');
    const d = only(check(text).filter((x) => x.code !== 'defacto-output-mapping-without-shape'));
    expect(d).toMatchObject({ line: 32, column: 15, code: 'defacto-output-name', message: expect.stringMatching(/^`name` on an exposed output is a de-facto form .*Capstan reads it: with several outputs the answer is an object keyed by output name/) });
  });

  it('renders the source line with a caret under the span', () => {
    const text = variant('  label: Fleet', '  lable: Fleet');
    const d = only(check(text));
    expect(formatDiagnostic(d, text)).toBe(
      `${d.file}:3:3: error[unknown-key]: unknown key \`lable\` — did you mean \`label\`? in \`info\`\n` +
        '  3 |   lable: Fleet\n' +
        '    |   ^^^^^\n' +
        `  expected: ${d.expected}\n` +
        '  fix: rename `lable` to `label`',
    );
  });
});

describe('YAML-level problems', () => {
  it('reports a duplicate key with its position', () => {
    const d = only(check(variant('  description: Ships and voyages\n', '  description: Ships and voyages\n  label: Again\n')));
    expect(d).toMatchObject({ line: 5, column: 3, code: 'yaml-duplicate-key', message: 'duplicate key in the same mapping' });
  });

  it('reports a cut-off line as a key without a value', () => {
    const d = only(check(variant('  description: Ships and voyages\n', '  description: Ships and voyages\n  descrip\n')));
    expect(d).toMatchObject({ line: 5, column: 3, code: 'yaml-key-without-value', message: '`descrip` stands where a `key: value` line is expected, but no `:` follows it' });
  });

  it('reports tab indentation', () => {
    const d = only(check('naftiko: 1.0.0-alpha2\ninfo:\n\tlabel: x\n'));
    expect(d).toMatchObject({ line: 3, column: 1, code: 'yaml-tab-as-indent', fix: 'indent with spaces; YAML does not allow tabs for indentation' });
  });

  it('reports several documents in one file', () => {
    const d = only(check(`${BASE}---\nnaftiko: 1.0.0-alpha2\n`));
    expect(d).toMatchObject({ line: 33, column: 1, code: 'multiple-documents', message: 'the file holds 2 YAML documents; a capability file holds exactly one' });
  });

  it('reports a root that is not a mapping', () => {
    const d = only(check('- naftiko: 1.0.0-alpha2\n'));
    expect(d).toMatchObject({ line: 1, column: 1, code: 'root-not-mapping', message: 'the document root is a list; it must be a mapping' });
  });

  it('reports an empty file', () => {
    expect(only(check('\n')).code).toBe('empty-document');
  });

  it('reports an unsupported spec version and stops there', () => {
    const d = only(check(variant('naftiko: 1.0.0-alpha2', 'naftiko: "0.5"')));
    expect(d).toMatchObject({ line: 1, column: 10, code: 'unsupported-version', message: 'unsupported spec version `0.5`; Capstan runs `1.0.0-alpha2` or `1.0.0-alpha3`' });
  });

  it('accepts 1.0.0-alpha3 documents', () => {
    expect(check(variant('naftiko: 1.0.0-alpha2', 'naftiko: 1.0.0-alpha3'))).toEqual([]);
  });

  it('reads JSON documents too', () => {
    const json = JSON.stringify({ naftiko: '1.0.0-alpha2', info: { label: 'x', description: 'y' }, capability: { exposes: [{ type: 'mcp', namespace: 'm', port: 1, tools: [{ name: 't', description: 'd', outputParameters: [{ name: 'a', type: 'string', value: 'hi' }] }] }] } }, null, 2);
    expect(checkSpec(tempSpec(json, 'cap.json')).diagnostics).toEqual([]);
  });
});
