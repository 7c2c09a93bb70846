/**
 * The compiler's part for resilience and caching settings: `resiliency` blocks (ikanos#384
 * shape) cascaded operation → resource → consumed API → capability, and the `Cache-Control`
 * value of exposed REST operations (ikanos#486 `cacheControl`, or `public, max-age=60` derived
 * from `semantics.cacheable: true`). The schema has already checked the shapes.
 */
import type { Handler } from '../graph.js';
import { cascadePolicies, DEFAULT_CACHEABLE_TTL, type ResiliencePolicy } from '../resilience-policy.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A node's own `resiliency` block cascaded over the enclosing level's policy. */
export function cascadeResiliency(node: Obj, outer: ResiliencePolicy | undefined): ResiliencePolicy | undefined {
  return cascadePolicies(isObj(node.resiliency) ? (node.resiliency as ResiliencePolicy) : undefined, outer);
}

/**
 * The `Cache-Control` value of an exposed REST operation, or undefined for none. Without an
 * explicit `visibility`, an adapter that authenticates its callers says `private`: a shared
 * cache must not hand one caller's answer to another.
 */
export function restCacheControl(op: Obj, handler: Handler | undefined, authenticated: boolean): string | undefined {
  const declared = isObj(op.cacheControl) ? op.cacheControl : undefined;
  const visibility = typeof declared?.visibility === 'string' ? declared.visibility : authenticated ? 'private' : 'public';
  if (!declared) {
    const cacheable = handler?.kind === 'ref' && handler.fn.semantics?.cacheable === true;
    return cacheable ? `${visibility}, max-age=${DEFAULT_CACHEABLE_TTL}` : undefined;
  }
  if (declared.noStore === true) return 'no-store';
  const parts = [visibility];
  if (typeof declared.maxAge === 'number') parts.push(`max-age=${declared.maxAge}`);
  if (declared.noCache === true) parts.push('no-cache');
  return parts.join(', ');
}

/** A REST or MCP adapter's `x-capstan-rateLimit` (window default 60 s), as the graph keeps it. */
export function inboundRateLimit(adapter: Obj): { rateLimit?: { max: number; timeWindowMs: number } } {
  const limit = adapter['x-capstan-rateLimit'];
  if (!isObj(limit) || typeof limit.max !== 'number') return {};
  return { rateLimit: { max: limit.max, timeWindowMs: typeof limit.timeWindow === 'number' ? limit.timeWindow : 60_000 } };
}
