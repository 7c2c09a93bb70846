/**
 * `capstan schema` through the real binary, and the `yaml-language-server` modeline that
 * `create` and `import openapi` write and `upgrade` retargets.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';
import { addFormats } from '@capstan/spec';
import { runCliAsync } from '../helpers/cli.js';
import { tempSpecDir } from '../helpers/tmp.js';

vi.setConfig({ testTimeout: 60_000 });

type Schema = Record<string, unknown>;

/** The `$id` that `capstan schema --generation G` prints. */
async function printedId(generation: string): Promise<string> {
  const out = await runCliAsync(['schema', '--generation', generation]);
  expect(out.code, out.stderr).toBe(0);
  return String((JSON.parse(out.stdout) as Schema).$id);
}

const firstLine = (text: string) => text.split('\n', 1)[0];

describe('capstan schema', () => {
  it('prints the standard alpha2 schema by default: a fresh strict Ajv compiles it and validates with it', async () => {
    const out = await runCliAsync(['schema']);
    expect(out.code, out.stderr).toBe(0);
    const schema = JSON.parse(out.stdout) as Schema;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/naftiko-1\.0\.0-alpha2\.schema\.json$/);
    expect(out.stdout).not.toMatch(/"x-capstan-(defacto|extension)"|"markdownDescription"/);
    const complaints: string[] = [];
    const ajv = new Ajv2020({ strict: true, logger: { log() {}, warn: (m: unknown) => complaints.push(String(m)), error: (m: unknown) => complaints.push(String(m)) } });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(complaints).toEqual([]);
    expect(validate({ naftiko: '1.0.0-alpha2', info: { label: 'x', description: 'y' }, capability: { exposes: 'not a list' } })).toBe(false);
  });

  it('--generation beta5 --editor -o FILE writes the editor form of the beta5 schema', async () => {
    const file = join(tempSpecDir({}), 'ikanos.schema.json');
    const out = await runCliAsync(['schema', '--generation', 'beta5', '--editor', '-o', file]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
    expect(schema.$id).toMatch(/ikanos-1\.0\.0-beta5\.schema\.json$/);
    expect(schema.markdownDescription).toBe(schema.description);
    expect((schema.properties as Record<string, Schema>).ikanos!.markdownDescription).toMatch(/`1\.0\.0-beta5`/);
  });

  it('exit 2 for usage errors, 1 when the file cannot be written', async () => {
    const bad = await runCliAsync(['schema', '--generation', 'gamma']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--generation must be alpha2 or beta5');
    expect((await runCliAsync(['schema', 'extra'])).code).toBe(2);
    const nowhere = join(tempSpecDir({}), 'missing-folder', 'x.json');
    const unwritable = await runCliAsync(['schema', '-o', nowhere]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain(`cannot write ${nowhere}`);
    expect(existsSync(nowhere)).toBe(false);
  });
});

describe('the yaml-language-server modeline', () => {
  it('`create` and `import openapi` write it first, naming the printed schema\'s $id', async () => {
    const modeline = `# yaml-language-server: $schema=${await printedId('alpha2')}`;
    const created = await runCliAsync(['create', 'Fleet', '-o', '-']);
    expect(created.code, created.stderr).toBe(0);
    expect(firstLine(created.stdout)).toBe(modeline);
    const dir = tempSpecDir({
      'api.yaml': 'openapi: 3.0.3\ninfo: { title: Tiny, version: "1" }\nservers: [{ url: "https://tiny.test" }]\npaths:\n  /a:\n    get: { operationId: get-a, responses: { "200": { description: ok } } }\n',
    });
    const imported = await runCliAsync(['import', 'openapi', join(dir, 'api.yaml')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(firstLine(imported.stdout)).toBe(modeline);
  });

  it('`upgrade` points it at the target generation\'s schema, both ways; an unknown schema gets a note', async () => {
    const [alpha2, beta5] = [await printedId('alpha2'), await printedId('beta5')];
    const dir = tempSpecDir({});
    const file = join(dir, 'fleet.yaml');
    expect((await runCliAsync(['create', 'Fleet', '-o', file])).code).toBe(0);
    expect((await runCliAsync(['upgrade', file, '--to', 'beta5'])).code).toBe(0);
    const upgraded = readFileSync(file, 'utf8');
    expect(firstLine(upgraded)).toBe(`# yaml-language-server: $schema=${beta5}`);
    expect(upgraded).toMatch(/^ikanos: 1\.0\.0-beta5$/m);
    expect((await runCliAsync(['upgrade', file, '--to', 'alpha2'])).code).toBe(0);
    expect(firstLine(readFileSync(file, 'utf8'))).toBe(`# yaml-language-server: $schema=${alpha2}`);

    writeFileSync(file, readFileSync(file, 'utf8').replace(alpha2, './local.schema.json'));
    const local = await runCliAsync(['upgrade', file, '--to', 'beta5']);
    expect(local.code).toBe(0);
    expect(firstLine(readFileSync(file, 'utf8'))).toBe('# yaml-language-server: $schema=./local.schema.json');
    expect(local.stderr).toContain('the yaml-language-server modeline names ./local.schema.json; point it at the beta5 schema');
  });
});
