/**
 * The corpus run suite's oracle: an independent, deliberately small model of what Capstan should
 * send upstream for one call (method, path, query, headers, body) and of what the caller should
 * get back, written from the spec decisions (../shared/spec/capstan-decisions.md), not from the
 * executor's code. It also synthesises caller inputs from declared types.
 *
 * Mustache here is the subset the corpus uses: `{{name}}` and `{{ns.name}}` lookups (exact key
 * first, then dotted), missing → "", arrays and objects → JSON. Sections are not modelled.
 */
import type { ConsumedApi, ConsumedAuth, ConsumedOperation, ConsumedParam, OutputParam, RequestBodySpec, WithMap } from '@capstan/spec';

/** Template layers, highest precedence first. */
export type Layers = ReadonlyArray<Readonly<Record<string, unknown>>>;

const own = (o: unknown, k: string): boolean => !!o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

function find(layer: unknown, name: string): { found: boolean; value?: unknown } {
  if (own(layer, name)) return { found: true, value: (layer as Record<string, unknown>)[name] };
  const parts = name.split('.');
  if (parts.length < 2) return { found: false };
  let node: unknown = layer;
  for (const part of parts) {
    if (!own(node, part)) return { found: false };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

/** The value of `name` in the first layer that has it. */
export function lookupIn(layers: Layers, name: string): unknown {
  for (const layer of layers) {
    const hit = find(layer, name);
    if (hit.found) return hit.value;
  }
  return undefined;
}

/** Template text of a value: missing → "", objects → JSON. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const TAG = /\{\{\{?\s*([^{}\s#^/!>&=][^{}\s]*)\s*\}?\}\}/g;

/** Renders `{{x}}` tags against the layers. */
export function renderLite(template: string, layers: Layers): string {
  return template.replace(TAG, (_m, name: string) => text(lookupIn(layers, name)));
}

/** Variable names used by `{{…}}` tags in a text. */
export function tagNames(template: string): string[] {
  return [...template.matchAll(TAG)].map((m) => m[1]!);
}

// ---- input synthesis ------------------------------------------------------------------------

export type DeclaredType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/**
 * Distinctive caller values: each names its input and carries a running number. Strings also
 * carry a space and a non-ASCII letter (unless `plain`, for header values), so that encoding on
 * the way in and out is exercised; `multiSegment` gives a two-segment path (proxy-style inputs).
 */
export class Synth {
  private n = 0;
  value(name: string, type: string | undefined, options: { multiSegment?: boolean; plain?: boolean } = {}): unknown {
    const n = ++this.n;
    const tag = `${name.replace(/[^A-Za-z0-9]+/g, '-')}-v${n}`;
    const multiSegment = options.multiSegment ?? false;
    switch (type) {
      case 'integer':
      case 'number':
        return 7000 + n;
      case 'boolean':
        return true;
      case 'array':
        return [`${tag}-a`, `${tag}-b`];
      case 'object':
        return { probe: tag, count: n, nested: { flag: true } };
      default:
        if (options.plain) return tag;
        return multiSegment ? `${tag}/sub ${n}é` : `${tag} é`;
    }
  }
}

// ---- the upstream request ---------------------------------------------------------------------

/** What the upstream must see for one call. */
export interface UpstreamExpectation {
  method: string;
  /** Encoded path from the origin (the echo base has no path). */
  rawPath: string;
  /** Query pairs, any order. */
  query: Array<[string, string]>;
  /** Lower-case header name → exact value. */
  headers: Record<string, string>;
  /** Headers that must be absent (e.g. `authorization` when the API has no authentication). */
  absentHeaders: string[];
  /** `undefined`: no body; otherwise the parsed JSON (or text) body. */
  body: unknown;
  /** False when the body is a form the oracle does not model (multipart). */
  bodyChecked: boolean;
  /** Path placeholders that render empty: an input was lost on the way. */
  emptyPlaceholders: string[];
  /** The parameter map after `with` and placement, for later templates. */
  params: Record<string, unknown>;
}

/**
 * `with` as the spec says: an input reference copies the caller's value (skipped when absent),
 * a template is rendered against the inputs then binds, a literal is copied. An input reference
 * whose case differs from the input's spelling binds case-insensitively (Capstan decision).
 */
export function applyWithModel(withMap: WithMap, inputs: Readonly<Record<string, unknown>>, binds: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...inputs };
  for (const [key, w] of Object.entries(withMap)) {
    if (w.from === 'input') {
      const name = own(inputs, w.name) ? w.name : Object.keys(inputs).find((k) => k.toLowerCase() === w.name.toLowerCase());
      if (name === undefined || inputs[name] === undefined) continue;
      out[key] = inputs[name];
    } else if (w.from === 'template') {
      out[key] = renderLite(w.template, [inputs, binds]);
    } else {
      out[key] = w.value;
    }
  }
  return out;
}

/** Adapter-level parameters, replaced by operation ones with the same name and location. */
function effectiveConsumedParams(api: ConsumedApi, op: ConsumedOperation): ConsumedParam[] {
  return [...api.inputParameters.filter((a) => !op.params.some((p) => p.name === a.name && p.in === a.in)), ...op.params];
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+?)\s*\}\}|\{\s*([^{}\s]+?)\s*\}/g;

