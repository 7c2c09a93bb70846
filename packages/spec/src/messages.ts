/**
 * Turns schema findings into diagnostics a spec author can act on: where, what is wrong, what
 * was expected and how to fix it. No schema paths, no Ajv jargon.
 */
import type { Diagnostic } from './diagnostics.js';
import { DEFACTO_KEYWORD, schemaAt, type SchemaObject } from './schema.js';
import type { PathSegment, SourceDocument } from './source.js';
import { closest, quoteList } from './suggest.js';
import type { SchemaFinding } from './validate.js';

/** Plain-words descriptions of the patterns the spec uses. */
const PATTERNS: Record<string, { what: string; fix?: (v: string) => string }> = {
  '^[a-zA-Z0-9-]+$': { what: 'letters, digits and hyphens only (a kebab-case identifier such as `list-ships`)', fix: (v) => v.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+|-+$/g, '') },
  '^[a-zA-Z0-9-_*]+$': { what: 'letters, digits, `-`, `_` and `*` only', fix: (v) => v.replace(/[^a-zA-Z0-9\-_*]+/g, '_') },
  '^[a-zA-Z0-9-_]+$': { what: 'letters, digits, `-` and `_` only', fix: (v) => v.replace(/[^a-zA-Z0-9\-_]+/g, '_') },
  '^[A-Z][A-Z0-9_]*$': { what: 'an upper-case variable name such as `API_TOKEN`', fix: (v) => v.toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/^[^A-Z]+/, '') },
  '^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+$': { what: '`namespace.name`, e.g. `registry.list-ships` (two kebab-case identifiers joined by one dot)' },
  '^https?://[^/]+(/[^{]*)?$': { what: 'an http(s) URL with no `{` placeholders, e.g. `https://api.example.com/v1`' },
  '^[a-zA-Z][a-zA-Z0-9+.-]*://': { what: 'a URI with a scheme, e.g. `file:///./secrets.yaml`' },
  '^file:///': { what: 'a `file:///` URI, e.g. `file:///./skills/fleet`' },
  '^[a-zA-Z0-9-_.]+$': { what: 'letters, digits, `-`, `_` and `.` only (dots nest, e.g. `ship.name`)' },
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$': { what: 'a date written YYYY-MM-DD' },
};

type Ctx = { doc: SourceDocument; schema: SchemaObject };

/** Diagnostics for the findings of one document, typo'd keys merged with the key they miss. */
export function describeFindings(findings: SchemaFinding[], doc: SourceDocument, schema: SchemaObject): Diagnostic[] {
  const ctx: Ctx = { doc, schema };
  const missing = findings.filter((f) => f.keyword === 'required');
  const consumed = new Set<SchemaFinding>();
  const out: Diagnostic[] = [];
  for (const f of findings) {
    if (f.keyword !== 'additionalProperties' && f.keyword !== 'unevaluatedProperties') continue;
    const key = String(f.params.additionalProperty ?? f.params.unevaluatedProperty);
    const known = knownKeys(f.parentSchema, schema);
    const missingHere = missing.filter((m) => samePath(m.path, f.path)).map((m) => String(m.params.missingProperty));
    const suggestion = closest(key, missingHere) ?? closest(key, known);
    for (const m of missing) if (samePath(m.path, f.path) && m.params.missingProperty === suggestion) consumed.add(m);
    out.push(diag(ctx, [...f.path, key], 'key', 'unknown-key', `unknown key \`${key}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}${where(f.path)}`, {
      expected: known.length > 0 && known.length <= 16 ? `one of ${quoteList(known)}` : undefined,
      fix: suggestion ? `rename \`${key}\` to \`${suggestion}\`` : `remove \`${key}\``,
    }));
  }
  for (const f of findings) {
    if (f.keyword === 'additionalProperties' || f.keyword === 'unevaluatedProperties' || consumed.has(f)) continue;
    out.push(describeOne(ctx, f));
  }
  return out;
}

