/**
 * Output mapping (engine §2.8, with Capstan's decisions):
 * - scalar: `mapping` (JSONPath) or `value` (static or Mustache); declared scalar types are
 *   coerced where lossless ("42" → 42 for number/integer, "true" → true, 42 → "42" for string);
 *   anything that does not convert stays as it is; missing → null;
 * - a `value` that is a JSONPath (`$...`) and no `mapping` is read as the mapping (the engine
 *   does this for named parameters; Capstan for all);
 * - object: `properties`, each resolved against the same root (as the engine); `values` +
 *   `mapping` maps every entry of the object found; `mapping` alone (de-facto) passes the node
 *   through whole;
 * - array: `mapping` finds the array (a single non-array value becomes a one-element array);
 *   `items` (an object, or the first of a list) shapes each element, `$` being the element;
 * - `maxLength` truncates strings.
 */
import type { ConsumedOutput, OutputParam } from '@capstan/spec';
import { generatedObject, generatedThen } from './generated-access.js';
import { jsonPath, pathReader } from './jsonpath.js';
import { render, type Scope } from './mustache.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const INTEGER = /^-?(0|[1-9]\d*)$/;

/** Converts a value to a declared scalar type when nothing is lost; otherwise returns it unchanged. */
export function coerce(type: string | undefined, value: unknown): unknown {
  return coercer(type)(value);
}

/** A value converted to one scalar type (absent → null). */
type Coercion = (value: unknown) => unknown;

const toNumber: Coercion = (value) => {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' && NUMBER.test(value.trim()) && Number.isFinite(Number(value)) ? Number(value) : value;
};
const toInteger: Coercion = (value) => {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' && INTEGER.test(value.trim()) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
};
const toBoolean: Coercion = (value) => {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' && /^(true|false)$/i.test(value.trim()) ? value.trim().toLowerCase() === 'true' : value;
};
const toText: Coercion = (value) => {
  if (value === undefined || value === null) return null;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
};
const asFound: Coercion = (value) => (value === undefined || value === null ? null : value);

/**
 * The conversion of a declared type, chosen once: the types come from the spec as strings that
 * are not interned, so matching one against each type name per value compares their characters.
 */
function coercer(type: string | undefined): Coercion {
  switch (type) {
    case 'number':
      return toNumber;
    case 'integer':
      return toInteger;
    case 'boolean':
      return toBoolean;
    case 'string':
      return toText;
    default:
      return asFound;
  }
}

function truncate(p: OutputParam, value: unknown): unknown {
  return typeof value === 'string' && typeof p.maxLength === 'number' && value.length > p.maxLength ? value.slice(0, p.maxLength) : value;
}

/** The JSONPath of a parameter: `mapping`, or a `value` that is a JSONPath. */
function mappingOf(p: OutputParam): string | undefined {
  if (p.mapping !== undefined) return p.mapping;
  return typeof p.value === 'string' && p.value.trim().startsWith('$') ? p.value.trim() : undefined;
}

const firstItem = (p: OutputParam): OutputParam | undefined => (Array.isArray(p.items) ? (p.items as OutputParam[])[0] : (p.items as OutputParam | undefined));
const hasShape = (p: OutputParam): boolean => mappingOf(p) !== undefined || p.value !== undefined || !!p.properties || !!p.items || !!p.values;

/** An output parameter compiled into a function of the root (the converted answer, or the current element). */
type OutputReader = (root: unknown, scope: Scope) => unknown;

const compiled = new WeakMap<OutputParam, OutputReader>();
const alwaysNull: OutputReader = () => null;

/**
 * The compiled reader of an output parameter, built on first use and kept with the graph's
 * parameter object: a request only runs the closures, nothing is interpreted again.
 */
function outputReader(p: OutputParam): OutputReader {
  let reader = compiled.get(p);
  if (!reader) compiled.set(p, (reader = compileOutput(p)));
  return reader;
}

/** A scalar taken as found: truncated, then coerced to the declared type. */
function scalarOf(p: OutputParam): OutputReader {
  // The conversion is chosen once, not per value; without a maxLength nothing is cut.
  const convert = coercer(p.type);
  if (typeof p.maxLength !== 'number') return convert;
  return (found) => convert(truncate(p, found));
}

/** Reads an element of an array, or a value of an object, with the parameter's shape. */
const elementReader = (p: OutputParam): OutputReader => (hasShape(p) ? outputReader(p) : scalarOf(p));

function compileOutput(p: OutputParam): OutputReader {
  const mapping = mappingOf(p);
  if (p.value !== undefined && mapping === undefined) {
    const template = String(p.value);
    return (_root, scope) => coerce(p.type, truncate(p, render(template, scope)));
  }
  const read = mapping === undefined ? undefined : pathReader(mapping);
  if (p.type === 'array') {
    if (!read) return alwaysNull;
    const items = firstItem(p);
    const each = items ? elementReader(items) : undefined;
    return (root, scope) => {
      const found = read(root);
      if (found === undefined || found === null) return null;
      const list = Array.isArray(found) ? found : [found];
      return each ? list.map((e) => each(e, scope)) : list;
    };
  }
  if (p.type === 'object') {
    if (p.values && read) {
      const each = elementReader(p.values as unknown as OutputParam);
      return (root, scope) => {
        const found = read(root);
        if (!isPlainObject(found)) return null;
        return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, each(v, scope)]));
      };
    }
    if (p.properties) return propertiesReader(Object.entries(p.properties).map(([k, prop]) => [k, outputReader(prop)]));
    if (read) return (root) => read(root) ?? null;
    return alwaysNull;
  }
  // Nothing to read: coerce gives null for an absent value.
  if (!read) return alwaysNull;
  const scalar = scalarOf(p);
  return generatedThen(read, scalar) ?? ((root, scope) => scalar(read(root), scope));
}

