#!/usr/bin/env node
/**
 * Generates `generated/schema-check.js`: Ajv's standalone code for the alpha2 schema source (the
 * lenient one Capstan validates with), so that a valid document is checked without compiling the
 * 120 KB schema at start-up (about 350 ms). The module also exports the SHA-256 of the schema it
 * was generated from; `precompiled.ts` uses it only when that matches the schema it loads, and
 * otherwise compiles with Ajv as before. `--check` exits 1 when the committed file is stale (the
 * test suite runs the same comparison).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import ajvFormats from 'ajv-formats';
import { writeOrCheck } from './generated-file.mjs';

const schemaPath = fileURLToPath(new URL('../../../schemas/naftiko-1.0.0-alpha2.schema.json', import.meta.url));
const outPath = fileURLToPath(new URL('../generated/schema-check.js', import.meta.url));

/** The hash the runtime compares: of the parsed schema as JSON, so formatting does not matter. */
export function schemaHash(schema) {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** The generated module's text for the schema as it is now. */
export function generateSchemaCheck() {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  // The options of SchemaValidator's own instance, less allErrors/verbose: they change the errors
  // reported, never whether a value is valid, and this code only answers valid or not.
  const ajv = new Ajv2020({ strict: false, code: { source: true, esm: true } });
  // Capstan's annotation keywords (schema.ts CAPSTAN_ANNOTATIONS): they validate nothing.
  for (const keyword of ['x-capstan-defacto', 'x-capstan-extension']) ajv.addKeyword({ keyword, schemaType: 'string' });
  (ajvFormats.default ?? ajvFormats)(ajv);
  ajv.addSchema(schema);
  const code = (standalone.default ?? standalone)(ajv, ajv.getSchema(String(schema.$id)));
  // Ajv's code `require`s its runtime helpers and the formats (CommonJS modules): the generated
  // ES module gets a `require` of its own, which resolves them from this package as Node does.
  return [
    '/* Generated from schemas/naftiko-1.0.0-alpha2.schema.json by packages/spec/scripts/generate-schema-check.mjs; do not edit. */',
    '// @ts-nocheck',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    `export const SCHEMA_SHA256 = ${JSON.stringify(schemaHash(schema))};`,
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeOrCheck(outPath, generateSchemaCheck());
