/**
 * The generated schema check (`packages/spec/generated/schema-check.js`) that spares `capstan run`
 * the Ajv compilation of the schema: it must be what the generator makes of the schema as it is
 * now, it must be used only for that schema, and it must accept exactly what Ajv accepts (it is
 * made by another library than the one that explains a rejected document).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { addCapstanVocabulary, addFormats, capstanSchema, loadSpec, strictSchema } from '@capstan/spec';
import { precompiledCheck } from '@capstan/spec/internals';
// @ts-expect-error: a plain ESM build script without type declarations
import { generateSchemaCheck } from '../../packages/spec/scripts/generate-schema-check.mjs';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every capability document the repository and ../shared hold (seeds, tutorial, corpus). */
function documents(): Array<{ name: string; value: unknown }> {
  const dirs = [join(ROOT, 'specs'), ...(HAVE_SHARED ? [join(SHARED_DIR, 'corpus/files'), join(SHARED_DIR, 'seeds'), join(SHARED_DIR, 'tutorial/capabilities'), join(SHARED_DIR, 'tutorial/capabilities/shared')] : [])];
  const out: Array<{ name: string; value: unknown }> = [];
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      try {
        const value: unknown = parse(readFileSync(join(dir, f), 'utf8'));
        if (value && typeof value === 'object') out.push({ name: f, value });
      } catch {
        // not parseable YAML: the parser's concern, not the schema's
      }
    }
  }
  return out;
}

/** Invalid variants of a valid document, one schema rule broken in each. */
function broken(value: unknown): Array<{ how: string; value: unknown }> {
  const doc = value as Record<string, unknown>;
  const copy = () => structuredClone(doc) as Record<string, any>;
  const variants: Array<{ how: string; value: unknown }> = [];
  const v1 = copy();
  v1.naftiko = 5;
  variants.push({ how: 'version of the wrong type', value: v1 });
  const v2 = copy();
  v2.unknownTopLevelKey = true;
  variants.push({ how: 'unknown top-level key', value: v2 });
  const consumes = (copy().capability as { consumes?: unknown[] } | undefined)?.consumes;
  if (Array.isArray(consumes) && consumes.length) {
    const v3 = copy();
    v3.capability.consumes[0].type = 'carrier-pigeon';
    variants.push({ how: 'unknown consumes type', value: v3 });
    const v4 = copy();
    v4.capability.consumes[0].baseUri = 42;
    variants.push({ how: 'baseUri of the wrong type', value: v4 });
  }
  return variants;
}

/** Values a mutation puts in place of a node: every JSON type, and the edge cases of each. */
const REPLACEMENTS: unknown[] = [null, 42, 1.5, -1, Infinity, NaN, true, '', 'x y', '\u{1F600}', [], {}];

/**
 * Every mutation of one document at up to `limit` of its places and `limit` of its mappings and
 * lists (spread evenly over the document, the root included): a value replaced by each of
 * REPLACEMENTS, a key added to or removed from a mapping, a list emptied or its first item
 * repeated. Each is applied in place, handed to `visit`, then undone.
 */
function mutate(root: unknown, limit: number, visit: (how: string) => void): void {
  const places: Array<{ holder: Record<string | number, unknown>; key: string | number; path: string }> = [];
  const containers: Array<{ node: Record<string, unknown> | unknown[]; path: string }> = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    containers.push({ node: node as Record<string, unknown> | unknown[], path: path || '/' });
    for (const [k, v] of Object.entries(node)) {
      const key = Array.isArray(node) ? Number(k) : k;
      places.push({ holder: node as Record<string | number, unknown>, key, path: `${path}/${k}` });
      walk(v, `${path}/${k}`);
    }
  };
  walk(root, '');
  const every = <T>(items: T[], fn: (item: T) => void) => {
    const stride = Math.max(1, Math.ceil(items.length / limit));
    for (let i = 0; i < items.length; i += stride) fn(items[i]!);
  };
  every(places, ({ holder, key, path }) => {
    const original = holder[key];
    for (const r of REPLACEMENTS) {
      holder[key] = r;
      visit(`${path} = ${JSON.stringify(r) ?? String(r)}`);
    }
    holder[key] = original;
  });
  every(containers, ({ node, path }) => {
    if (Array.isArray(node)) {
      node.push(node[0]);
      visit(`${path} with its first item repeated`);
      node.pop();
      const items = node.splice(0);
      visit(`${path} emptied`);
      node.push(...items);
      return;
    }
    node['x-unknown-key'] = 1;
    visit(`${path} with an unknown key`);
    delete node['x-unknown-key'];
    for (const [k, v] of Object.entries(node)) {
      delete node[k];
      visit(`${path} without ${k}`);
      node[k] = v;
    }
  });
}

