/**
 * The one place where resilience wraps an upstream call, in this order: answer from the cache
 * (GET only, when a TTL applies) → wait for the API's outbound rate limit → through the origin's
 * circuit breaker → attach an OAuth2 token (one retry with a fresh token on 401) → send, with
 * retries. Every part is skipped when its policy is absent; a call with nothing around it (no
 * cache, limiter, breaker or token) goes straight to the client, and with retries off the client
 * skips all retry code, so disabled resilience costs a map lookup. Outbound limits are kept in Redis when the executor is given one.
 */
import type { CapabilityGraph, ConsumedApi } from '@capstan/spec';
import { cascadePolicies, DEFAULT_CACHEABLE_TTL, type RateLimiterPolicy, type ResiliencePolicy, type RetryPolicy } from '@capstan/spec';
import { OAuth2ClientProvider, type TokenProvider } from '../credentials/oauth2-client.js';
import type { CallIds, HttpClient, InboundResponse, OutboundRequest } from '../http.js';
import { render, type Scope } from '../mustache.js';
import type { AbortLike } from '../call-abort.js';
import { BreakerRegistry } from './breaker.js';
import { cacheKey, ResponseCache } from './cache.js';
import { OutboundLimiter } from './outbound-limit.js';
import { SharedOutboundLimiter, type SharedLimitStore } from './shared-limit.js';

/** What the pipeline needs to know about one call. */
export interface PipelineCall {
  signal?: AbortLike | undefined;
  /** The call runs for a function marked `semantics.cacheable: true` (a default TTL applies). */
  cacheable?: boolean | undefined;
}

/** Receives one debug line per retry and token fetch, and a warning when shared limits fall back to the process (no secrets). */
export type PipelineLogger = { debug(obj: object, msg?: string): void; warn?(obj: object, msg?: string): void };

/** The outbound limit of one consumed API, in process or shared by replicas. */
interface Limiter {
  acquire(ids: CallIds, signal?: AbortLike): Promise<void>;
}

/** What one operation's calls need, worked out on its first call. */
interface Route {
  policy: ResiliencePolicy | undefined;
  /** The client's retry options; undefined when retries are off (the client then skips all retry code). */
  retry: { policy?: RetryPolicy; onRetry: NonNullable<Parameters<HttpClient['send']>[3]>['onRetry'] } | undefined;
  /** A limiter or breaker stands around the call. */
  guarded: boolean;
}

/** Resilience around the HTTP client of one executor. */
export class UpstreamPipeline {
  /** Circuit breakers by origin; `states()` feeds a metrics gauge. */
  readonly breakers = new BreakerRegistry();
  private readonly limiters = new Map<string, Limiter>();
  /** Routes by namespace, then operation (two lookups of the graph's strings: no key string built per call). */
  private readonly routes = new Map<string, Map<string, Route>>();
  private cache?: ResponseCache;

  constructor(
    private readonly http: HttpClient,
    private readonly graph: CapabilityGraph,
    /** Gateway-wide defaults (CLI flags), below everything the capability declares. */
    private readonly defaults: ResiliencePolicy | undefined,
    /** Token providers by consumed namespace. */
    readonly tokens: ReadonlyMap<string, TokenProvider>,
    private readonly logger?: PipelineLogger,
    /** Redis for outbound limits shared by replicas (default: each process keeps its own). */
    private readonly sharedLimits?: SharedLimitStore,
  ) {}

  /** Sends one request with the policies of its operation (`forward` uses the API's). */
  send(req: OutboundRequest, ids: CallIds, call: PipelineCall): Promise<InboundResponse> {
    const route = this.route(ids);
    const provider = this.tokens.get(ids.namespace);
    const ttl = req.method === 'GET' ? (route.policy?.cache?.ttl ?? (call.cacheable ? DEFAULT_CACHEABLE_TTL : 0)) : 0;
    // Nothing stands around the call: straight to the client, as if there were no pipeline.
    if (ttl <= 0 && !provider && !route.guarded) return this.http.send(req, ids, call.signal, route.retry);
    return this.sendGuarded(req, ids, call, route, provider, ttl);
  }

  private async sendGuarded(req: OutboundRequest, ids: CallIds, call: PipelineCall, route: Route, provider: TokenProvider | undefined, ttl: number): Promise<InboundResponse> {
    const policy = route.policy;
    const key = ttl > 0 ? cacheKey(req, provider?.identity) : undefined;
    if (key) {
      const hit = this.cache?.get(key);
      if (hit) return hit;
    }
    if (policy?.rateLimiter) await this.limiter(ids.namespace, policy.rateLimiter).acquire(ids, call.signal);
    const attempt = () => this.attempt(req, ids, route, provider, call.signal);
    const res = policy?.circuitBreaker ? await this.breakers.run(req.url.origin, policy.circuitBreaker, ids, attempt) : await attempt();
    if (key) (this.cache ??= new ResponseCache()).set(key, res, ttl);
    return res;
  }

