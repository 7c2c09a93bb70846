/**
 * Request bodies, sent as the schema declares them (the engine sends most of them as JSON text):
 * - raw string: a Mustache template, `application/json` unless a Content-Type header parameter
 *   says otherwise; JSON bodies are rendered in `json` mode (see mustache.ts), so
 *   `"crewIds": {{crewIds}}` gives a JSON array and a caller's quote cannot break a string;
 * - json: string data is a JSON template sent as is (not re-quoted); object data is rendered leaf
 *   by leaf, and a leaf that is exactly `{{x}}` keeps the value's type (array, number...);
 * - text, xml, sparql: rendered text with their own content types;
 * - formUrlEncoded: real `application/x-www-form-urlencoded` encoding;
 * - multipartForm: real multipart/form-data (undici's FormData), with filenames and part types;
 * - `in: body` parameters are merged into a JSON object body (and into form bodies as fields);
 *   a lone `in: body` parameter named `body` whose value is an object or array is the whole body.
 */
import type { RequestBodySpec } from '@capstan/spec';
import { lookup, render, singleTag, type Scope } from './mustache.js';
import { webClasses } from './undici-parts.js';

/** An encoded body and its content type. */
export interface BuiltBody {
  body: Buffer;
  contentType: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isJsonType = (ct: string): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(ct.trim());

/** Renders JSON `data`: each string leaf (and key) as a template; a lone `{{x}}` leaf keeps x's type. */
export function renderData(data: unknown, scope: Scope): unknown {
  if (typeof data === 'string') {
    const name = singleTag(data);
    if (name !== undefined) {
      const value = lookup(scope, name);
      return value === undefined ? null : value;
    }
    return render(data, scope);
  }
  if (Array.isArray(data)) return data.map((d) => renderData(d, scope));
  if (isPlainObject(data)) return Object.fromEntries(Object.entries(data).map(([k, v]) => [render(k, scope), renderData(v, scope)]));
  return data;
}

function json(value: unknown): BuiltBody {
  return { body: Buffer.from(JSON.stringify(value), 'utf8'), contentType: 'application/json' };
}

function text(value: string, contentType: string): BuiltBody {
  return { body: Buffer.from(value, 'utf8'), contentType };
}

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Merges `in: body` parameters into JSON text when it is an object; otherwise leaves it alone. */
function mergeJsonText(textBody: string, params: ReadonlyArray<[string, unknown]>): string {
  if (!params.length) return textBody;
  try {
    const parsed: unknown = JSON.parse(textBody);
    if (isPlainObject(parsed)) return JSON.stringify({ ...parsed, ...Object.fromEntries(params) });
  } catch {
    // Not JSON: the declared body wins.
  }
  return textBody;
}

/**
 * Builds the body of one request. `params` are the `in: body` parameters (name, value);
 * `contentType` is a Content-Type header parameter, which overrides the declared type
 * (multipart keeps its own, since it carries the boundary).
 */
export async function buildBody(spec: RequestBodySpec | undefined, params: ReadonlyArray<[string, unknown]>, scope: Scope, contentType?: string): Promise<BuiltBody | undefined> {
  const withType = (b: BuiltBody): BuiltBody => (contentType ? { ...b, contentType } : b);
  if (!spec) {
    if (!params.length) return undefined;
    const [only] = params;
    if (params.length === 1 && only![0] === 'body') {
      const value = only![1];
      if (typeof value === 'string') return withType(text(value, 'application/json'));
      if (typeof value === 'object' && value !== null) return withType(json(value));
    }
    return withType(json(Object.fromEntries(params)));
  }
  switch (spec.kind) {
    case 'raw': {
      const type = contentType ?? 'application/json';
      const jsonBody = isJsonType(type);
      const rendered = render(spec.template, scope, jsonBody ? 'json' : 'plain');
      return text(jsonBody ? mergeJsonText(rendered, params) : rendered, type);
    }
    case 'json': {
      if (typeof spec.data === 'string') return withType(text(mergeJsonText(render(spec.data, scope, 'json'), params), 'application/json'));
      const data = renderData(spec.data, scope);
      return withType(json(isPlainObject(data) && params.length ? { ...data, ...Object.fromEntries(params) } : data));
    }
    case 'text':
      return withType(text(render(spec.data, scope), 'text/plain; charset=utf-8'));
    case 'xml':
      return withType(text(render(spec.data, scope), 'application/xml'));
    case 'sparql':
      return withType(text(render(spec.data, scope), 'application/sparql-query'));
    case 'formUrlEncoded': {
      let encoded: string;
      if (typeof spec.data === 'string') {
        encoded = render(spec.data, scope, 'form');
      } else {
        const form = new URLSearchParams();
        for (const [k, v] of Object.entries(spec.data)) form.append(render(k, scope), render(String(v), scope));
        encoded = form.toString();
      }
      const extra = new URLSearchParams(params.map(([k, v]) => [k, fieldText(v)] as [string, string])).toString();
      return withType(text([encoded, extra].filter(Boolean).join('&'), 'application/x-www-form-urlencoded'));
    }
    case 'multipartForm': {
      const { FormData, Response } = webClasses();
      const form = new FormData();
      for (const part of spec.parts) {
        const value = render(String(part.value), scope);
        if (part.filename !== undefined || part.contentType !== undefined) {
          const blob = new Blob([value], { type: part.contentType ?? 'application/octet-stream' });
          form.append(part.name, blob, part.filename !== undefined ? render(part.filename, scope) : part.name);
        } else {
          form.append(part.name, value);
        }
      }
      for (const [k, v] of params) form.append(k, fieldText(v));
      const encoded = new Response(form);
      const body = Buffer.from(await encoded.arrayBuffer());
      return { body, contentType: encoded.headers.get('content-type') ?? 'multipart/form-data' };
    }
  }
}
