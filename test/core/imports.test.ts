import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { importingCapability, REGISTRY_CONSUMES } from '../helpers/fixtures.js';
import { tempSpecDir } from '../helpers/tmp.js';

const SHARED = REGISTRY_CONSUMES;
const capability = (importLine: string) => importingCapability('./shared/registry.yaml', importLine);

describe('imported consumes files', () => {
  it('imports a namespace under an alias, relative to the capability file', () => {
    const dir = tempSpecDir({ 'shared/registry.yaml': SHARED, 'cap.yaml': capability('      import: registry\n      as: fleet') });
    const result = checkSpec(join(dir, 'cap.yaml'));
    expect(result.diagnostics).toEqual([]);
    const api = result.graph!.consumes.get('fleet')!;
    expect(api.baseUri).toBe('http://127.0.0.1:9');
    expect([...api.operations.keys()]).toEqual(['list-ships']);
  });

  it('reports an unknown imported namespace at `import`, with the closest name', () => {
    const dir = tempSpecDir({ 'shared/registry.yaml': SHARED, 'cap.yaml': capability('      import: registy\n      as: fleet') });
    const errors = checkSpec(join(dir, 'cap.yaml')).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 8, column: 15, code: 'import-namespace-not-found', message: 'namespace `registy` is not in `./shared/registry.yaml` — did you mean `registry`?' });
  });

  it('reports a missing import file at `location`', () => {
    const dir = tempSpecDir({ 'cap.yaml': capability('      import: registry\n      as: fleet') });
    const errors = checkSpec(join(dir, 'cap.yaml')).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 7, column: 17, code: 'import-not-found' });
  });

  it('reports schema errors of the imported file against that file', () => {
    const dir = tempSpecDir({ 'shared/registry.yaml': SHARED.replace('method: GET', 'method: GIT'), 'cap.yaml': capability('      import: registry\n      as: fleet') });
    const errors = checkSpec(join(dir, 'cap.yaml'), { strict: true }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe(join(dir, 'shared/registry.yaml'));
    expect(errors[0]).toMatchObject({ line: 11, column: 21, code: 'bad-value' });
  });
});
