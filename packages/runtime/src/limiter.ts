/**
 * A process-wide cap on requests being handled at once. When it is reached, adapters answer
 * 503 with `Retry-After` at once instead of queueing work the gateway cannot finish in time.
 */
export class ConcurrencyLimiter {
  private active = 0;
  /** `release` bound once: the `close` listener of every admitted request. */
  private readonly releaser = (): void => this.release();

  /** @param max most requests in flight at once (a positive integer). */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`the concurrency limit must be a positive integer, not ${max}`);
  }

  /** Takes a slot; false when none is free. */
  tryAcquire(): boolean {
    if (this.active >= this.max) return false;
    this.active++;
    return true;
  }

  /** Gives a slot back. */
  release(): void {
    if (this.active > 0) this.active--;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Takes a slot if one is free and gives it back when `done` emits `close` (a finished or aborted response). */
  admit(done: { on(event: 'close', listener: () => void): unknown }): boolean {
    if (!this.tryAcquire()) return false;
    // `close` is emitted once per response: `on` does what `once` would, without a wrapper per request.
    done.on('close', this.releaser);
    return true;
  }
}

/** Seconds a client should wait before retrying a request refused by the limiter. */
export const RETRY_AFTER_SECONDS = 1;
