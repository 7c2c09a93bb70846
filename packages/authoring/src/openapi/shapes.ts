/**
 * JSON Schema → Naftiko types: input parameter types, and mapped output shapes in the official
 * form (objects with `properties`, arrays with `items`). A response whose shape the official
 * form cannot express (free-form objects, unions) gets no output parameters, so the upstream
 * answer passes through unchanged instead of being cut down.
 */
import { isObj, type Obj, type Schema } from './model.js';
const MAX_DEPTH = 6;

/** The Naftiko input type of a schema (`string` when it does not say). */
export function inputType(schema: Schema): 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' {
  const t = typeOf(schema);
  return t === 'number' || t === 'integer' || t === 'boolean' || t === 'array' || t === 'object' ? t : 'string';
}

function typeOf(schema: Schema): string | undefined {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (typeof t === 'string') return t;
  if (isObj(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** Folds `allOf` members into one object schema (the other combinators are not shapes). */
function flatten(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const parts = schema.allOf.filter(isObj).map(flatten);
  const { allOf: _allOf, ...own } = schema;
  return parts.reduce<Schema>((acc, p) => ({ ...p, ...acc, properties: { ...(isObj(p.properties) ? p.properties : {}), ...(isObj(acc.properties) ? acc.properties : {}) } }), own);
}

/** A mapped output for `schema`, read from `mapping`; undefined when the shape cannot be declared. */
export function outputShape(schema: Schema, mapping: string, depth = 0, seen = new Set<object>()): Obj | undefined {
  if (depth > MAX_DEPTH || seen.has(schema)) return undefined;
  const s = flatten(schema);
  if (s.oneOf || s.anyOf || s.not) return undefined;
  const type = typeOf(s);
  const inner = new Set(seen).add(schema);
  if (type === 'object') {
    if (!isObj(s.properties) || Object.keys(s.properties).length === 0) return undefined;
    const properties: Obj = {};
    for (const [name, prop] of Object.entries(s.properties)) {
      const shaped = isObj(prop) ? outputShape(prop, `$.${jsonPathKey(name)}`, depth + 1, inner) : undefined;
      if (!shaped) return undefined;
      properties[name] = shaped;
    }
    return { type: 'object', mapping, properties };
  }
  if (type === 'array') {
    const items = isObj(s.items) ? outputShape(s.items, '$', depth + 1, inner) : undefined;
    return items ? { type: 'array', mapping, items } : undefined;
  }
  if (type === 'string' || type === 'boolean') return { type, mapping };
  if (type === 'number' || type === 'integer') return { type: 'number', mapping };
  return undefined;
}

function jsonPathKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/'/g, "\\'")}']`;
}

/** A schema trimmed to what a tool input schema needs (no examples, no vendor keys). */
export function describe(schema: Schema): string | undefined {
  return typeof schema.description === 'string' ? schema.description : undefined;
}