function describeOne(ctx: Ctx, f: SchemaFinding): Diagnostic {
  const name = fieldName(f.path);
  const data = f.data;
  switch (f.keyword) {
    case 'required': {
      const key = String(f.params.missingProperty);
      const about = firstSentence(propertySchema(f.parentSchema, key, ctx.schema)?.description);
      return diag(ctx, f.path, 'key', 'missing-key', `missing required key \`${key}\`${where(f.path)}`, {
        expected: about,
        fix: `add \`${key}:\`${f.path.length ? ` under ${name}` : ' at the top level'}`,
      });
    }
    case 'enum': {
      const allowed = (f.params.allowedValues as unknown[]).map(String);
      const got = typeof data === 'string' ? data : JSON.stringify(data);
      const suggestion = typeof data === 'string' ? closest(data, allowed) : undefined;
      return diag(ctx, f.path, 'value', 'bad-value', `${name} must be one of ${allowed.join(', ')}; got \`${got}\``, {
        expected: `one of ${quoteList(allowed)}`,
        fix: suggestion ? `did you mean \`${suggestion}\`?` : `use one of ${quoteList(allowed)}`,
      });
    }
    case 'const':
      return diag(ctx, f.path, 'value', 'bad-value', `${name} must be \`${String(f.params.allowedValue)}\`; got \`${typeof data === 'string' ? data : JSON.stringify(data)}\``, {
        fix: `write \`${String(f.params.allowedValue)}\``,
      });
    case 'type': {
      const want = String(f.params.type).replace(/,/g, ' or ');
      return diag(ctx, f.path, 'value', 'wrong-type', `${name} must be ${article(want)} ${want}; found ${describeValue(data)}`, {
        fix: fixForType(want, data),
      });
    }
    case 'pattern': {
      const known = PATTERNS[String(f.params.pattern)];
      const fixed = known?.fix && typeof data === 'string' ? known.fix(data) : undefined;
      return diag(ctx, f.path, 'value', 'bad-format', `${name} \`${String(data)}\` is not valid: expected ${known?.what ?? `text matching \`${String(f.params.pattern)}\``}`, {
        expected: known?.what ?? `text matching \`${String(f.params.pattern)}\``,
        fix: fixed && fixed !== data ? `for example \`${fixed}\`` : undefined,
      });
    }
    case 'format':
      return diag(ctx, f.path, 'value', 'bad-format', `${name} \`${String(data)}\` is not a valid ${String(f.params.format)}`, {});
    case 'minItems':
      return diag(ctx, f.path, 'value', 'too-few-items', `${name} must list at least ${String(f.params.limit)} item${f.params.limit === 1 ? '' : 's'}`, {
        fix: `add an item to ${name}, or remove ${name} altogether`,
      });
    case 'minProperties':
      return diag(ctx, f.path, 'value', 'too-few-items', `${name} must have at least ${String(f.params.limit)} entr${f.params.limit === 1 ? 'y' : 'ies'}`, {});
    case 'maxLength':
    case 'minLength':
      return diag(ctx, f.path, 'value', 'bad-length', `${name} must be ${f.keyword === 'maxLength' ? 'at most' : 'at least'} ${String(f.params.limit)} characters long (it has ${String(data).length})`, {});
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return diag(ctx, f.path, 'value', 'out-of-range', `${name} must be ${String(f.params.comparison)} ${String(f.params.limit)}; got ${JSON.stringify(data)}`, {});
    case 'false schema':
      return diag(ctx, f.path, 'key', 'key-not-allowed', `${name} is not allowed here${where(f.path.slice(0, -1))}`, { fix: `remove ${name}` });
    case 'oneOf-ambiguous':
      return describeAmbiguous(ctx, f);
    case 'not':
      return diag(ctx, f.path, 'key', 'conflicting-keys', `${name} combines keys that cannot be used together`, {});
    case 'dependentRequired':
      return diag(ctx, f.path, 'key', 'missing-key', `\`${String(f.params.property)}\` needs \`${String(f.params.missingProperty)}\`${where(f.path)}`, {
        fix: `add \`${String(f.params.missingProperty)}:\``,
      });
    case 'oneOf':
    case 'anyOf':
      return diag(ctx, f.path, 'key', 'no-matching-form', `${name} matches none of the allowed forms`, {});
    default:
      return diag(ctx, f.path, 'value', 'schema', `${name} ${f.ajvMessage}`, {});
  }
}

function describeAmbiguous(ctx: Ctx, f: SchemaFinding): Diagnostic {
  const value = f.data as Record<string, unknown> | undefined;
  if (f.path.length === 0 && value && 'capability' in value && 'consumes' in value) {
    return diag(ctx, ['consumes'], 'key', 'ambiguous-form', 'a document holds either `capability` (a capability document) or a root `consumes` (a shared consumes file), not both', {
      fix: 'move the root `consumes` entries under `capability.consumes`, or into a separate shared consumes file',
    });
  }
  return diag(ctx, f.path, 'key', 'ambiguous-form', `${fieldName(f.path)} matches more than one allowed form`, {
    fix: 'remove the keys that belong to the other form',
  });
}

