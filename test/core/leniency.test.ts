/**
 * One test per leniency category (the error categories of ../shared/corpus/official-verdicts.tsv,
 * written small): in the default mode the file loads and the finding is a warning whose text names
 * the official form; under `--strict` the same finding is an error and the file does not load.
 */
import { describe, expect, it } from 'vitest';
import { checkSpec, type Diagnostic } from '@capstan/spec';
import { tempSpec } from '../helpers/tmp.js';

/** Valid under the official schema: a consumed API, a REST adapter and an MCP adapter. */
const BASE = `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Ships
capability:
  consumes:
    - type: http
      namespace: registry
      baseUri: http://127.0.0.1:9/api
      authentication:
        type: bearer
        token: "{{TOKEN}}"
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
binds:
  - namespace: env
    keys:
      TOKEN: FLEET_TOKEN
`;

/** BASE with one exact substring replaced (it must occur once). */
function edit(from: string, to: string): string {
  expect(BASE.split(from).length, `BASE has exactly one "${from}"`).toBe(2);
  return BASE.replace(from, to);
}

interface Category {
  /** The category, as official-verdicts.tsv words it. */
  category: string;
  text: string;
  code: string;
  /** Text that names the official form (in the message, `expected` or `fix`). */
  official: string;
}

const MCP_TOOL_CALL = '          call: registry.get-ship\n          with:\n            imo: fleet-tools.imo\n';

const CATEGORIES: Category[] = [
  { category: 'unknown key (did you mean)', text: edit('  label: Fleet', '  lable: Fleet'), code: 'unknown-key', official: 'did you mean `label`?' },
  { category: 'exposes adapter carries description', text: edit('      port: 8080\n', '      port: 8080\n      description: REST surface\n'), code: 'defacto-expose-description', official: 'allows it only on `mcp` and `skill` adapters' },
  { category: 'exposed output param type:object + mapping without properties', text: edit('              with:\n                imo: fleet-rest.imo\n', '              with:\n                imo: fleet-rest.imo\n              outputParameters:\n                - type: object\n                  mapping: $.\n'), code: 'defacto-output-mapping-without-shape', official: 'declare `properties:`' },
  { category: 'exposed output param type:array without items', text: edit('              with:\n                imo: fleet-rest.imo\n', '              with:\n                imo: fleet-rest.imo\n              outputParameters:\n                - type: array\n                  mapping: $.ships\n'), code: 'defacto-output-mapping-without-shape', official: 'declare `items:`' },
  { category: 'consumed inputParameter carries type/required/description', text: edit('                  in: path\n  exposes', '                  in: path\n                  type: string\n                  required: true\n  exposes'), code: 'defacto-consumed-input-extras', official: 'only `name`, `in` and `value`' },
  { category: 'info.title instead of info.label', text: edit('  label: Fleet', '  title: Fleet'), code: 'defacto-info-title', official: 'official key is `info.label`' },
  { category: 'identifier pattern violation (names with _ . $ [ or spaces)', text: edit('        - name: get-ship\n          description', '        - name: get_ship\n          description'), code: 'bad-format', official: 'letters, digits and hyphens only' },
  { category: 'auth type outside enum', text: edit('        type: bearer\n        token: "{{TOKEN}}"', '        type: oauth1\n        consumerKey: "{{TOKEN}}"'), code: 'defacto-consumed-auth-scheme', official: 'use basic, apikey (key, value, placement), bearer or digest' },
  { category: 'auth object has keys not in its variant', text: edit('        token: "{{TOKEN}}"', '        token: "{{TOKEN}}"\n        in: header'), code: 'auth-unknown-key', official: 'unknown key `in` in `bearer` authentication' },
  { category: 'auth key instead of authentication', text: edit('      authentication:\n', '      auth:\n'), code: 'unknown-key', official: '`authentication`' },
  { category: 'missing `type` on an input (read as string)', text: edit('              type: string\n              description: IMO number', '              description: IMO number'), code: 'missing-key', official: 'missing required key `type`' },
  { category: 'exposed `in: body` input without type', text: edit('                  description: IMO number\n              call', '                  description: IMO number\n                - name: note\n                  in: body\n                  description: A note\n              call'), code: 'missing-key', official: 'missing required key `type`' },
  { category: 'exposed/MCP inputParameter without description', text: edit('              type: string\n              description: IMO number', '              type: string'), code: 'defacto-exposed-input-missing-description', official: 'add `description:`' },
  { category: 'exposed output param carries name (mapped params take neither)', text: edit(MCP_TOOL_CALL, `${MCP_TOOL_CALL}          outputParameters:\n            - name: ship\n              type: string\n              mapping: $.name\n`), code: 'defacto-output-name', official: 'one `type: object` output whose `properties` are keyed by name' },
  { category: 'mock output without name', text: edit(MCP_TOOL_CALL, '          outputParameters:\n            - type: string\n              value: hello\n'), code: 'missing-key', official: 'missing required key `name`' },
  { category: 'empty list where minItems 1', text: edit('binds:\n', 'capabilityBinds: []\nbinds:\n').replace('capabilityBinds: []\n', '').replace('      port: 3001\n', '      port: 3001\n      prompts: []\n'), code: 'too-few-items', official: 'at least 1 item' },
  { category: 'enum value outside schema (outputRawFormat)', text: edit('              method: GET\n              inputParameters', '              method: GET\n              outputRawFormat: text\n              inputParameters'), code: 'bad-value', official: 'json' },
  { category: 'baseUri not matching ^https?://host(/path-without-{)', text: edit('baseUri: http://127.0.0.1:9/api', 'baseUri: http://127.0.0.1:9/{{REGION}}'), code: 'defacto-templated-base-uri', official: 'write a literal base URI' },
  { category: 'adapter port/transport rules (missing port)', text: edit('      port: 8080\n', ''), code: 'missing-key', official: 'missing required key `port`' },
  { category: 'MCP hints with wrong value types', text: edit('          description: Get a ship\n', '          description: Get a ship\n          hints:\n            readOnly: "yes"\n'), code: 'wrong-type', official: 'must be a boolean' },
  { category: 'MCP tool uses calls instead of call', text: edit(MCP_TOOL_CALL, '          calls: registry.get-ship\n'), code: 'unknown-key', official: 'unknown key `calls`' },
  { category: 'operation-level path key', text: edit('            - method: GET\n              name: get-ship', '            - method: GET\n              path: /ships\n              name: get-ship'), code: 'unknown-key', official: 'unknown key `path`' },
  { category: 'request body shape (missing data)', text: edit('              method: GET\n              inputParameters', '              method: GET\n              body:\n                type: json\n              inputParameters'), code: 'missing-key', official: 'missing required key `data`' },
  { category: 'with key the consumed side does not declare (joins the parameter map)', text: edit('            imo: fleet-tools.imo\n', '            imo: fleet-tools.imo\n            verbose: "true"\n'), code: 'unknown-with-key', official: 'declare `verbose` as an input parameter' },
  { category: 'a root holding both capability and consumes', text: `${BASE}consumes:\n  - type: http\n    namespace: other\n    baseUri: http://127.0.0.1:9\n    resources:\n      - name: r\n        path: /r\n        operations:\n          - name: o\n            method: GET\n`, code: 'ambiguous-form', official: 'not both' },
];

