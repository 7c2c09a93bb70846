/**
 * Descriptions for the node at a document path (what hovers show), from the published editor
 * schema of the document's generation: the `markdownDescription`s `capstan schema --editor` prints.
 */
import { publishedSchema, type Generation } from '@capstan/spec';

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);

const editorSchemas = new Map<Generation, Schema>();

function editorSchema(generation: Generation): Schema {
  let schema = editorSchemas.get(generation);
  if (!schema) editorSchemas.set(generation, (schema = publishedSchema(generation, 'editor')));
  return schema;
}

/** The `markdownDescription` (or `description`) of the schema that governs `path` in a document of `generation`. */
export function describePath(path: readonly (string | number)[], generation: Generation = 'alpha2'): string | undefined {
  const root = editorSchema(generation);
  let candidates: Schema[] = [root];
  for (const segment of path) {
    const next: Schema[] = [];
    for (const s of candidates.flatMap((c) => expand(root, c))) {
      if (typeof segment === 'number') {
        if (isObj(s.items)) next.push(s.items);
      } else if (isObj(s.properties) && isObj(s.properties[segment])) {
        next.push(s.properties[segment] as Schema);
      } else if (isObj(s.additionalProperties)) {
        next.push(s.additionalProperties);
      }
    }
    if (next.length === 0) return undefined;
    candidates = next;
  }
  for (const s of candidates.flatMap((c) => [c, ...expand(root, c)])) {
    const text = s.markdownDescription ?? s.description;
    if (typeof text === 'string') return text;
  }
  return undefined;
}

/** A schema with its `$ref` and combinator branches, flattened (depth-limited against cycles). */
function expand(root: Schema, s: Schema, depth = 0): Schema[] {
  if (depth > 8) return [s];
  const out: Schema[] = [s];
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) {
    const target = s.$ref.slice(2).split('/').reduce<unknown>((n, k) => (isObj(n) ? n[k] : undefined), root);
    if (isObj(target)) out.push(...expand(root, target, depth + 1));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches)) for (const b of branches) if (isObj(b)) out.push(...expand(root, b, depth + 1));
  }
  return out;
}
