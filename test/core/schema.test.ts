import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { addCapstanVocabulary, addFormats, capstanSchema, checkSpec, DEFACTO_FORMS, DEFACTO_KEYWORD, strictSchema } from '@capstan/spec';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, logger: { log() {}, warn(m: unknown) { throw new Error(String(m)); }, error(m: unknown) { throw new Error(String(m)); } } });
  addCapstanVocabulary(ajv);
  addFormats(ajv);
  return ajv;
}

describe('JSON Schema source (the published form is tested in published-schema.test.ts)', () => {
  it('compiles under Ajv strict mode (draft 2020-12) with Capstan\'s annotation vocabulary, lenient and strict variants', () => {
    expect(() => strictAjv().compile(capstanSchema())).not.toThrow();
    expect(() => strictAjv().compile(strictSchema())).not.toThrow();
  });

  it('describes every definition and every property', () => {
    const missing: string[] = [];
    const defs = capstanSchema().$defs as Record<string, Record<string, unknown>>;
    for (const [name, def] of Object.entries(defs)) {
      if (typeof def.description !== 'string' || !def.description) missing.push(name);
      for (const [prop, sub] of Object.entries((def.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (sub && typeof sub === 'object' && !sub.description && !sub.$ref) missing.push(`${name}.${prop}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('marks exactly the de-facto forms the detector knows', () => {
    const codes = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === DEFACTO_KEYWORD) codes.add(String(v));
          else visit(v);
        }
      }
    };
    visit(capstanSchema());
    expect([...codes].sort()).toEqual(Object.keys(DEFACTO_FORMS).sort());
  });

  it.skipIf(!HAVE_SHARED)('accepts every tutorial capability without errors', () => {
    const dir = join(SHARED_DIR, 'tutorial', 'capabilities');
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBe(11);
    for (const f of files) {
      const errors = checkSpec(join(dir, f)).diagnostics.filter((d) => d.severity === 'error');
      expect(errors, f).toEqual([]);
    }
  });
});
