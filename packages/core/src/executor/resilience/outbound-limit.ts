/**
 * Outbound rate limits per consumed API. A sliding-window schedule: call number i may start no
 * earlier than one period after call number i - limit, so no window of one period ever holds
 * more than `limitForPeriod` calls (a continuously refilled token bucket would let up to twice
 * that through across a window edge, which an upstream's "N per second" rule refuses). A call
 * that would wait longer than `timeoutDuration` is refused at once as `rate-limited` (429).
 */
import type { RateLimiterPolicy } from '../../resilience-policy.js';
import { UpstreamError } from '../errors.js';
import type { CallIds } from '../http.js';

/** Defaults for fields a declared `rateLimiter` leaves out. */
const DEFAULTS = { limitRefreshPeriod: 1_000, timeoutDuration: 5_000 };

/** The schedule of one consumed API. */
export class OutboundLimiter {
  /** Start times of the last `limit` calls, as a ring. */
  private readonly starts: Float64Array;
  private next = 0;
  readonly limit: number;
  readonly periodMs: number;
  readonly timeoutMs: number;

  constructor(policy: RateLimiterPolicy) {
    this.limit = Math.max(1, Math.floor(policy.limitForPeriod ?? 1));
    this.periodMs = policy.limitRefreshPeriod ?? DEFAULTS.limitRefreshPeriod;
    this.timeoutMs = policy.timeoutDuration ?? DEFAULTS.timeoutDuration;
    this.starts = new Float64Array(this.limit).fill(-Infinity);
  }

  /** Waits for this call's turn; throws UpstreamError `rate-limited` when the wait would be too long. */
  async acquire(ids: CallIds, signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const slot = this.next % this.limit;
    const previous = this.starts[(this.next + this.limit - 1) % this.limit]!;
    const start = Math.max(now, this.starts[slot]! + this.periodMs, previous);
    const wait = start - now;
    if (wait > this.timeoutMs) {
      throw new UpstreamError('rate-limited', ids.namespace, ids.operation, `the outbound rate limit for ${ids.namespace} (${this.limit} calls per ${this.periodMs} ms) is reached`, undefined, Math.max(1, Math.ceil(wait / 1000)));
    }
    this.starts[slot] = start;
    this.next++;
    if (wait > 0) await sleep(wait, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.ceil(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
