/**
 * Capstan's JSON Schema for Naftiko capability documents, and its Ajv instance.
 *
 * The schema source (`schemas/naftiko-1.0.0-alpha2.schema.json`, and one per generation) accepts
 * the official forms plus the de-facto forms real files use; each de-facto allowance is marked with
 * the annotation keyword `x-capstan-defacto`. `strictSchema` removes the marked allowances, which
 * gives a schema equivalent to the official one; `publishedSchema` (published-schema.ts) gives the
 * form other tools and editors read.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type ajvFormats from 'ajv-formats';
import type { Generation } from './generations/index.js';

/**
 * Adds ajv-formats' formats to an Ajv instance. ajv-formats (and the Ajv it loads) is required on
 * the first call, not when this module loads: a document the precompiled check accepts never needs
 * Ajv, so `capstan run` does not load it. ajv-formats is CommonJS; its default export arrives
 * wrapped or not depending on the loader.
 */
export function addFormats(ajv: Ajv2020): Ajv2020 {
  const formats = createRequire(import.meta.url)('ajv-formats') as typeof ajvFormats & { default?: typeof ajvFormats };
  return ((formats.default ?? formats) as unknown as (ajv: Ajv2020) => Ajv2020)(ajv);
}

/** The annotation keyword that marks a subschema admitting a de-facto (non-official) form. */
export const DEFACTO_KEYWORD = 'x-capstan-defacto';

/** The annotation keyword that marks a Capstan extension (resilience, caching, inbound limits, OAuth2 clients); `--strict` rejects them. */
export const EXTENSION_KEYWORD = 'x-capstan-extension';

/**
 * Capstan's annotation vocabulary: the keywords above. Capstan's own Ajv instances register them
 * (`addCapstanVocabulary`); the published schema (`publishedSchema`) leaves them out, so other
 * tools compile it under Ajv's strict mode.
 */
export const CAPSTAN_ANNOTATIONS: readonly string[] = [DEFACTO_KEYWORD, EXTENSION_KEYWORD];

/** Registers Capstan's annotation keywords on an Ajv instance (they do not validate anything). */
export function addCapstanVocabulary(ajv: Ajv2020): Ajv2020 {
  for (const keyword of CAPSTAN_ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: 'string' });
  return ajv;
}

/** The folder of the schema sources (one path, so the npm bundle can point it beside itself). */
const SCHEMA_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));

/** The schema source file of each document generation. */
const SCHEMA_FILES: Record<Generation, string> = {
  alpha2: 'naftiko-1.0.0-alpha2.schema.json',
  beta5: 'ikanos-1.0.0-beta5.schema.json',
};

/** Where the schema source of a generation lives. */
export function schemaPath(generation: Generation): string {
  return join(SCHEMA_DIR, SCHEMA_FILES[generation]);
}

/** Where the alpha2 schema source lives in the repository. */
export const SCHEMA_PATH = schemaPath('alpha2');

/** A JSON Schema object (loosely typed: schemas are data). */
export type SchemaObject = { [key: string]: unknown };

const cachedSchemas = new Map<Generation, SchemaObject>();

/** The schema source of a generation, parsed from its file now (not kept: see `schemaSource`). */
export function readSchemaSource(generation: Generation): SchemaObject {
  return JSON.parse(readFileSync(schemaPath(generation), 'utf8')) as SchemaObject;
}

/** The schema source of a generation (lenient, with Capstan's annotations), read once. */
export function schemaSource(generation: Generation): SchemaObject {
  let schema = cachedSchemas.get(generation);
  if (!schema) {
    schema = readSchemaSource(generation);
    cachedSchemas.set(generation, schema);
  }
  return schema;
}

/** Capstan's alpha2 schema source (lenient, with Capstan's annotations). */
export function capstanSchema(): SchemaObject {
  return schemaSource('alpha2');
}

/**
 * The schema with every de-facto allowance and Capstan extension removed: marked properties are dropped from
 * `properties`, marked branches from `anyOf`/`oneOf`.
 */
export function strictSchema(schema: SchemaObject = capstanSchema()): SchemaObject {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node as SchemaObject)) {
      if (key === 'properties' && value && typeof value === 'object') {
        out[key] = Object.fromEntries(
          Object.entries(value as SchemaObject)
            .filter(([, v]) => !isDefacto(v))
            .map(([k, v]) => [k, strip(v)]),
        );
      } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
        out[key] = value.filter((v) => !isDefacto(v)).map(strip);
      } else {
        out[key] = strip(value);
      }
    }
    return out;
  };
  const result = strip(schema) as SchemaObject;
  result.$id = `${String(schema.$id)}-strict`;
  return result;
}

function isDefacto(node: unknown): boolean {
  return !!node && typeof node === 'object' && (DEFACTO_KEYWORD in (node as SchemaObject) || EXTENSION_KEYWORD in (node as SchemaObject));
}

/** Resolves a JSON pointer (`/$defs/Info/properties/label`) inside a schema. */
export function schemaAt(schema: SchemaObject, pointer: string): unknown {
  let node: unknown = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
