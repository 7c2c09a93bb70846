/**
 * Mustache rendering with the reference engine's semantics, on the `mustache` package:
 * - a missing or null value renders "";
 * - arrays render as JSON (so `"crewIds": {{crewIds}}` builds a JSON array); objects render as
 *   JSON too (the engine prints Java's `toString()`, which no consumer can parse: a deliberate
 *   difference);
 * - no HTML escaping;
 * - a name is looked up as an exact key first (`{{voyage-id}}`, `{{a.b}}` as one key), then as a
 *   dotted path through nested objects (`{{get-ship.imo}}`, `{{env.TOKEN}}`);
 * - an empty parameter map is not special (the engine returns the template unchanged).
 *
 * Values come from layers searched in order (request parameters, then step outputs, then binds),
 * so a bind never shadows a caller's parameter.
 *
 * Templates are rendered in one of three modes, chosen by where the text goes:
 * - `plain`: values as text;
 * - `json`: for JSON bodies. A `{{x}}` inside a JSON string literal of the template is
 *   JSON-escaped (a caller's `"` cannot break out of the string); outside a string literal, a
 *   missing value renders `null` instead of nothing, and strings go in unchanged
 *   (`"count": {{count}}`). `{{{x}}}`/`{{&x}}` always insert the plain text.
 * - `form`: for `application/x-www-form-urlencoded` text; `{{x}}` is form-encoded.
 */
import Mustache from 'mustache';

/** Value layers a template reads, highest precedence first. */
export type Scope = ReadonlyArray<Readonly<Record<string, unknown>>>;

/** How `{{x}}` values are escaped for the text they land in. */
export type RenderMode = 'plain' | 'json' | 'form';

const hasOwn = (value: unknown, key: string): boolean =>
  value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key);