/** Whether `name` is the trailing placeholder of a path template (`…/{name}` at the end). */
export function isTrailingPlaceholder(path: string, name: string): boolean {
  const pathOnly = path.split('?')[0]!;
  const matches = [...pathOnly.matchAll(PLACEHOLDER)];
  const last = matches[matches.length - 1];
  return !!last && (last[1] ?? last[2]) === name && last.index + last[0].length === pathOnly.length && pathOnly[last.index - 1] === '/';
}

/** The placeholder names of a path template, in order. */
export function placeholdersOf(path: string): string[] {
  return [...path.split('?')[0]!.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? m[2])!);
}

/** Fills a path template: each value percent-encoded (a trailing placeholder segment by segment). */
export function fillPath(path: string, valueOf: (name: string) => unknown, empty: string[] = []): { path: string; query: Array<[string, string]> } {
  const q = path.indexOf('?');
  const template = q >= 0 ? path.slice(0, q) : path;
  const literalQuery = q >= 0 ? [...new URLSearchParams(path.slice(q + 1))] : [];
  const matches = [...template.matchAll(PLACEHOLDER)];
  const last = matches[matches.length - 1];
  let out = '';
  let cursor = 0;
  const extraQuery: Array<[string, string]> = [];
  for (const m of matches) {
    out += template.slice(cursor, m.index);
    const name = (m[1] ?? m[2])!;
    let value = text(valueOf(name));
    if (value === '') empty.push(name);
    const trailing = m === last && m.index + m[0].length === template.length && template[m.index - 1] === '/';
    if (trailing) {
      const qi = value.indexOf('?');
      if (qi >= 0) {
        extraQuery.push(...new URLSearchParams(value.slice(qi + 1)));
        value = value.slice(0, qi);
      }
      out += value.split('/').map(encodeURIComponent).join('/');
    } else {
      out += encodeURIComponent(value);
    }
    cursor = m.index + m[0].length;
  }
  out += template.slice(cursor);
  if (!out.startsWith('/')) out = `/${out}`;
  return { path: out, query: [...literalQuery, ...extraQuery] };
}

interface AuthModel {
  headers: Record<string, string>;
  query: Array<[string, string]>;
}

