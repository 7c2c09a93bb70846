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
  private inString = false;
  private backslash = false;

  constructor(private readonly mode: RenderMode) {
    super();
  }

  override render(template: string, view: unknown): string {
    this.inString = false;
    this.backslash = false;
    return super.render(template, view, undefined, { escape: (v: unknown) => toText(v) });
  }

  override renderTokens(tokens: string[][], context: Mustache.Context, partials?: Mustache.PartialsOrLookupFn, originalTemplate?: string, config?: Mustache.RenderOptions): string {
    let out = '';
    for (const token of tokens) {
      const kind = token[0];
      const name = token[1] ?? '';
      if (kind === 'text') {
        this.track(name);
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
    if (this.mode === 'form') return formEncode(toText(value));
    if (this.mode === 'plain') return toText(value);
    if (this.inString) return JSON.stringify(toText(value)).slice(1, -1);
    if (value === undefined || value === null) return 'null';
    return toText(value);
  }

  /** Follows `"` in template text (not in values) to know whether the next tag sits in a JSON string. */
  private track(text: string): void {
    if (this.mode !== 'json') return;
    for (const ch of text) {
      if (this.backslash) this.backslash = false;
      else if (ch === '\\' && this.inString) this.backslash = true;
      else if (ch === '"') this.inString = !this.inString;
    }
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
  try {
    return writers[mode].render(template, new LayeredContext(undefined, undefined, scope));
  } catch (err) {
    throw new Error(`invalid template ${JSON.stringify(template.length > 80 ? `${template.slice(0, 80)}…` : template)}: ${(err as Error).message}`);
  }
}

/** The variable name when a template is exactly one `{{name}}` tag (so the value can keep its type). */
export function singleTag(template: string): string | undefined {
  const m = /^\s*\{\{\s*([^{}#^/!>&=\s][^{}\s]*)\s*\}\}\s*$/.exec(template);
  return m?.[1];
}
