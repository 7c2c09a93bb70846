/**
 * Builds the upstream request of one consumed operation from the parameter map (engine §2.2 and
 * §2.5, with Capstan's decisions): adapter-level, then resource and operation parameters (an
 * operation or resource parameter replaces an adapter one with the same name and location);
 * each value is the rendered `value` template, else the map entry of the same name (type kept),
 * else for `in: environment` the environment variable. Placed values are also put in the map, so
 * later templates and path placeholders can read them. Locations:
 * path (via the path's placeholders), query (arrays as repeated keys), header, cookie, body
 * (merged into a JSON body), environment (map only).
 */
import type { ConsumedApi, ConsumedOperation, ConsumedParam } from '@capstan/spec';
import { authParts, type AuthParts } from './auth.js';
import { baseParts, resolveBase, type UpstreamBase } from './base-uri.js';
import { buildBody, type BuiltBody } from './body.js';
import { InputError } from './errors.js';
import type { OutboundRequest } from './http.js';
import { lookup, render, toText, type Scope } from './mustache.js';
import { buildTarget, finalUrl, type UrlMemo } from './url.js';

/** A request ready to send, plus digest credentials when the API uses digest. */
export interface BuiltRequest {
  request: OutboundRequest;
  digest?: { username: string; password: string };
}

/** Header names never taken from parameters: the connection's own business. */
export const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'proxy-authorization', 'proxy-authenticate', 'proxy-connection', 'expect']);

/** Response headers never passed on in a raw result. */
const DROPPED_RESPONSE_HEADERS = new Set([...HOP_BY_HOP, 'set-cookie']);

/** An upstream answer's headers as a raw result passes them on: lower-case names, hop-by-hop and `set-cookie` dropped, lists joined. */
export function passedHeaders(received: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in received) {
    const value = received[name];
    const lower = name.toLowerCase();
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(lower)) continue;
    headers[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const HEADER_UNSAFE = /[\r\n\u0000]/;

/** A header value from a parameter; CR, LF and NUL are refused (header injection). */
export function headerText(name: string, value: unknown): string {
  const text = Array.isArray(value) ? value.map(toText).join(', ') : toText(value);
  if (HEADER_UNSAFE.test(text)) throw new InputError([{ name, message: 'CR, LF and NUL are not allowed in a header value' }]);
  return text;
}

/** What every request of an operation shares: its merged parameters, and the last URL it was sent to. */
interface OperationPlan {
  api: ConsumedApi;
  params: readonly ConsumedParam[];
  url: UrlMemo;
}

const plans = new WeakMap<ConsumedOperation, OperationPlan>();

/** The plan of an operation for an API (its parameters adapter level first, overridden by name + location), made once per operation and API. */
function operationPlan(api: ConsumedApi, op: ConsumedOperation): OperationPlan {
  const cached = plans.get(op);
  if (cached?.api === api) return cached;
  const params = [...api.inputParameters.filter((a) => !op.params.some((p) => p.name === a.name && p.in === a.in)), ...op.params];
  const plan: OperationPlan = { api, params, url: {} };
  plans.set(op, plan);
  return plan;
}

/** Everything needed to build one request. */
export interface RequestInput {
  api: ConsumedApi;
  op: ConsumedOperation;
  /** The upstream's base (possibly overridden; templated bases are resolved per request). */
  base: UpstreamBase;
  /** The parameter map (inputs merged with `with`). */
  params: Record<string, unknown>;
  /** Lower-precedence template layers: step outputs, then binds. */
  lower: Scope;
  env: NodeJS.ProcessEnv;
  requestId?: string;
}

/**
 * Builds the request; throws InputError for values that cannot be sent safely. A promise only
 * when there is a body to encode or a signature to compute: most calls have neither.
 */
export function buildRequest(input: RequestInput): BuiltRequest | Promise<BuiltRequest> {
  const { api, op } = input;
  const map: Record<string, unknown> = { ...input.params };
  const scope: Scope = [map, ...input.lower];
  const headers: Record<string, string> = {};
  const query: Array<[string, string]> = [];
  const cookies: string[] = [];
  const bodyParams: Array<[string, unknown]> = [];

  const plan = operationPlan(api, op);
  for (const p of plan.params) {
    let value: unknown;
    if (p.value !== undefined) value = render(p.value, scope);
    else if (Object.prototype.hasOwnProperty.call(map, p.name)) value = map[p.name];
    else if (p.in === 'environment') value = input.env[p.name];
    if (value === undefined || value === null) continue;
    map[p.name] = value;
    switch (p.in) {
      case 'query':
        for (const v of Array.isArray(value) ? value : [value]) query.push([p.name, toText(v)]);
        break;
      case 'header': {
        const name = p.name.toLowerCase();
        if (!TOKEN.test(name) || HOP_BY_HOP.has(name)) throw new InputError([{ name: p.name, message: `\`${p.name}\` cannot be sent as a header` }]);
        headers[name] = headerText(p.name, value);
        break;
      }
      case 'cookie':
        cookies.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(toText(value))}`);
        break;
      case 'body':
        bodyParams.push([p.name, value]);
        break;
      default:
        // path: read by the path placeholders; environment: the map only.
        break;
    }
  }

  const auth = authParts(api.auth, scope, { namespace: op.namespace, operation: op.name });
  const base = baseParts(input.base, resolveBase(input.base, scope, op.name));
  const target = buildTarget(base.path, op.path, (name) => lookup(scope, name));
  const pairs = target.query.length || query.length || auth.query.length ? [...target.query, ...query, ...auth.query] : query;
  // A signer may rewrite the URL it signs: its requests get a URL of their own.
  const url = finalUrl(base.origin, base.path, target, pairs, { namespace: op.namespace, operation: op.name }, auth.sign ? undefined : plan.url);
  if (op.body || bodyParams.length) return buildBody(op.body, bodyParams, scope, headers['content-type']).then((body) => finishRequest(input, url, headers, cookies, auth, body));
  return finishRequest(input, url, headers, cookies, auth, undefined);
}

/** The request's headers completed (cookies, authentication, body type, request id), then signed when the API signs. */
function finishRequest(input: RequestInput, url: URL, headers: Record<string, string>, cookies: string[], auth: AuthParts, body: BuiltBody | undefined): BuiltRequest | Promise<BuiltRequest> {
  if (auth.headers.cookie !== undefined) {
    if (auth.headers.cookie) cookies.push(auth.headers.cookie);
    delete auth.headers.cookie;
  }
  if (cookies.length) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join('; ');
  Object.assign(headers, auth.headers);
  if (body) headers['content-type'] = body.contentType;
  if (input.requestId) headers['x-request-id'] = headerText('requestId', input.requestId);
  const request: OutboundRequest = { url, method: input.op.method, headers, ...(body ? { body: body.body } : {}) };
  const built: BuiltRequest = auth.digest ? { request, digest: auth.digest } : { request };
  // Signing comes last: it covers the final URL, headers and body.
  return auth.sign ? auth.sign(request).then(() => built) : built;
}
