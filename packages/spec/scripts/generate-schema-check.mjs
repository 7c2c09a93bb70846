#!/usr/bin/env node
/**
 * Generates `generated/schema-check.js`: a standalone validity check of the alpha2 schema source
 * (the lenient one Capstan validates with), so that a valid document is checked without
 * compiling the 120 KB schema with Ajv at start-up (about 350 ms). The code is
 * @exodus/schemasafe's, made with its errors left out: it only answers valid or not, which takes
 * a third of the time of Ajv's standalone code and a quarter of its allocations (Ajv builds an
 * error object for every `oneOf` branch a valid value fails), and it needs no runtime library.
 * Ajv still explains a document this check rejects; a test checks the two agree on every corpus
 * document and on mutations of each. The module also exports the SHA-256 of the schema it was
 * generated from; `precompiled.ts` uses it only when that matches the schema it loads, and
 * otherwise compiles with Ajv as before. Its subschema checks are inlined as labelled blocks
 * (`inline-subchecks.mjs`). `--check` exits 1 when the committed file is stale (the
 * test suite runs the same comparison).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validator } from '@exodus/schemasafe';
import { writeOrCheck } from './generated-file.mjs';
import { inlineSubchecks } from './inline-subchecks.mjs';

const schemaPath = fileURLToPath(new URL('../../../schemas/naftiko-1.0.0-alpha2.schema.json', import.meta.url));
const outPath = fileURLToPath(new URL('../generated/schema-check.js', import.meta.url));

/** The hash the runtime compares: of the parsed schema as JSON, so formatting does not matter. */
export function schemaHash(schema) {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** The generated module's text for the schema as it is now. */
export function generateSchemaCheck() {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  // What SchemaValidator's Ajv instance does with the schema: annotation keywords (Capstan's
  // `x-capstan-*` vocabulary, `description`, examples) validate nothing. The values checked are
  // parsed YAML (plain objects and arrays, no `undefined`), so a key is present when its value is
  // not `undefined` (`isJSON`, `unmodifiedPrototypes`): `hasOwn` is kept only for the names
  // `Object.prototype` and `Array.prototype` have. About a third faster than `in` plus `hasOwn`.
  const check = validator(schema, { mode: 'default', allowUnusedKeywords: true, includeErrors: false, isJSON: true, unmodifiedPrototypes: true });
  return [
    '/* Generated from schemas/naftiko-1.0.0-alpha2.schema.json by packages/spec/scripts/generate-schema-check.mjs; do not edit. */',
    '// @ts-nocheck',
    `export const SCHEMA_SHA256 = ${JSON.stringify(schemaHash(schema))};`,
    `export const validate = ${inlineSubchecks(check.toModule())};`,
    'export default validate;',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeOrCheck(outPath, generateSchemaCheck());
