/**
 * `capstan fix` never comments out a key Capstan reads outside the official schema
 * (`READ_KEY_CODES`: exposed output `description`, `maxLength`, `values`, and the beta5 keys
 * Capstan reads in alpha2 files): each stays and is reported as a construct with no official
 * form, of its kind, and the capability serves the same. The served-shape helper the corpus test
 * relies on must see each of these keys, or it could not catch a fix that drops one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { checkSpec, READ_KEY_CODES } from '@capstan/spec';
import { fixFile } from '@capstan/authoring';
import { runCliAsync } from '../helpers/cli.js';
import { servedShape } from '../helpers/served-shape.js';
import { tempSpecDir } from '../helpers/tmp.js';

/** One of each read key, where Capstan reads it. */
const SPEC = `naftiko: 1.0.0-alpha2
info: {label: Fleet, description: Ships of the fleet.}
capability:
  consumes:
  - type: http
    namespace: registry
    baseUri: https://registry.test/api
    tunnel:
      type: overlay
      service: registry.internal
    resources:
    - name: ships
      path: /ships
      operations:
      - name: list-ships
        method: GET
      - name: manifest
        method: GET
        outputMediaType: application/pdf
        maxBinarySize: 5MiB
  exposes:
  - type: rest
    namespace: fleet-rest
    port: 8080
    resources:
    - path: /photo
      operations:
      - method: GET
        call: registry.list-ships
        responseBinary:
          mediaType: image/png
    - path: /manifest
      operations:
      - method: GET
        call: registry.manifest
        responses:
          '200':
            content:
              application/pdf:
                binary: true
  - type: mcp
    namespace: fleet-tools
    port: 3001
    ttlMs: 5000
    cacheScope: public
    maxBinarySize: 1KiB
    tools:
    - name: ship
      description: A ship.
      call: registry.list-ships
      outputParameters:
      - type: object
        properties:
          name:
            type: string
            mapping: $.name
            description: The ship's name.
            maxLength: 8
    - name: crew
      description: The crew.
      call: registry.list-ships
      outputParameters:
      - type: object
        mapping: $.crew
        values:
          type: string
          mapping: $.name
  - type: skill
    namespace: fleet-skills
    port: 3002
    skills:
    - name: fleet
      description: Fleet skills.
      tools:
      - name: ship
        description: A ship.
        from: {sourceNamespace: fleet-tools, action: ship}
        call: registry.list-ships
`;

/** The key each read-key code stands for in SPEC, with the kind `fix` reports it under. */
const KEPT: Array<[key: string, code: string, kind: string]> = [
  ['tunnel', 'defacto-beta5-key', 'beta5-key'],
  ['outputMediaType', 'defacto-beta5-key', 'beta5-key'],
  ['maxBinarySize', 'defacto-beta5-key', 'beta5-key'],
  ['responseBinary', 'defacto-beta5-key', 'beta5-key'],
  ['responses', 'defacto-beta5-key', 'beta5-key'],
  ['ttlMs', 'defacto-beta5-key', 'beta5-key'],
  ['cacheScope', 'defacto-beta5-key', 'beta5-key'],
  ['description', 'defacto-output-description', 'output-description'],
  ['maxLength', 'defacto-output-max-length', 'output-max-length'],
  ['values', 'defacto-output-values', 'output-values'],
];

describe('capstan fix keeps the keys Capstan reads outside the official schema', () => {
  it('each stays in the file, is reported with its kind, and the capability serves the same', () => {
    const dir = tempSpecDir({ 'cap.yaml': SPEC });
    const file = join(dir, 'cap.yaml');
    const before = checkSpec(file);
    const readFindings = before.diagnostics.filter((d) => READ_KEY_CODES.has(d.code));
    // Every key above is a read-key finding (two `maxBinarySize`s), so the test covers what it names.
    expect(readFindings.map((d) => d.path!.at(-1)).sort()).toEqual([...KEPT.map(([key]) => key), 'maxBinarySize'].sort());

    const result = fixFile(file);
    expect(result.text).toBe(SPEC);
    for (const d of readFindings) {
      const kept = result.left.find((l) => l.diagnostic.code === d.code && l.diagnostic.line === d.line);
      const [, , kind] = KEPT.find(([key, code]) => key === d.path!.at(-1) && code === d.code)!;
      expect(kept, `${d.code} at line ${d.line}`).toMatchObject({ noOfficialForm: true, kind });
      expect(kept!.reason).not.toMatch(/ignor/);
    }
    // A skill's `call` is kept too, and the reason says truly that Capstan ignores it.
    const skill = result.left.find((l) => l.diagnostic.path?.at(-1) === 'call' && l.diagnostic.path.includes('skills'));
    expect(skill).toMatchObject({ kind: 'skill-calls' });
    expect(skill!.reason).toMatch(/Capstan ignores this key of a skill/);

    writeFileSync(file, result.text);
    expect(servedShape(checkSpec(file).graph!)).toEqual(servedShape(before.graph!));
  });

  it('the CLI prints each with its kind and exits 3 (only constructs with no official form left)', async () => {
    const dir = tempSpecDir({ 'cap.yaml': SPEC });
    const run = await runCliAsync(['fix', join(dir, 'cap.yaml')]);
    expect(run.code).toBe(3);
    for (const [key, , kind] of KEPT) expect(run.stdout).toMatch(new RegExp(`cap\\.yaml:\\d+:\\d+: no official form \\[${kind}\\] .*\`${key}\`.*: Capstan `));
    expect(run.stdout).not.toContain(': no official form [beta5-key]: ');
  });

  it('the served shape changes when any one of these keys is removed (so the corpus check would catch a fix that drops one)', () => {
    const dir = tempSpecDir({ 'cap.yaml': SPEC });
    const file = join(dir, 'cap.yaml');
    const checked = checkSpec(file);
    const shape = JSON.stringify(servedShape(checked.graph!));
    const paths = checked.diagnostics.filter((d) => READ_KEY_CODES.has(d.code)).map((d) => d.path!);
    expect(paths.length).toBe(KEPT.length + 1);
    for (const path of paths) {
      const doc = parseDocument(SPEC);
      doc.deleteIn(path);
      writeFileSync(file, doc.toString());
      const without = checkSpec(file).graph;
      expect(without, path.join('.')).toBeDefined();
      expect(JSON.stringify(servedShape(without!)), path.join('.')).not.toBe(shape);
    }
  });
});
