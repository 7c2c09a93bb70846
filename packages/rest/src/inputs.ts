/**
 * Reads an operation's declared inputs from an HTTP request: path, query, header, cookie and body,
 * resource-level parameters overridden by operation-level ones, then checks and coerces them.
 */
import type { EnumValue, ExposedParam } from '@capstan/spec';
import { jsonPath } from '@capstan/runtime';

/** The parts of a request inputs come from. */
export interface RequestParts {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The JSON body text as received, when the body was JSON. */
  jsonText?: string | undefined;
}

/** A problem with one input, for the 400 answer's `errors`. */
export interface InputIssue {
  name: string;
  in: string;
  message: string;
}

/** Inputs by name, or the list of what is wrong with them. */
export type InputResult = { ok: true; inputs: Record<string, unknown> } | { ok: false; issues: InputIssue[] };

/** The effective parameters of an operation: resource ones, replaced by operation ones with the same name and location. */
export function effectiveParams(resourceParams: readonly ExposedParam[], operationParams: readonly ExposedParam[]): ExposedParam[] {
  return [...resourceParams.filter((r) => !operationParams.some((o) => o.name === r.name && o.in === r.in)), ...operationParams];
}

/**
 * Extracts every declared parameter (and every path placeholder, declared or not), enforces
 * `required` and coerces strings to the declared type where that loses nothing.
 */
export function readInputs(params: readonly ExposedParam[], placeholders: readonly string[], parts: RequestParts): InputResult {
  const inputs: Record<string, unknown> = {};
  const issues: InputIssue[] = [];
  for (const name of placeholders) {
    // A path placeholder is always required, declared or not (a declared one is reported below).
    if (parts.params[name] !== undefined && parts.params[name] !== '') inputs[name] = parts.params[name];
    else if (!params.some((p) => p.in === 'path' && p.name === name)) issues.push({ name, in: 'path', message: `required path parameter \`${name}\` is missing` });
  }
  for (const p of params) {
    if (p.raw) {
      // The forwarded body: its text as received, so the upstream gets the caller's bytes.
      if (parts.jsonText !== undefined) inputs[p.name] = parts.jsonText;
      else if (parts.body !== undefined && parts.body !== null && parts.body !== '') issues.push({ name: p.name, in: p.in, message: `the request body is forwarded as JSON; send it with \`Content-Type: application/json\`` });
      continue;
    }
    const raw = rawValue(p, parts);
    if (raw === undefined || raw === null || raw === '') {
      if (p.required || p.in === 'path') issues.push({ name: p.name, in: p.in, message: `required ${p.in} parameter \`${p.name}\` is missing` });
      continue;
    }
    const coerced = coerce(raw, p);
    if (!coerced.ok) {
      issues.push({ name: p.name, in: p.in, message: coerced.message });
      continue;
    }
    if (p.pattern && typeof coerced.value === 'string' && !safePattern(p.pattern).test(coerced.value)) {
      issues.push({ name: p.name, in: p.in, message: `\`${p.name}\` does not match the pattern \`${p.pattern}\`` });
      continue;
    }
    if (p.enum && !p.enum.includes(coerced.value as EnumValue)) {
      issues.push({ name: p.name, in: p.in, message: `\`${p.name}\` must be one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')}; got ${preview(coerced.value)}` });
      continue;
    }
    inputs[p.name] = coerced.value;
  }
  return issues.length ? { ok: false, issues } : { ok: true, inputs };
}

function rawValue(p: ExposedParam, parts: RequestParts): unknown {
  // A static value wins over the request (engine behaviour); `$…` is a JSONPath on the body.
  if (p.value !== undefined && !p.value.startsWith('$')) return p.value;
  switch (p.in) {
    case 'path':
      return parts.params[p.name];
    case 'query':
      return parts.query[p.name];
    case 'header':
      return parts.headers[p.name.toLowerCase()];
    case 'cookie':
      return readCookie(parts.headers.cookie, p.name);
    case 'environment':
      return undefined; // never read from the caller: environment values are the executor's business
    default: {
      if (p.value !== undefined) return jsonPath(parts.body, p.value);
      const body = parts.body;
      if (body && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, p.name)) return (body as Record<string, unknown>)[p.name];
      // Deliberate difference from the engine, which falls back to the whole body for any name:
      // only a parameter named `body` means "the whole body", so optional fields stay absent.
      return p.name === 'body' ? body : undefined;
    }
  }
}

function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return undefined;
}

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

/** Converts request text to the declared type when the conversion is exact. */
export function coerce(raw: unknown, p: Pick<ExposedParam, 'name' | 'type'>): Coerced {
  const bad = (what: string): Coerced => ({ ok: false, message: `\`${p.name}\` must be ${what}; got ${preview(raw)}` });
  const scalar = Array.isArray(raw) && p.type !== 'array' ? raw[raw.length - 1] : raw;
  switch (p.type) {
    case 'integer':
    case 'number': {
      const n = typeof scalar === 'number' ? scalar : typeof scalar === 'string' && scalar.trim() !== '' ? Number(scalar) : NaN;
      if (!Number.isFinite(n)) return bad(p.type === 'integer' ? 'an integer' : 'a number');
      if (p.type === 'integer' && !Number.isInteger(n)) return bad('an integer');
      return { ok: true, value: n };
    }
    case 'boolean':
      if (typeof scalar === 'boolean') return { ok: true, value: scalar };
      if (scalar === 'true' || scalar === 'false') return { ok: true, value: scalar === 'true' };
      return bad('`true` or `false`');
    case 'array':
      if (Array.isArray(raw)) return { ok: true, value: raw };
      if (typeof raw === 'string') {
        const parsed = tryJson(raw);
        return { ok: true, value: Array.isArray(parsed) ? parsed : raw.split(',') };
      }
      return bad('an array');
    case 'object': {
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) return { ok: true, value: raw };
      const parsed = typeof raw === 'string' ? tryJson(raw) : undefined;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ok: true, value: parsed } : bad('an object');
    }
    default:
      if (typeof scalar === 'string') return { ok: true, value: scalar };
      if (typeof scalar === 'number' || typeof scalar === 'boolean') return { ok: true, value: String(scalar) };
      return bad('a string');
  }
}

/** A short rendering of a value for an error message: JSON cut at 80 characters, or its kind when it cannot be written (too deep). */
function preview(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return Array.isArray(value) ? 'a deeply nested array' : 'a deeply nested object';
  }
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const patterns = new Map<string, RegExp>();
function safePattern(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = /^/; // an invalid pattern in the spec never blocks callers; validate reports it
    }
    patterns.set(pattern, re);
  }
  return re;
}
