/**
 * Outbound rate limits per consumed API. A sliding window: call number i leaves the queue no
 * earlier than one period after call number i - limit actually left, so no window of one period
 * ever holds more than `limitForPeriod` calls, even when the process runs late (a continuously refilled token bucket would let up to twice
 * that through across a window edge, which an upstream's "N per second" rule refuses). A call
 * that would wait longer than `timeoutDuration` is refused at once as `rate-limited` (429).
 */
import type { RateLimiterPolicy } from '@capstan/spec';
import { UpstreamError } from '../errors.js';
import type { AbortLike } from '../call-abort.js';
import type { CallIds } from '../http.js';

/** Defaults for fields a declared `rateLimiter` leaves out. */
const DEFAULTS = { limitRefreshPeriod: 1_000, timeoutDuration: 5_000 };

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

/** The schedule of one consumed API: calls leave a FIFO queue when the window has room. */
export class OutboundLimiter {
  /** Release times of the last `limit` calls, as a ring (`next` is the oldest). */
  private readonly releases: Float64Array;
  private next = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  readonly limit: number;
  readonly periodMs: number;
  readonly timeoutMs: number;
  /** Told the time (`performance.now()`) of each release the limiter decides: what a test or a diagnostic measures, not when the caller resumes. */
  onRelease: ((at: number) => void) | undefined = undefined;

  constructor(policy: RateLimiterPolicy) {
    this.limit = Math.max(1, Math.floor(policy.limitForPeriod ?? 1));
    this.periodMs = policy.limitRefreshPeriod ?? DEFAULTS.limitRefreshPeriod;
    this.timeoutMs = policy.timeoutDuration ?? DEFAULTS.timeoutDuration;
    this.releases = new Float64Array(this.limit).fill(-Infinity);
  }

  /** Waits for this call's turn; throws UpstreamError `rate-limited` when the wait would be too long. */
  acquire(ids: CallIds, signal?: AbortLike): Promise<void> {
    const now = performance.now();
    const q = this.queue.length;
    // Release times are only ever later than this estimate, never earlier.
    const estimate = this.releases[(this.next + q) % this.limit]! + this.periodMs * (Math.floor(q / this.limit) + 1) - now;
    if (estimate > this.timeoutMs) {
      return Promise.reject(new UpstreamError('rate-limited', ids.namespace, ids.operation, `the outbound rate limit for ${ids.namespace} (${this.limit} calls per ${this.periodMs} ms) is reached`, undefined, Math.max(1, Math.ceil(estimate / 1000))));
    }
    if (q === 0 && estimate <= 0) {
      this.record(now);
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Releases the waiters the window has room for, then sleeps until the oldest release leaves it. */
  private pump(): void {
    if (this.timer) return;
    while (this.queue.length) {
      const now = performance.now();
      const at = this.releases[this.next % this.limit]! + this.periodMs;
      if (at > now) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.ceil(at - now));
        return;
      }
      this.record(now);
      this.queue.shift()!.resolve();
    }
  }

  private record(time: number): void {
    this.releases[this.next % this.limit] = time;
    this.next++;
    this.onRelease?.(time);
  }
}
