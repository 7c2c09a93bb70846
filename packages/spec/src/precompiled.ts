/**
 * The alpha2 schema check generated from the schema (`scripts/generate-schema-check.mjs`, run by
 * `pnpm build` and committed; a test fails when it is stale): valid documents, nearly all of
 * those `capstan run` reads, are checked without compiling the schema with Ajv (about 350 ms at
 * start-up), by code that only answers valid or not (@exodus/schemasafe's, without errors).
 * Used only for the exact schema it was generated from; `SchemaValidator` compiles with Ajv as
 * before for any other schema and to explain a failure.
 */
import { createHash } from 'node:crypto';
import { SCHEMA_SHA256, validate } from '../generated/schema-check.js';
import type { SchemaObject } from './schema.js';

/** The generated check for `schema`, or undefined when it was generated from another one (stale). */
export function precompiledCheck(schema: SchemaObject): ((value: unknown) => boolean) | undefined {
  const hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
  return hash === SCHEMA_SHA256 ? (value) => validate(value) : undefined;
}
