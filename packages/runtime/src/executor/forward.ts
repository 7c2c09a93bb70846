/**
 * The upstream request of a REST `forward`: the caller's sub-path and query re-checked under the
 * upstream's base, only the trusted headers passed on, then the API's own parameters with a
 * value, its authentication and the caller's credential grant. Used by `Executor.forward`.
 */
import type { ConsumedApi } from '@capstan/spec';
import type { AppliedGrant } from '../credentials/index.js';
import { authParts } from './auth.js';
import { baseParts, resolveBase, type UpstreamBase } from './base-uri.js';
import { InputError, UpstreamError } from './errors.js';
import type { CallIds, OutboundRequest } from './http.js';
import { render, type Scope } from './mustache.js';
import { headerText, HOP_BY_HOP, type BuiltRequest } from './request.js';
import { forwardPath, forwardQuery } from './url.js';
import type { ForwardRequest } from './executor.js';

/** What building a forwarded request needs. */
export interface ForwardParts {
  api: ConsumedApi;
  base: UpstreamBase;
  /** The capability's binds (a forwarded request has no parameter map). */
  bindLayer: Record<string, unknown>;
  trustedHeaders: readonly string[];
  request: ForwardRequest;
  ids: CallIds;
  /** The caller's credential grant, asked for once the target is known to be valid. */
  grant: () => Promise<AppliedGrant>;
}

/** The request to send and the grant it was built with (its `redact` applies to the answer). */
export async function forwardedRequest(parts: ForwardParts): Promise<{ built: BuiltRequest; grant: AppliedGrant }> {
  const { api, request, ids } = parts;
  // Only binds can fill a templated base.
  const base = baseParts(parts.base, resolveBase(parts.base, [parts.bindLayer], ids.operation));
  const path = forwardPath(base.path, request.path);
  const query = forwardQuery(request.query ?? '');
  const url = new URL(`${base.origin}${path}${query ? `?${query}` : ''}`);
  if (url.origin !== base.origin || url.pathname !== (path || '/')) {
    throw new UpstreamError('bad-request-target', ids.namespace, ids.operation, `the forwarded request would leave the upstream's origin or base path`);
  }
  const incoming = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const headers: Record<string, string> = {};
  for (const name of parts.trustedHeaders) {
    const value = incoming.get(name.toLowerCase());
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers[name.toLowerCase()] = headerText(name, value);
  }
  // Adapter-level parameters with a value (rendered against binds; the caller has no parameter map here).
  const grant = await parts.grant();
  const scope: Scope = grant.scope;
  const extraQuery: Array<[string, string]> = [];
  for (const p of api.inputParameters) {
    if (p.value === undefined) continue;
    if (p.in === 'header' && !HOP_BY_HOP.has(p.name.toLowerCase())) headers[p.name.toLowerCase()] = headerText(p.name, render(p.value, scope));
    if (p.in === 'query') extraQuery.push([p.name, render(p.value, scope)]);
  }
  const auth = authParts(grant.api.auth, scope, ids);
  Object.assign(headers, auth.headers, grant.headers);
  for (const pair of [...extraQuery, ...auth.query]) url.searchParams.append(...pair);
  const contentType = incoming.get('content-type');
  if (request.body && request.body.length && contentType !== undefined) headers['content-type'] = headerText('content-type', contentType);
  if (request.requestId) headers['x-request-id'] = headerText('requestId', request.requestId);
  if (!/^[A-Z]+$/.test(request.method)) throw new InputError([{ name: 'method', message: 'not a valid HTTP method' }]);
  const outbound: OutboundRequest = { url, method: request.method, headers, ...(request.body && request.body.length ? { body: request.body } : {}) };
  if (auth.sign) await auth.sign(outbound);
  return { built: auth.digest ? { request: outbound, digest: auth.digest } : { request: outbound }, grant };
}