/** An object with one entry per property, each read against the same root (absent → null). */
function propertiesReader(fields: Array<[string, OutputReader]>): OutputReader {
  // `__proto__` as a plain assignment would set the prototype: only fromEntries defines it as a key.
  if (fields.some(([k]) => k === '__proto__')) return (root, scope) => Object.fromEntries(fields.map(([k, r]) => [k, r(root, scope) ?? null]));
  const generated = generatedObject(fields.map(([k]) => k), fields.map(([, r]) => r));
  if (generated) return generated;
  return (root, scope) => {
    const out: Record<string, unknown> = {};
    for (const [k, r] of fields) out[k] = r(root, scope) ?? null;
    return out;
  };
}

/** Resolves one output parameter against a root (the converted answer, or the current element). */
export function resolveOutput(p: OutputParam, root: unknown, scope: Scope): unknown {
  return outputReader(p)(root, scope);
}

/**
 * Simple-mode result: several outputs, all named → an object keyed by name; otherwise the first
 * output that resolves (engine). `resolved: false` means nothing resolved: the caller passes the
 * upstream answer through, as the engine does.
 */
export function mapOutputs(outputs: readonly OutputParam[], root: unknown, scope: Scope): { resolved: boolean; value: unknown } {
  if (outputs.length > 1 && outputs.every((o) => o.name)) {
    return { resolved: true, value: Object.fromEntries(outputs.map((o) => [o.name!, resolveOutput(o, root, scope) ?? null])) };
  }
  for (const o of outputs) {
    const value = resolveOutput(o, root, scope);
    if (value !== null && value !== undefined) return { resolved: true, value };
  }
  return { resolved: false, value: null };
}

function mockValue(p: OutputParam, scope: Scope): unknown {
  if (p.value !== undefined) return coerce(p.type, truncate(p, render(String(p.value), scope)));
  if (p.type === 'object' && p.properties) {
    const entries = Object.entries(p.properties).flatMap(([k, prop]) => {
      const v = mockValue(prop, scope);
      return v === null || v === undefined ? [] : [[k, v] as const];
    });
    return entries.length ? Object.fromEntries(entries) : null;
  }
  if (p.type === 'array') {
    const items = firstItem(p);
    const v = items ? mockValue(items, scope) : null;
    return v === null || v === undefined ? null : [v];
  }
  return null;
}

/** Mock mode: an object keyed by output name (`value` when unnamed); undefined when nothing has a value. */
export function buildMock(outputs: readonly OutputParam[], scope: Scope): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const p of outputs) {
    const v = mockValue(p, scope);
    if (v !== null && v !== undefined) out[p.name ?? 'value'] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function shape(p: OutputParam, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (p.type === 'object' && p.properties && isPlainObject(value)) {
    const out = { ...value };
    for (const [k, prop] of Object.entries(p.properties)) if (k in out) out[k] = shape(prop, out[k]);
    return out;
  }
  if (p.type === 'array' && Array.isArray(value)) {
    const items = firstItem(p);
    return items ? value.map((e) => shape(items, e)) : value;
  }
  return coerce(p.type, value);
}

/**
 * Orchestrated result shaping: declared (named) outputs coerce the scalar values that mappings
 * produced, lossless only; nothing is added or removed. Array `items` given as a list of named
 * fields describe the fields of each element.
 */
export function shapeOrchestrated(outputs: readonly OutputParam[], assembled: Record<string, unknown>): Record<string, unknown> {
  const out = { ...assembled };
  for (const p of outputs) {
    if (!p.name || !(p.name in out)) continue;
    if (p.type === 'array' && Array.isArray(p.items) && Array.isArray(out[p.name])) {
      const fields = p.items as OutputParam[];
      out[p.name] = (out[p.name] as unknown[]).map((e) => (isPlainObject(e) ? shapeOrchestrated(fields, e) : e));
    } else {
      out[p.name] = shape(p, out[p.name]);
    }
  }
  return out;
}

/**
 * A call step's stored output (engine `resolveStepOutput`): without consumed outputs, the answer;
 * for an array answer, each object element gets the named outputs added (computed on it); for
 * an object answer, a new object with only the named outputs.
 */
export function stepOutput(consumed: readonly ConsumedOutput[], raw: unknown): unknown {
  if (!consumed.length) return raw;
  const named = consumed.filter((o) => o.name && o.name !== 'undefined');
  const project = (root: unknown): Array<[string, unknown]> => named.map((o) => [o.name, coerce(o.type, jsonPath(root, o.mapping))]);
  if (Array.isArray(raw)) return raw.map((e) => (isPlainObject(e) ? { ...e, ...Object.fromEntries(project(e)) } : e));
  if (named.length) return Object.fromEntries(project(raw));
  return jsonPath(raw, consumed[0]!.mapping) ?? null;
}