/** Looks `name` up in one value: exact key, then dotted navigation (own properties only). */
function findIn(view: unknown, name: string): { found: boolean; value?: unknown } {
  if (hasOwn(view, name)) return { found: true, value: (view as Record<string, unknown>)[name] };
  if (!name.includes('.')) return { found: false };
  let current: unknown = view;
  for (const part of name.split('.')) {
    if (!hasOwn(current, part)) return { found: false };
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

/**
 * Marks a layer as the only source of some top-level names (`caller`, `credential`): a lookup of
 * such a name reads that layer and never falls through to inputs or binds, so a caller's input
 * named `caller` cannot stand in for the verified identity.
 */
export const OWNED_NAMES: unique symbol = Symbol('owned template names');

/** The value a template name refers to in a scope, or undefined. */
export function lookup(scope: Scope, name: string): unknown {
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  for (const layer of scope) {
    const owned = (layer as { [OWNED_NAMES]?: ReadonlySet<string> })[OWNED_NAMES];
    if (owned?.has(head)) return findIn(layer, name).value;
  }
  for (const layer of scope) {
    const hit = findIn(layer, name);
    if (hit.found) return hit.value;
  }
  return undefined;
}

/** A value as template text: missing → "", arrays and objects → JSON. */
export function toText(value: unknown): string {
  if (value === undefined || value === null || typeof value === 'function' || typeof value === 'symbol') return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Mustache context over layers; sections push plain values on top. */
class LayeredContext extends Mustache.Context {
  constructor(
    view: unknown,
    parent: Mustache.Context | undefined,
    private readonly scope?: Scope,
  ) {
    super(view, parent);
  }

  override push(view: unknown): Mustache.Context {
    return new LayeredContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === '.') return this.scope ? undefined : this.view;
    if (this.scope) return lookup(this.scope, name);
    const hit = findIn(this.view, name);
    if (hit.found) return hit.value;
    return this.parent?.lookup(name);
  }
}

/** A writer that formats values per mode and tracks JSON string literals in the template text. */
class EngineWriter extends Mustache.Writer {
  private readonly literal: JsonLiteralState = { inString: false, backslash: false };

  constructor(private readonly mode: RenderMode) {
    super();
  }

  override render(template: string, view: unknown): string {
    this.literal.inString = false;
    this.literal.backslash = false;
    return super.render(template, view, undefined, { escape: (v: unknown) => toText(v) });
  }

  override renderTokens(tokens: string[][], context: Mustache.Context, partials?: Mustache.PartialsOrLookupFn, originalTemplate?: string, config?: Mustache.RenderOptions): string {
    let out = '';
    for (const token of tokens) {
      const kind = token[0];
      const name = token[1] ?? '';
      if (kind === 'text') {
        if (this.mode === 'json') trackJsonLiteral(name, this.literal);
        out += name;
      } else if (kind === 'name') {
        out += this.escaped(context.lookup(name));
      } else if (kind === '&') {
        out += toText(context.lookup(name));
      } else if (kind === '#') {
        out += this.renderSection(token, context, partials, originalTemplate, config) ?? '';
      } else if (kind === '^') {
        out += this.renderInverted(token, context, partials, originalTemplate, config) ?? '';
      }
      // Partials, comments and delimiter changes produce nothing: no partials are ever given.
    }
    return out;
  }

  private escaped(value: unknown): string {
    return escapeValue(this.mode, this.literal.inString, value);
  }
}

/** Where template text has got to in JSON terms: inside a string literal, just after a backslash. */
interface JsonLiteralState {
  inString: boolean;
  backslash: boolean;
}

/** Follows `"` in template text (not in values) to know whether the next tag sits in a JSON string. */
function trackJsonLiteral(text: string, state: JsonLiteralState): void {
  for (const ch of text) {
    if (state.backslash) state.backslash = false;
    else if (ch === '\\' && state.inString) state.backslash = true;
    else if (ch === '"') state.inString = !state.inString;
  }
}

/** `application/x-www-form-urlencoded` encoding of one value. */
export function formEncode(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

const writers: Record<RenderMode, EngineWriter> = { plain: new EngineWriter('plain'), json: new EngineWriter('json'), form: new EngineWriter('form') };

/** Renders a template against a scope. Throws on a malformed template (an unclosed tag). */
export function render(template: string, scope: Scope, mode: RenderMode = 'plain'): string {
  if (!template.includes('{{')) return template;
  return compiled(template, mode)(scope);
}

function renderWithWriter(template: string, scope: Scope, mode: RenderMode): string {
  try {
    return writers[mode].render(template, new LayeredContext(undefined, undefined, scope));
  } catch (err) {
    throw new Error(`invalid template ${JSON.stringify(template.length > 80 ? `${template.slice(0, 80)}…` : template)}: ${(err as Error).message}`);
  }
}

/** A template turned into a function of the scope, once. */
type CompiledTemplate = (scope: Scope) => string;

/** Templates come from capability files: a few per operation. The bound only guards against misuse. */
const MAX_COMPILED = 10_000;
const compiledTemplates: Record<RenderMode, Map<string, CompiledTemplate>> = { plain: new Map(), json: new Map(), form: new Map() };

function compiled(template: string, mode: RenderMode): CompiledTemplate {
  const cache = compiledTemplates[mode];
  let fn = cache.get(template);
  if (!fn) {
    if (cache.size >= MAX_COMPILED) cache.clear();
    fn = compile(template, mode);
    cache.set(template, fn);
  }
  return fn;
}

/** A piece of a compiled template: literal text, or a tag with what the writer would know at that point. */
type Piece = string | { name: string; raw: boolean; inString: boolean };

/**
 * Compiles a template made of text and value tags (`{{x}}`, `{{{x}}}`, `{{&x}}`) into a closure
 * that gives what `EngineWriter` gives: the same lookups, the same escaping per mode, and in JSON
 * mode the same string-literal tracking, done once over the template text. Templates with
 * sections, comments or delimiter changes, and malformed ones, keep going through the writer.
 */
function compile(template: string, mode: RenderMode): CompiledTemplate {
  let tokens: string[][];
  try {
    tokens = writers[mode].parse(template) as unknown as string[][];
  } catch {
    return (scope) => renderWithWriter(template, scope, mode);
  }
  if (!tokens.every((t) => t[0] === 'text' || t[0] === 'name' || t[0] === '&')) return (scope) => renderWithWriter(template, scope, mode);
  const pieces: Piece[] = [];
  const literal: JsonLiteralState = { inString: false, backslash: false };
  for (const [kind, value = ''] of tokens) {
    if (kind !== 'text') {
      pieces.push({ name: value, raw: kind === '&', inString: literal.inString });
      continue;
    }
    pieces.push(value);
    if (mode === 'json') trackJsonLiteral(value, literal);
  }
  return (scope) => {
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') out += piece;
      else {
        const value = piece.name === '.' ? undefined : lookup(scope, piece.name);
        out += piece.raw ? toText(value) : escapeValue(mode, piece.inString, value);
      }
    }
    return out;
  };
}

/** A `{{x}}` value as text for the place it lands in (the writer's `escaped`). */
function escapeValue(mode: RenderMode, inString: boolean, value: unknown): string {
  if (mode === 'form') return formEncode(toText(value));
  if (mode === 'plain') return toText(value);
  if (inString) return JSON.stringify(toText(value)).slice(1, -1);
  if (value === undefined || value === null) return 'null';
  return toText(value);
}

/** The variable name when a template is exactly one `{{name}}` tag (so the value can keep its type). */
export function singleTag(template: string): string | undefined {
  const m = /^\s*\{\{\s*([^{}#^/!>&=\s][^{}\s]*)\s*\}\}\s*$/.exec(template);
  return m?.[1];
}