  private async attempt(req: OutboundRequest, ids: CallIds, route: Route, provider: TokenProvider | undefined, signal?: AbortLike): Promise<InboundResponse> {
    const retry = route.retry;
    if (!provider) return this.http.send(req, ids, signal, retry);
    const token = await provider.token(signal);
    const res = await this.http.send(withBearer(req, token), ids, signal, retry);
    if (res.status !== 401) return res;
    provider.invalidate(token);
    this.logger?.debug({ namespace: ids.namespace, operation: ids.operation }, 'upstream refused the OAuth2 token; fetching a fresh one');
    return this.http.send(withBearer(req, await provider.token(signal)), ids, signal, retry);
  }

  /** Closes the HTTP client's connection pools and the shared limits' connection. */
  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.sharedLimits?.close()]);
  }

  /** The cascaded policy of an operation: operation → resource → API → capability → gateway defaults. */
  policy(ids: CallIds): ResiliencePolicy | undefined {
    return this.route(ids).policy;
  }

  private route(ids: CallIds): Route {
    let byOperation = this.routes.get(ids.namespace);
    if (!byOperation) this.routes.set(ids.namespace, (byOperation = new Map()));
    let route = byOperation.get(ids.operation);
    if (route) return route;
    const api = this.graph.consumes.get(ids.namespace);
    const policy = cascadePolicies(api?.operations.get(ids.operation)?.resiliency ?? api?.resiliency, this.defaults);
    const retry = {
      ...(policy?.retry ? { policy: policy.retry } : {}),
      onRetry: (attempt: number, reason: string, waitMs: number) => this.logger?.debug({ namespace: ids.namespace, operation: ids.operation, attempt, reason, waitMs }, 'upstream retry'),
    };
    route = { policy, retry: policy?.retry?.attempts === 0 ? undefined : retry, guarded: !!(policy?.rateLimiter || policy?.circuitBreaker) };
    byOperation.set(ids.operation, route);
    return route;
  }

  private limiter(namespace: string, policy: RateLimiterPolicy): Limiter {
    let limiter = this.limiters.get(namespace);
    if (!limiter) {
      const fallback = (ns: string) => this.logger?.warn?.({ namespace: ns }, `the shared outbound rate limit store is unreachable; ${ns} is limited per process until it is back`);
      limiter = this.sharedLimits ? new SharedOutboundLimiter(this.sharedLimits, policy, fallback) : new OutboundLimiter(policy);
      this.limiters.set(namespace, limiter);
    }
    return limiter;
  }
}

function withBearer(req: OutboundRequest, token: string): OutboundRequest {
  return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
}

/** OAuth2 client-credentials providers for the consumed APIs whose `oauth2` authentication names a client id. */
export function tokenProviders(apis: Iterable<ConsumedApi>, scope: Scope, http: HttpClient): Map<string, TokenProvider> {
  const out = new Map<string, TokenProvider>();
  for (const api of apis) {
    const auth = api.auth;
    if (auth?.type !== 'oauth2' || !auth['x-capstan-clientId']) continue;
    const endpoint = auth.tokenEndpoint ?? auth.authorizationServerUri;
    let tokenEndpoint: URL;
    try {
      tokenEndpoint = new URL(render(endpoint, scope));
    } catch {
      throw new Error(`the OAuth2 token endpoint of \`${api.namespace}\` is not a URL`);
    }
    if (tokenEndpoint.protocol !== 'https:' && tokenEndpoint.protocol !== 'http:') throw new Error(`the OAuth2 token endpoint of \`${api.namespace}\` must be http or https`);
    const refresh = auth['x-capstan-refreshToken'] ? render(auth['x-capstan-refreshToken'], scope) : '';
    out.set(
      api.namespace,
      new OAuth2ClientProvider(
        {
          namespace: api.namespace,
          tokenEndpoint,
          clientId: render(auth['x-capstan-clientId'], scope),
          clientSecret: render(auth['x-capstan-clientSecret'] ?? '', scope),
          ...(refresh ? { refreshToken: refresh } : {}),
          ...(auth.scopes?.length ? { scopes: auth.scopes } : {}),
          ...(auth.audience ? { audience: auth.audience } : {}),
          ...(auth.resource ? { resource: auth.resource } : {}),
        },
        (req, ids, signal) => http.send(req, ids, signal),
      ),
    );
  }
  return out;
}
