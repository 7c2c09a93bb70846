/**
 * The published forms of Capstan's schemas, derived from the schema sources in `schemas/` when
 * asked for, so they cannot drift from what Capstan validates with.
 *
 * - `standard`: JSON Schema 2020-12 keywords only. Capstan's annotation keywords and the source's
 *   `$comment`s are left out (the de-facto allowances they mark stay), so Ajv compiles it in its
 *   default strict mode.
 * - `editor`: `standard` plus a `markdownDescription` beside every `description`. VS Code's JSON
 *   and YAML language services render `markdownDescription` as Markdown in hovers; a plain
 *   `description` is shown with its backticks escaped. Ajv's strict mode does not know the
 *   keyword (register it with `ajv.addKeyword('markdownDescription')`).
 */
import type { Generation } from './generations/index.js';
import { CAPSTAN_ANNOTATIONS, schemaSource, type SchemaObject } from './schema.js';

/** Which published form: for validators (`standard`) or for editors (`editor`). */
export type SchemaFlavour = 'standard' | 'editor';

/** The editor annotation that carries a description as Markdown. */
export const MARKDOWN_DESCRIPTION = 'markdownDescription';

/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = new Set(['$defs', 'properties', 'patternProperties', 'dependentSchemas']);
/** Keywords whose value is one subschema. */
const SCHEMA_VALUES = new Set(['items', 'not', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'propertyNames', 'contains', 'if', 'then', 'else']);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

const isObj = (v: unknown): v is SchemaObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** The published schema of a generation, in one flavour (a fresh copy each call). */
export function publishedSchema(generation: Generation, flavour: SchemaFlavour = 'standard'): SchemaObject {
  return publish(schemaSource(generation), flavour) as SchemaObject;
}

/** The `$id` of a generation's schema: the URL a `yaml-language-server` modeline names. */
export function schemaId(generation: Generation): string {
  return String(schemaSource(generation).$id);
}

/** The first line that points YAML editors (yaml-language-server) at a generation's schema. */
export function schemaModeline(generation: Generation): string {
  return `# yaml-language-server: $schema=${schemaId(generation)}`;
}

/**
 * Rewrites every subschema (only schema positions: a `properties` entry named `description`, or a
 * `default`/`enum` value, is data and stays as it is).
 */
function publish(schema: unknown, flavour: SchemaFlavour): unknown {
  if (!isObj(schema)) return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    // `$comment`s are notes to the source's maintainers (they explain the annotations left out).
    if (CAPSTAN_ANNOTATIONS.includes(key) || key === '$comment') continue;
    if (SCHEMA_MAPS.has(key) && isObj(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, publish(sub, flavour)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((sub) => publish(sub, flavour));
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = publish(value, flavour);
    } else {
      out[key] = value;
    }
    // Descriptions are written in Markdown already: the editor form carries the same text as Markdown.
    if (key === 'description' && flavour === 'editor' && typeof value === 'string') out[MARKDOWN_DESCRIPTION] = value;
  }
  return out;
}