function diag(ctx: Ctx, path: PathSegment[], part: 'key' | 'value', code: string, message: string, extra: { expected?: string | undefined; fix?: string | undefined }): Diagnostic {
  return {
    file: ctx.doc.file,
    ...ctx.doc.locate(path, part),
    severity: 'error',
    code,
    message,
    path: [...path],
    ...(extra.expected ? { expected: extra.expected } : {}),
    ...(extra.fix ? { fix: extra.fix } : {}),
  };
}

/** `name` for the last key of a path, `tools[2]` for an item. */
export function fieldName(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the document';
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `\`${parent === undefined ? '' : String(parent)}[${last}]\``;
  }
  return `\`${last}\``;
}

/** A dotted path for messages, e.g. ` in capability.exposes[0]`. */
function where(path: readonly PathSegment[]): string {
  if (path.length === 0) return '';
  return ` in \`${path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('')}\``;
}

function samePath(a: PathSegment[], b: PathSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
}

/** The property keys a subschema declares (through `$ref` and combinators), without de-facto ones. */
function knownKeys(node: unknown, root: SchemaObject): string[] {
  const marked = new Set<string>();
  const keys = collectKeys(node, root, 0, marked);
  return keys.filter((k) => !marked.has(k));
}

function collectKeys(node: unknown, root: SchemaObject, depth: number, marked: Set<string>): string[] {
  if (!node || typeof node !== 'object' || depth > 8) return [];
  const s = node as SchemaObject;
  const keys: string[] = [];
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) keys.push(...collectKeys(schemaAt(root, s.$ref.slice(1)), root, depth + 1, marked));
  if (DEFACTO_KEYWORD in s && s.properties && typeof s.properties === 'object') for (const k of Object.keys(s.properties)) marked.add(k);
  if (s.properties && typeof s.properties === 'object') {
    for (const [k, v] of Object.entries(s.properties as SchemaObject)) {
      if (v && typeof v === 'object' && DEFACTO_KEYWORD in v) marked.add(k);
      else if (v !== false) keys.push(k);
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(s[key])) for (const b of s[key] as unknown[]) keys.push(...collectKeys(b, root, depth + 1, marked));
  }
  return [...new Set(keys)];
}

function propertySchema(node: unknown, key: string, root: SchemaObject, depth = 0): SchemaObject | undefined {
  if (!node || typeof node !== 'object' || depth > 8) return undefined;
  const s = node as SchemaObject;
  const direct = (s.properties as SchemaObject | undefined)?.[key];
  if (direct && typeof direct === 'object') {
    const d = direct as SchemaObject;
    return typeof d.$ref === 'string' && !d.description ? (schemaAt(root, d.$ref.slice(1)) as SchemaObject | undefined) : d;
  }
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) return propertySchema(schemaAt(root, s.$ref.slice(1)), key, root, depth + 1);
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (!Array.isArray(s[k])) continue;
    for (const b of s[k] as unknown[]) {
      const found = propertySchema(b, key, root, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function firstSentence(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text) return undefined;
  const m = /^(.*?[.!?])(?=\s+[A-Z]|$)/s.exec(text);
  return (m?.[1] ?? text).trim();
}

function describeValue(v: unknown): string {
  if (v === null) return 'an empty value (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text \`${v.length > 40 ? `${v.slice(0, 40)}…` : v}\``;
  return `${typeof v} \`${String(v)}\``;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function fixForType(want: string, data: unknown): string | undefined {
  if ((want === 'integer' || want === 'number') && typeof data === 'string' && data.trim() !== '' && !Number.isNaN(Number(data))) return `remove the quotes: \`${data}\``;
  if (want === 'string' && (typeof data === 'number' || typeof data === 'boolean')) return `quote the value: \`"${String(data)}"\``;
  if (want === 'array' && data !== null && typeof data !== 'object') return 'write it as a list, one `- item` per line';
  if (want === 'boolean' && typeof data === 'string' && /^(true|false)$/i.test(data)) return `remove the quotes: \`${data.toLowerCase()}\``;
  if (data === null) return 'give it a value, or remove the key';
  return undefined;
}
