/**
 * Ikanos 1.0.0-beta documents: Capstan's beta5 schema, strict and default validation, the
 * version check, diagnostics in the document's own keys and paths, and the one operation graph
 * (a beta5 file compiles to the same graph as the alpha2 file it corresponds to).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { addCapstanVocabulary, addFormats, checkSpec, strictSchema, type Diagnostic } from '@capstan/spec';
import { beta5Schema } from '@capstan/spec/internals';
import { runCli } from '../helpers/cli.js';
import { graphShape } from '../helpers/graph-shape.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { tempSpec } from '../helpers/tmp.js';

const IKANOS_CAPS = join(SHARED_DIR, 'ikanos-tutorial', 'capabilities');
const ALPHA2_CAPS = join(SHARED_DIR, 'tutorial', 'capabilities');
const HAVE_IKANOS = HAVE_SHARED && existsSync(IKANOS_CAPS);

const write = (text: string): string => tempSpec(text, 'cap.yml');

const only = (ds: Diagnostic[], code: string): Diagnostic[] => ds.filter((d) => d.code === code);

const TOOLS = `ikanos: "1.0.0-beta5"
info:
  display: Fleet
  description: Ships.
capability:
  consumes:
    - namespace: registry
      type: http
      baseUri: https://registry.example.com
      resources:
        ships:
          path: /ships
          operations:
            list-ships:
              method: GET
              inputParameters:
                status:
                  in: query
  aggregates:
    - display: Fleet
      namespace: fleet
      flows:
        all-ships:
          description: Every ship.
          call: registry.list-ships
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        list-ships:
          description: List ships.
          call: registry.list-shipz
          with:
            status: tools.status
          inputParameters:
            status:
              type: string
        every-ship:
          ref: fleet.all-ship
`;

describe('Capstan beta5 JSON Schema', () => {
  const strictAjv = (): Ajv2020 => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, logger: { log() {}, warn(m: unknown) { throw new Error(String(m)); }, error(m: unknown) { throw new Error(String(m)); } } });
    addCapstanVocabulary(ajv);
    addFormats(ajv);
    return ajv;
  };

  it('compiles under Ajv strict mode, lenient and strict variants', () => {
    expect(() => strictAjv().compile(beta5Schema())).not.toThrow();
    expect(() => strictAjv().compile(strictSchema(beta5Schema()))).not.toThrow();
  });

  it('describes every definition and every property', () => {
    const missing: string[] = [];
    for (const [name, def] of Object.entries(beta5Schema().$defs as Record<string, Record<string, unknown>>)) {
      if (typeof def.description !== 'string' || !def.description) missing.push(name);
      for (const [prop, sub] of Object.entries((def.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (sub && typeof sub === 'object' && !sub.description && !sub.$ref) missing.push(`${name}.${prop}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe.skipIf(!HAVE_IKANOS)('the beta5 tutorial files (../shared/ikanos-tutorial)', () => {
  const files = HAVE_IKANOS
    ? [
      ...readdirSync(IKANOS_CAPS).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(IKANOS_CAPS, f)),
      ...readdirSync(join(IKANOS_CAPS, 'shared')).filter((f) => /consumes\.ya?ml$/.test(f)).map((f) => join(IKANOS_CAPS, 'shared', f)),
    ]
    : [];

  it('every beta5 file validates in --strict (no finding at all)', () => {
    expect(files.length).toBe(17);
    for (const file of files) {
      const result = checkSpec(file, { strict: true });
      expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`), file).toEqual([]);
      expect(result.loaded.generation).toBe('beta5');
    }
  });

  it('`capstan validate --strict` on the folder: every step valid, exit 0', () => {
    const r = runCli(['validate', '--strict', IKANOS_CAPS]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout.match(/: valid/g)?.length).toBe(11);
  });

  it.skipIf(!existsSync(ALPHA2_CAPS))('each beta5 step compiles to the same operation graph as the alpha2 step', () => {
    for (const step of readdirSync(IKANOS_CAPS).filter((f) => /^step-\d+-.*\.yml$/.test(f))) {
      const beta5 = checkSpec(join(IKANOS_CAPS, step)).graph!;
      const alpha2 = checkSpec(join(ALPHA2_CAPS, step)).graph!;
      expect(beta5.specVersion).toBe('1.0.0-beta5');
      expect(graphShape(beta5), step).toEqual(graphShape(alpha2));
    }
  });
});

describe('beta5 versions', () => {
  it.each(['1.0.0-beta1', '1.0.0-beta2', '1.0.0-beta3', '1.0.0-beta4', '1.0.0-beta5'])('`ikanos: %s` loads', (version) => {
    const fixed = TOOLS.replace('1.0.0-beta5', version).replace('list-shipz', 'list-ships').replace('fleet.all-ship', 'fleet.all-ships');
    const result = checkSpec(write(fixed));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.graph?.specVersion).toBe(version);
  });

  it('an unknown beta is refused at the version line, naming what Capstan runs', () => {
    const result = checkSpec(write(TOOLS.replace('1.0.0-beta5', '1.0.0-beta9')));
    const [d] = only(result.diagnostics, 'unsupported-version');
    expect(d).toMatchObject({ line: 1, severity: 'error' });
    expect(d!.message).toContain('`ikanos: 1.0.0-beta9`');
    expect(d!.message).toContain('`1.0.0-beta5`');
    expect(result.graph).toBeUndefined();
  });

  it('keys that arrived in beta4 warn in an earlier beta, and fail --strict', () => {
    const text = TOOLS.replace('1.0.0-beta5', '1.0.0-beta2').replace('      namespace: tools\n', '      namespace: tools\n      cacheScope: public\n').replace('list-shipz', 'list-ships').replace('fleet.all-ship', 'fleet.all-ships');
    const file = write(text);
    const [warning] = only(checkSpec(file).diagnostics, 'version-feature');
    expect(warning).toMatchObject({ severity: 'warning', line: text.split('\n').findIndex((l) => l.includes('cacheScope')) + 1 });
    expect(warning!.message).toMatch(/`cacheScope` arrived in 1\.0\.0-beta4/);
    expect(only(checkSpec(file, { strict: true }).diagnostics, 'version-feature')[0]?.severity).toBe('error');
  });
});

describe('diagnostics speak beta5', () => {
  const lineOf = (text: string, needle: string): number => text.split('\n').map((l) => l.includes(needle)).lastIndexOf(true) + 1;

  it('compiler findings point at the beta5 line and say `flow`, not `function`', () => {
    const result = checkSpec(write(TOOLS));
    const [call] = only(result.diagnostics, 'unknown-call-target');
    expect(call).toMatchObject({ line: lineOf(TOOLS, 'list-shipz'), column: 17 });
    expect(call!.fix).toBe('write `call: registry.list-ships`');
    const [ref] = only(result.diagnostics, 'unknown-ref');
    expect(ref).toMatchObject({ line: lineOf(TOOLS, 'fleet.all-ship') });
    expect(ref!.message).toBe('`ref: fleet.all-ship` names no aggregate flow — did you mean `fleet.all-ships`?');
  });

  it('schema findings use the map keys as path segments; an unofficial form is a warning by default and an error in --strict', () => {
    const file = write(TOOLS.replace('list-shipz', 'list-ships').replace('fleet.all-ship', 'fleet.all-ships'));
    const [warning] = only(checkSpec(file).diagnostics, 'unofficial-missing-key');
    expect(warning).toMatchObject({ severity: 'warning', line: lineOf(TOOLS, '            status:') });
    expect(warning!.message).toContain('in `capability.exposes[0].tools.list-ships.inputParameters.status`');
    expect(checkSpec(file).graph).toBeDefined();
    const strict = checkSpec(file, { strict: true });
    expect(only(strict.diagnostics, 'unofficial-missing-key')[0]?.severity).toBe('error');
    expect(strict.graph).toBeUndefined();
  });

  it('an alpha2 spelling in a beta5 file is an unknown key with the beta5 suggestion', () => {
    const text = TOOLS.replace('  display: Fleet\n  description: Ships.', '  label: Fleet\n  description: Ships.');
    const [d] = only(checkSpec(write(text)).diagnostics, 'unknown-key');
    expect(d).toMatchObject({ line: 3, severity: 'error' });
    const named = TOOLS.replace('        list-ships:\n          description: List ships.', '        list-ships:\n          name: list-ships\n          description: List ships.');
    const [n] = only(checkSpec(write(named)).diagnostics, 'unknown-key');
    expect(n!.message).toMatch(/^unknown key `name` .*named by its map key/);
    expect(d!.message).toBe('unknown key `label` — the 1.0.0-beta spelling is `display` in `info`');
    expect(d!.fix).toBe('rename `label` to `display`');
  });
});

describe('beta5 shapes the tutorial does not show', () => {
  it('root-level consumes and exposes join the capability; named outputs and mock outputs compile', () => {
    const text = `ikanos: 1.0.0-beta5
consumes:
  - { namespace: registry, type: http, baseUri: 'https://registry.example.com', resources: { ships: { path: /ships, operations: {
      list-ships: { method: GET, outputParameters: { first-name: { type: string, value: $.name } } } } } } }
exposes:
  - type: rest
    port: 8080
    namespace: api
    resources:
      hello:
        path: /hello
        operations:
          say-hello:
            method: GET
            outputParameters:
              greeting:
                type: string
                value: hi
capability:
  exposes:
    - { type: mcp, port: 3001, namespace: tools, tools: { list-ships: { description: List ships., call: registry.list-ships } } }
`;
    const result = checkSpec(write(text));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const graph = result.graph!;
    expect(graph.adapters.map((a) => `${a.type} ${a.namespace}`)).toEqual(['rest api', 'mcp tools']);
    expect(graph.consumes.get('registry')!.operations.get('list-ships')!.outputParameters).toEqual([{ name: 'first-name', type: 'string', mapping: '$.name' }]);
    const rest = graph.adapters[0]!;
    if (rest.type !== 'rest') throw new Error('expected rest');
    expect(rest.resources[0]!.operations[0]!.handler).toMatchObject({ kind: 'mock', outputs: [{ name: 'greeting', type: 'string', value: 'hi' }] });
  });
});
