/**
 * Our schema against the official verdicts on real third-party files (../shared/corpus):
 * in strict mode (de-facto forms counted as errors) Capstan must agree with the official
 * alpha2 schema on every file; and the de-facto detector must agree with the schema's
 * `x-capstan-defacto` marks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, SchemaValidator, strictSchema } from '@capstan/spec';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';

const CORPUS = join(SHARED_DIR, 'corpus');

interface Verdict {
  file: string;
  parses: boolean;
  valid: boolean;
}

function verdicts(): Verdict[] {
  return readFileSync(join(CORPUS, 'official-verdicts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map(([file, , , parses, valid]) => ({ file: file!, parses: parses === 'True', valid: valid === 'True' }));
}

describe.skipIf(!HAVE_SHARED)('corpus: schema agreement with the official verdicts', () => {
  const rows = HAVE_SHARED ? verdicts() : [];
  const strictValidator = HAVE_SHARED ? new SchemaValidator(strictSchema()) : undefined;
  const results = rows.map((row) => {
    const path = join(CORPUS, 'files', row.file);
    const ownOf = (l: ReturnType<typeof loadSpec>) => l.diagnostics.filter((d) => d.file === path && !d.code.startsWith('import-'));
    const loaded = loadSpec(path, { strict: true });
    const own = ownOf(loaded);
    const parsed = !own.some((d) => d.code.startsWith('yaml-') || d.code === 'multiple-documents' || d.code === 'root-not-mapping');
    const errors = own.filter((d) => d.severity === 'error');
    const strictValid = parsed && errors.length === 0;
    // Valid but for de-facto forms, which the published (lenient) schema admits.
    const lenientValid = parsed && errors.every((d) => d.code.startsWith('defacto-'));
    const defaultValid = !ownOf(loadSpec(path)).some((d) => d.severity === 'error');
    const strictSchemaValid = loaded.document ? strictValidator!.validate(loaded.document.value).length === 0 : false;
    return { row, loaded, own, parsed, lenientValid, strictValid, defaultValid, strictSchemaValid };
  });

  it('parses exactly the files the official check could parse', () => {
    const disagree = results.filter((r) => r.parsed !== r.row.parses).map((r) => r.row.file);
    expect(disagree).toEqual([]);
  });

  it('agrees with the official verdict on every file in strict mode', () => {
    const disagree = results.filter((r) => r.strictValid !== r.row.valid).map((r) => `${r.row.file}: official ${r.row.valid}, capstan ${r.strictValid}`);
    const rate = ((results.length - disagree.length) / results.length) * 100;
    console.log(`[corpus] schema agreement with official verdicts: ${results.length - disagree.length}/${results.length} (${rate.toFixed(1)}%); lenient-schema-valid: ${results.filter((r) => r.lenientValid).length}/${results.length}; loads in the default mode (schema): ${results.filter((r) => r.defaultValid).length}/${results.length}`);
    expect(disagree).toEqual([]);
  });

  it('flags a de-facto form exactly where the strict schema (marks removed) rejects a lenient-valid file', () => {
    const disagree = results
      .filter((r) => r.lenientValid && r.strictSchemaValid !== r.strictValid)
      .map((r) => `${r.row.file}: strict schema ${r.strictSchemaValid}, detector says ${r.strictValid}`);
    expect(disagree).toEqual([]);
  });

  it('gives every invalid file positioned diagnostics and never crashes', () => {
    for (const r of results.filter((x) => !x.strictValid)) {
      const errors = r.own.filter((d) => d.severity === 'error');
      expect(errors.length, r.row.file).toBeGreaterThan(0);
      for (const e of errors) {
        expect(e.line, r.row.file).toBeGreaterThanOrEqual(1);
        expect(e.message, r.row.file).not.toMatch(/#\/|\$defs|schemaPath/);
      }
    }
  });
});
