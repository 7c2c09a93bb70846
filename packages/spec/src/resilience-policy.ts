/**
 * Resilience policies for calls to consumed APIs, in the shape proposed by the reference
 * project (naftiko/ikanos#384: a `resiliency` block with `retry`, `circuitBreaker`,
 * `rateLimiter` and `cache`). A policy may be declared on the capability, a consumed API, a
 * resource and an operation; the nearest declaration of each field wins (operation → resource →
 * API → capability → gateway flags → built-in defaults). Durations are milliseconds, except the
 * cache `ttl`, which is seconds like `Cache-Control: max-age`.
 */

/** Retries of one upstream call. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 turns retrying off. */
  attempts?: number;
  /** Backoff ceiling of the first retry, in ms (full jitter draws the wait in [0, ceiling]). */
  waitDuration?: number;
  /** Largest backoff ceiling, in ms. */
  maxWaitDuration?: number;
  /** `exponential` doubles the ceiling each retry; `fixed` keeps it. */
  backoff?: 'exponential' | 'fixed';
  /** Upstream statuses that are retried. */
  retryOn?: readonly number[];
  /** Retries a method that is not idempotent by nature (POST, PATCH): the author vouches for it. */
  idempotent?: boolean;
}

/** A circuit breaker per upstream origin. */
export interface CircuitBreakerPolicy {
  /** Opens when this percentage of calls in the window failed (transport error or 5xx). */
  failureRateThreshold?: number;
  /** Fewer calls than this in the window never open the breaker. */
  minimumNumberOfCalls?: number;
  /** Length of the sliding window, in ms. */
  slidingWindowDuration?: number;
  /** How long the breaker stays open before letting one probe through (half-open), in ms. */
  waitDurationInOpenState?: number;
}

/** An outbound token bucket per consumed API. */
export interface RateLimiterPolicy {
  /** Calls allowed per period (the bucket size). */
  limitForPeriod?: number;
  /** Period in ms over which `limitForPeriod` tokens come back. */
  limitRefreshPeriod?: number;
  /** Longest a call waits for a token, in ms; beyond it Capstan answers 429 itself. */
  timeoutDuration?: number;
}

/** Caching of successful GET answers. */
export interface CachePolicy {
  /** Seconds an answer is served from the cache; 0 turns caching off. */
  ttl?: number;
}

/** One `resiliency` block (every part optional). */
export interface ResiliencePolicy {
  retry?: RetryPolicy;
  circuitBreaker?: CircuitBreakerPolicy;
  rateLimiter?: RateLimiterPolicy;
  cache?: CachePolicy;
}

const PARTS = ['retry', 'circuitBreaker', 'rateLimiter', 'cache'] as const;

/** Merges policies, nearest first: each field comes from the first layer that sets it (an empty part, e.g. `circuitBreaker: {}`, turns it on with defaults). */
export function cascadePolicies(...layers: ReadonlyArray<ResiliencePolicy | undefined>): ResiliencePolicy | undefined {
  const out: Record<string, Record<string, unknown>> = {};
  for (const part of PARTS) {
    let merged: Record<string, unknown> | undefined;
    for (const layer of [...layers].reverse()) if (layer?.[part]) merged = Object.assign(merged ?? {}, withoutUndefined(layer[part] as Record<string, unknown>));
    if (merged) out[part] = merged;
  }
  return Object.keys(out).length ? (out as ResiliencePolicy) : undefined;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Built-in retry settings: 2 retries of idempotent calls, 100 ms first ceiling, 2 s largest. */
export const DEFAULT_RETRY: Required<Omit<RetryPolicy, 'idempotent'>> = {
  attempts: 2,
  waitDuration: 100,
  maxWaitDuration: 2_000,
  backoff: 'exponential',
  retryOn: [429, 502, 503, 504],
};

/** Built-in breaker settings, used for every field a declared `circuitBreaker` leaves out. */
export const DEFAULT_BREAKER: Required<CircuitBreakerPolicy> = {
  failureRateThreshold: 50,
  minimumNumberOfCalls: 10,
  slidingWindowDuration: 10_000,
  waitDurationInOpenState: 10_000,
};

/** TTL (seconds) when `semantics.cacheable: true` asks for caching and no `cache.ttl` is set (as ikanos#486's default max-age). */
export const DEFAULT_CACHEABLE_TTL = 60;