function authModel(auth: ConsumedAuth | undefined, layers: Layers): AuthModel {
  const out: AuthModel = { headers: {}, query: [] };
  if (!auth) return out;
  const r = (t: string | undefined): string => (t === undefined ? '' : renderLite(t, layers));
  switch (auth.type) {
    case 'bearer': {
      const token = r(auth.token);
      if (token) out.headers.authorization = `Bearer ${token}`;
      break;
    }
    case 'basic':
      out.headers.authorization = `Basic ${Buffer.from(`${r(auth.username)}:${r(auth.password)}`, 'utf8').toString('base64')}`;
      break;
    case 'apikey': {
      const key = r(auth.key);
      if (!key) break;
      if (auth.placement === 'query') out.query.push([key, r(auth.value)]);
      else out.headers[key.toLowerCase()] = r(auth.value);
      break;
    }
    case 'keys':
      for (const [k, v] of auth.headers) if (r(k)) out.headers[r(k).toLowerCase()] = r(v);
      for (const [k, v] of auth.query) if (r(k)) out.query.push([r(k), r(v)]);
      if (auth.cookies?.length) out.headers.cookie = auth.cookies.map(([k, v]) => `${encodeURIComponent(r(k))}=${encodeURIComponent(r(v))}`).join('; ');
      break;
    default:
      break;
  }
  return out;
}