const byCode = (diags: Diagnostic[], code: string) => diags.filter((d) => d.code === code);
const words = (d: Diagnostic) => `${d.message} ${d.expected ?? ''} ${d.fix ?? ''}`;

describe('leniency: a warning naming the official form by default, an error under --strict', () => {
  it('the base fixture is valid in both modes', () => {
    const file = tempSpec(BASE);
    expect(checkSpec(file).diagnostics).toEqual([]);
    expect(checkSpec(file, { strict: true }).diagnostics).toEqual([]);
  });

  it.each(CATEGORIES.map((c) => [c.category, c] as const))('%s', (_name, c) => {
    const file = tempSpec(c.text);
    const lenient = checkSpec(file);
    expect(lenient.diagnostics.filter((d) => d.severity === 'error'), 'no error by default').toEqual([]);
    expect(lenient.graph, 'the file loads by default').toBeDefined();
    const warnings = byCode(lenient.diagnostics, c.code);
    expect(warnings.length, `a ${c.code} warning`).toBeGreaterThan(0);
    expect(warnings.every((d) => d.severity === 'warning')).toBe(true);
    expect(warnings.map(words).join('\n')).toContain(c.official);
    const strict = checkSpec(file, { strict: true });
    expect(strict.graph, 'the file does not load under --strict').toBeUndefined();
    expect(byCode(strict.diagnostics, c.code).length).toBeGreaterThan(0);
    expect(byCode(strict.diagnostics, c.code).every((d) => d.severity === 'error')).toBe(true);
  });

  it('what Capstan cannot run stays an error by default: a call to nothing, a placeholder nothing fills, an unsupported version', () => {
    const cases: Array<[string, string]> = [
      [edit('          call: registry.get-ship\n          with:\n            imo: fleet-tools.imo', '          call: registry.get-shp\n          with:\n            imo: fleet-tools.imo'), 'unknown-call-target'],
      [edit('              type: string\n              description: IMO number\n          call: registry.get-ship\n          with:\n            imo: fleet-tools.imo', '              type: string\n              description: IMO number\n          call: registry.get-ship\n          with:\n            imo-number: fleet-tools.imo').replace('        - name: get-ship\n          description: Get a ship\n          inputParameters:\n            - name: imo\n', '        - name: get-ship\n          description: Get a ship\n          inputParameters:\n            - name: ship-id\n').replace('imo-number: fleet-tools.imo', 'imo-number: fleet-tools.ship-id'), 'placeholder-without-source'],
      [edit('naftiko: 1.0.0-alpha2', 'naftiko: 0.4'), 'unsupported-version'],
      [edit('      port: 3001\n', '      port: 8080\n      address: 0.0.0.0\n'), 'port-collision'],
    ];
    for (const [text, code] of cases) {
      const result = checkSpec(tempSpec(text));
      expect(result.graph, code).toBeUndefined();
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), code).toContain(code);
    }
  });

  it('a `with` key the operation does not declare joins the parameter map: templates read it', () => {
    const text = edit('            imo: fleet-tools.imo\n', '            imo: fleet-tools.imo\n            verbose: "yes"\n').replace('                - name: imo\n                  in: path\n  exposes', '                - name: imo\n                  in: path\n                - name: X-Verbose\n                  in: header\n                  value: "{{verbose}}"\n  exposes');
    const result = checkSpec(tempSpec(text));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const tool = result.graph!.adapters.find((a) => a.type === 'mcp')!;
    expect(tool.type === 'mcp' && tool.tools[0]!.handler.kind === 'call' && tool.tools[0]!.handler.with.verbose).toEqual({ from: 'template', template: 'yes' });
  });
});