describe('precompiled schema check', () => {
  it('matches the schema (run `pnpm --filter @capstan/spec generate` after changing it)', () => {
    const committed = readFileSync(join(ROOT, 'packages/spec/generated/schema-check.js'), 'utf8');
    expect(committed === (generateSchemaCheck as () => string)()).toBe(true);
  }, 30_000);

  it('is used for the schema it was generated from, and for no other', () => {
    expect(precompiledCheck(capstanSchema())).toBeTypeOf('function');
    expect(precompiledCheck(strictSchema())).toBeUndefined();
    expect(precompiledCheck({ ...capstanSchema(), title: 'edited' })).toBeUndefined();
  });

  it('accepts exactly the documents Ajv accepts, valid and broken ones', () => {
    const check = precompiledCheck(capstanSchema())!;
    // Ajv compiled as SchemaValidator compiles it (the options the diagnostics need).
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false });
    addCapstanVocabulary(ajv);
    addFormats(ajv);
    const validate = ajv.compile(capstanSchema());
    const docs = documents();
    const cases = docs.flatMap((d) => [{ name: d.name, value: d.value }, ...broken(d.value).map((b) => ({ name: `${d.name} (${b.how})`, value: b.value }))]);
    const verdicts = cases.map((c) => ({ name: c.name, precompiled: check(c.value), ajv: validate(c.value) }));
    expect(verdicts.filter((v) => v.precompiled !== v.ajv)).toEqual([]);
    // Both outcomes are exercised: real files that pass, and broken ones that fail.
    expect(verdicts.filter((v) => v.ajv).length).toBeGreaterThan(2);
    expect(verdicts.filter((v) => !v.ajv).length).toBeGreaterThan(2);
  }, 60_000);

  it('agrees with Ajv on mutations of every document (each JSON type, added and removed keys)', () => {
    const check = precompiledCheck(capstanSchema())!;
    const ajv = new Ajv2020({ strict: false });
    addCapstanVocabulary(ajv);
    addFormats(ajv);
    const validate = ajv.compile(capstanSchema());
    const disagreements: string[] = [];
    let valid = 0;
    let invalid = 0;
    for (const doc of documents()) {
      mutate(doc.value, 40, (how) => {
        const expected = validate(doc.value);
        if (expected) valid++;
        else invalid++;
        if (check(doc.value) !== expected) disagreements.push(`${doc.name}: ${how} (Ajv: ${expected ? 'valid' : 'invalid'})`);
      });
    }
    expect(disagreements).toEqual([]);
    // Mutations that keep a document valid and ones that break it are both exercised.
    expect(valid).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(1000);
  }, 120_000);

  it('leaves the explanation of a rejected document to Ajv, positioned as before', () => {
    const file = join(ROOT, 'specs/paragon-proxy.yaml');
    const text = readFileSync(file, 'utf8').replace(/^naftiko: .*$/m, 'naftiko: 1.0.0-alpha2\nunknownTopLevelKey: true');
    const loaded = loadSpec(file, { text });
    const finding = loaded.diagnostics.find((d) => d.message.includes('unknownTopLevelKey'));
    expect(finding).toMatchObject({ file, line: 2, column: 1 });
  });
});
