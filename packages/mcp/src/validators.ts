/** Argument and result validation for MCP tools: compiled validators shared process-wide. */
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';

/** The process's one Ajv instance, made (and Ajv loaded) when the first tool validator is compiled. */
let sharedAjv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function ajv(): Ajv {
  if (!sharedAjv) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    sharedAjv = new AjvClass({ allErrors: true, strict: false });
  }
  return sharedAjv;
}

/**
 * One compiled validator per distinct schema, process-wide and on first use: a gateway serving
 * hundreds of capabilities has thousands of tools whose schemas are mostly identical, and
 * compiling them all up front dominated start-up.
 */
export function validatorFor(schema: object): () => ValidateFunction {
  const key = JSON.stringify(schema);
  return () => {
    let fn = validators.get(key);
    if (!fn) validators.set(key, (fn = ajv().compile(schema)));
    return fn;
  };
}

/** Removes `null` object properties (absent optional fields) so a value can match an output schema. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
