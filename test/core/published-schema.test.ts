/**
 * The published schemas (what `capstan schema` prints): standard JSON Schema that a fresh Ajv
 * compiles in strict mode, with the same verdicts as Capstan's own schema source; the editor form
 * adds a Markdown hover text beside every description.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addFormats, CAPSTAN_ANNOTATIONS, MARKDOWN_DESCRIPTION, publishedSchema, SchemaValidator, schemaSource, type Generation, type SchemaObject,
} from '@capstan/spec';
import { REPO_ROOT } from '../helpers/cli.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';

const GENERATIONS: Generation[] = ['alpha2', 'beta5'];

/** A fresh Ajv in strict mode whose logger fails the test on any complaint; `ajv-formats` for `format`. */
function freshStrictAjv(complaints: string[]): Ajv2020 {
  const record = (...m: unknown[]) => complaints.push(m.map(String).join(' '));
  const ajv = new Ajv2020({ strict: true, allErrors: true, logger: { log() {}, warn: record, error: record } });
  addFormats(ajv);
  return ajv;
}

/** Compiles the whole schema and every definition on its own (Ajv compiles only what is reached). */
function compileAll(ajv: Ajv2020, schema: SchemaObject): number {
  ajv.addSchema(schema);
  let compiled = 0;
  for (const ref of [String(schema.$id), ...Object.keys(schema.$defs as object).map((d) => `${String(schema.$id)}#/$defs/${d}`)]) {
    expect(ajv.getSchema(ref), ref).toBeTypeOf('function');
    compiled++;
  }
  return compiled;
}

/** Every object in a schema that carries a string `description`. */
function described(node: unknown, out: SchemaObject[] = []): SchemaObject[] {
  if (Array.isArray(node)) node.forEach((n) => described(n, out));
  else if (node && typeof node === 'object') {
    if (typeof (node as SchemaObject).description === 'string') out.push(node as SchemaObject);
    Object.values(node).forEach((n) => described(n, out));
  }
  return out;
}

/** Files of one generation to compare verdicts on: bundled specs, the corpus, the beta tutorial. */
function sampleFiles(generation: Generation): string[] {
  const yamlIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)) : []);
  if (generation === 'alpha2') return [...yamlIn(join(REPO_ROOT, 'specs')), ...(HAVE_SHARED ? yamlIn(join(SHARED_DIR, 'corpus', 'files')) : [])];
  return HAVE_SHARED ? yamlIn(join(SHARED_DIR, 'ikanos-tutorial', 'capabilities')) : [];
}

describe.each(GENERATIONS)('published %s schema', (generation) => {
  it('compiles, with every definition, under a fresh Ajv in strict mode without a single complaint', () => {
    const complaints: string[] = [];
    const compiled = compileAll(freshStrictAjv(complaints), publishedSchema(generation));
    expect(complaints).toEqual([]);
    expect(compiled).toBeGreaterThan(40);
  });

  it('leaves out Capstan\'s annotation keywords, and only them: extension properties stay', () => {
    const text = JSON.stringify(publishedSchema(generation));
    for (const keyword of CAPSTAN_ANNOTATIONS) expect(text).not.toContain(`"${keyword}"`);
    expect(JSON.stringify(schemaSource(generation))).toContain(`"${CAPSTAN_ANNOTATIONS[0]}"`);
    if (generation === 'alpha2') {
      const rest = (publishedSchema(generation).$defs as Record<string, SchemaObject>).ExposesRest!;
      expect(Object.keys(rest.properties as object)).toContain('x-capstan-rateLimit');
    }
  });

  it('gives the same verdict as Capstan\'s schema source on real files (de-facto forms accepted)', () => {
    const files = sampleFiles(generation);
    if (files.length === 0) return;
    const validate = freshStrictAjv([]).compile(publishedSchema(generation));
    const source = new SchemaValidator(schemaSource(generation));
    const verdicts = files.map((file) => {
      let value: unknown;
      try {
        value = parse(readFileSync(file, 'utf8'));
      } catch {
        return undefined; // not YAML: no verdict to compare
      }
      const published = validate(value);
      expect(published, file).toBe(source.validate(value).length === 0);
      return published;
    });
    // Both verdicts occur, so the comparison means something (the alpha2 corpus holds both).
    if (generation === 'alpha2' && HAVE_SHARED) expect(new Set(verdicts.filter((v) => v !== undefined))).toEqual(new Set([true, false]));
  });

  it('editor form: a markdownDescription beside every description, the same Markdown, no escaped backticks', () => {
    const editor = described(publishedSchema(generation, 'editor'));
    const source = described(schemaSource(generation));
    expect(editor.length).toBe(source.length);
    expect(editor.length).toBeGreaterThan(100);
    for (const node of editor) {
      expect(node[MARKDOWN_DESCRIPTION], String(node.description)).toBe(node.description);
      expect(node[MARKDOWN_DESCRIPTION]).not.toMatch(/\\`/);
    }
    expect(JSON.stringify(publishedSchema(generation))).not.toContain(MARKDOWN_DESCRIPTION);
  });

  it('editor form: compiles under strict Ajv once `markdownDescription` is declared, and only that is unknown', () => {
    const complaints: string[] = [];
    expect(() => freshStrictAjv(complaints).compile(publishedSchema(generation, 'editor'))).toThrow(/unknown keyword: "markdownDescription"/);
    const ajv = freshStrictAjv(complaints);
    ajv.addKeyword(MARKDOWN_DESCRIPTION);
    compileAll(ajv, publishedSchema(generation, 'editor'));
    expect(complaints).toEqual([]);
  });
});