/** Leaf-wise rendering of JSON body data; a lone `{{x}}` keeps x's type. */
function renderJsonData(data: unknown, layers: Layers): unknown {
  if (typeof data === 'string') {
    const m = /^\s*\{\{\s*([^{}#^/!>&=\s][^{}\s]*)\s*\}\}\s*$/.exec(data);
    if (m) return lookupIn(layers, m[1]!) ?? null;
    return renderLite(data, layers);
  }
  if (Array.isArray(data)) return data.map((d) => renderJsonData(d, layers));
  if (data && typeof data === 'object') return Object.fromEntries(Object.entries(data).map(([k, v]) => [renderLite(k, layers), renderJsonData(v, layers)]));
  return data;
}

function parseMaybeJson(textBody: string): unknown {
  try {
    return JSON.parse(textBody) as unknown;
  } catch {
    return textBody;
  }
}

function bodyModel(spec: RequestBodySpec | undefined, params: Array<[string, unknown]>, layers: Layers): { body: unknown; checked: boolean } {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!spec) {
    if (!params.length) return { body: undefined, checked: true };
    if (params.length === 1 && params[0]![0] === 'body') {
      const v = params[0]![1];
      if (typeof v === 'string') return { body: parseMaybeJson(v), checked: true };
      if (typeof v === 'object' && v !== null) return { body: v, checked: true };
    }
    return { body: Object.fromEntries(params), checked: true };
  }
  switch (spec.kind) {
    case 'json': {
      if (typeof spec.data === 'string') return { body: undefined, checked: false };
      const data = renderJsonData(spec.data, layers);
      return { body: isObj(data) && params.length ? { ...data, ...Object.fromEntries(params) } : data, checked: true };
    }
    case 'text':
    case 'xml':
    case 'sparql':
      return { body: parseMaybeJson(renderLite(spec.data, layers)), checked: true };
    default:
      // raw (JSON-mode rendering), form and multipart encodings: not modelled here.
      return { body: undefined, checked: false };
  }
}

/**
 * The request one call must produce: parameters placed as declared (value template, else the
 * parameter map entry of the same name, else for `environment` the env), path placeholders
 * filled from the map then binds, authentication rendered from the map then binds.
 */
export function expectUpstream(api: ConsumedApi, op: ConsumedOperation, params: Record<string, unknown>, binds: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string>>): UpstreamExpectation {
  const map: Record<string, unknown> = { ...params };
  const layers: Layers = [map, binds];
  const query: Array<[string, string]> = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const bodyParams: Array<[string, unknown]> = [];
  for (const p of effectiveConsumedParams(api, op)) {
    let value: unknown;
    if (p.value !== undefined) value = renderLite(p.value, layers);
    else if (own(map, p.name)) value = map[p.name];
    else if (p.in === 'environment') value = env[p.name];
    if (value === undefined || value === null) continue;
    map[p.name] = value;
    if (p.in === 'query') for (const v of Array.isArray(value) ? value : [value]) query.push([p.name, text(v)]);
    else if (p.in === 'header') headers[p.name.toLowerCase()] = Array.isArray(value) ? value.map(text).join(', ') : text(value);
    else if (p.in === 'cookie') cookies.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(text(value))}`);
    else if (p.in === 'body') bodyParams.push([p.name, value]);
  }
  const auth = authModel(api.auth, layers);
  const emptyPlaceholders: string[] = [];
  const target = fillPath(op.path, (name) => lookupIn(layers, name), emptyPlaceholders);
  const body = bodyModel(op.body, bodyParams, layers);
  // A cookie credential joins the parameter cookies.
  if (auth.headers.cookie) cookies.push(auth.headers.cookie);
  delete auth.headers.cookie;
  if (cookies.length) headers.cookie = cookies.join('; ');
  Object.assign(headers, auth.headers);
  const absentHeaders = api.auth || own(headers, 'authorization') ? [] : ['authorization'];
  return {
    method: op.method,
    rawPath: target.path,
    query: [...target.query, ...query, ...auth.query],
    headers,
    absentHeaders,
    body: body.body,
    bodyChecked: body.checked,
    emptyPlaceholders,
    params: map,
  };
}

// ---- the answer --------------------------------------------------------------------------------

/** What the caller must get back, given the upstream's (JSON) answer. */
export type AnswerExpectation =
  | { kind: 'equals'; value: unknown; why: string }
  | { kind: 'keys'; keys: string[]; why: string }
  | { kind: 'unchecked'; why: string };

const isPassthrough = (o: OutputParam): boolean => o.type === 'object' && (o.mapping === '$.' || o.mapping === '$') && !o.properties && !o.values;

/** The mapped answer of a simple-mode call over the upstream's JSON answer. */
export function expectAnswer(outputs: readonly OutputParam[], upstreamJson: unknown): AnswerExpectation {
  if (!outputs.length) return { kind: 'equals', value: upstreamJson, why: 'no outputs declared: the upstream answer passes through' };
  if (outputs.length === 1) {
    const only = outputs[0]!;
    if (isPassthrough(only)) return { kind: 'equals', value: upstreamJson, why: '`mapping: $.` passes the whole answer through' };
    if (only.type === 'object' && only.properties) return { kind: 'keys', keys: Object.keys(only.properties), why: 'declared properties' };
    return { kind: 'unchecked', why: `single ${only.type} output mapped by \`${only.mapping ?? only.value ?? ''}\`` };
  }
  if (outputs.every((o) => o.name)) return { kind: 'keys', keys: outputs.map((o) => o.name!), why: 'several named outputs give an object keyed by name' };
  return { kind: 'unchecked', why: 'several outputs, some unnamed' };
}

// ---- mock answers ------------------------------------------------------------------------------

/**
 * The engine's mock data (reference-engine.md §2.8, `buildMockData`): an object keyed by each
 * output's `name` (or `value` when it has none) holding each non-empty mock value; only `value`
 * entries (Mustache against the inputs) give data, objects recurse into `properties`, arrays hold
 * one element built from `items`, an object without data is dropped. `undefined` means no data:
 * REST answers 204, MCP `{}`.
 */
export function expectMock(outputs: readonly OutputParam[], layers: Layers): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const o of outputs) {
    const v = mockValue(o, layers);
    if (v !== undefined) out[o.name ?? 'value'] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function mockValue(o: OutputParam, layers: Layers): unknown {
  if (o.value !== undefined) return renderLite(o.value, layers);
  if (o.type === 'object' && o.properties) {
    const obj: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(o.properties)) {
      const v = mockValue(p, layers);
      if (v !== undefined) obj[k] = v;
    }
    return Object.keys(obj).length ? obj : undefined;
  }
  if (o.type === 'array' && o.items) {
    const item = mockValue(Array.isArray(o.items) ? (o.items as OutputParam[])[0]! : (o.items as OutputParam), layers);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}
