/**
 * The compiler reads document types generated from the published JSON Schema; the committed
 * types must be what the generator makes of the schema as it is now, so the two cannot drift.
 * Each shape of the schema is one type: json-schema-to-typescript emits a new copy of a shape for
 * every `$ref` with sibling keywords, so the source writes those as `allOf: [{$ref}]`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaSource, type SchemaObject } from '@capstan/spec';
// @ts-expect-error: a plain ESM build script without type declarations
import { generateDocumentTypes } from '../../packages/spec/scripts/generate-document-types.mjs';

const committed = () => readFileSync(new URL('../../packages/spec/generated/document.d.ts', import.meta.url), 'utf8');

/** Paths of every `$ref` that has sibling keywords. */
function refsWithSiblings(node: unknown, path = '#', out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n, i) => refsWithSiblings(n, `${path}/${i}`, out));
  else if (node && typeof node === 'object') {
    if ('$ref' in node && Object.keys(node).length > 1) out.push(path);
    for (const [k, v] of Object.entries(node)) refsWithSiblings(v, `${path}/${k}`, out);
  }
  return out;
}

describe('generated document types', () => {
  it('match the schema (run `pnpm --filter @capstan/spec generate` after changing it)', async () => {
    expect(committed()).toBe(await (generateDocumentTypes as () => Promise<string>)());
  }, 30_000);

  it('the schema source has no `$ref` with sibling keywords', () => {
    expect(refsWithSiblings(schemaSource('alpha2'))).toEqual([]);
  });

  it('declare each shared shape once (a numbered twin only for the `oneOf` part of an object shape)', () => {
    const text = committed();
    const defs = schemaSource('alpha2').$defs as Record<string, SchemaObject>;
    const declared = [...text.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]!);
    expect(new Set(declared).size).toBe(declared.length);
    for (const [name, def] of Object.entries(defs)) {
      const twins = declared.filter((d) => d !== name && new RegExp(`^${name}\\d+$`).test(d));
      const split = !!def.properties && (Array.isArray(def.oneOf) || Array.isArray(def.anyOf));
      expect({ name, twins }).toEqual({ name, twins: split ? [`${name}1`] : [] });
    }
    expect(declared.filter((d) => d.startsWith('CapstanCredentials'))).toEqual(['CapstanCredentials']);
  });
});
