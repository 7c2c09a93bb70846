#!/usr/bin/env node
/**
 * Generates `generated/document.d.ts`, the TypeScript types of a Naftiko document, from the
 * published JSON Schema, so the compiler reads the keys the schema declares and cannot drift
 * from it. `--check` exits 1 when the committed file is stale (the test suite runs it).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { writeOrCheck } from './generated-file.mjs';

const schemaPath = fileURLToPath(new URL('../../../schemas/naftiko-1.0.0-alpha2.schema.json', import.meta.url));
const outPath = fileURLToPath(new URL('../generated/document.d.ts', import.meta.url));

/** The generated text for the schema as it is now. */
export async function generateDocumentTypes() {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const banner = '/* Generated from schemas/naftiko-1.0.0-alpha2.schema.json by packages/spec/scripts/generate-document-types.mjs; do not edit. */';
  return compile(schema, 'NaftikoDocument', { bannerComment: banner, unreachableDefinitions: true, additionalProperties: false });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeOrCheck(outPath, await generateDocumentTypes());
