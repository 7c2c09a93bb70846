/**
 * Capstan's JSON Schema for Naftiko capability documents, and its Ajv instance.
 *
 * The published schema (`schemas/naftiko-1.0.0-alpha2.schema.json`) accepts the official forms
 * plus the de-facto forms real files use; each de-facto allowance is marked with the
 * annotation keyword `x-capstan-defacto`. `strictSchema` removes the marked allowances, which
 * gives a schema equivalent to the official one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

/** ajv-formats is CommonJS; its default export arrives wrapped or not depending on the loader. */
export const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (ajv: Ajv2020) => Ajv2020;

/** The annotation keyword that marks a subschema admitting a de-facto (non-official) form. */
export const DEFACTO_KEYWORD = 'x-capstan-defacto';

/** The annotation keyword that marks a Capstan extension (resilience, caching, inbound limits, OAuth2 clients); `--strict` rejects them. */
export const EXTENSION_KEYWORD = 'x-capstan-extension';

/** Where the published schema lives in the repository. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/naftiko-1.0.0-alpha2.schema.json', import.meta.url));

/** A JSON Schema object (loosely typed: schemas are data). */
export type SchemaObject = { [key: string]: unknown };

let cachedSchema: SchemaObject | undefined;

/** The published (lenient) schema, read once. */
export function capstanSchema(): SchemaObject {
  cachedSchema ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaObject;
  return cachedSchema;
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
