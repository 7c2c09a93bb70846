/**
 * Circuit breakers per upstream origin, on cockatiel: a sampling breaker opens when the share
 * of failed calls (transport errors, timeouts, 5xx answers) in a sliding window reaches the
 * threshold, fails calls fast while open, lets one probe through after the open period
 * (half-open) and closes again when the probe succeeds. Open circuits become an UpstreamError
 * `circuit-open` naming the upstream (REST 503, MCP tool error).
 */
import { createRequire } from 'node:module';
import type { CircuitBreakerPolicy as Breaker } from 'cockatiel';
import { DEFAULT_BREAKER, type CircuitBreakerPolicy } from '@capstan/spec';
import { UpstreamError } from '../errors.js';
import type { CallIds, InboundResponse } from '../http.js';

/** A breaker's state as a name (`closed`, `open`, `half-open`). */
export type BreakerStateName = 'closed' | 'open' | 'half-open';

let loaded: typeof import('cockatiel') | undefined;
/** cockatiel, loaded with the first breaker: most gateways configure none. */
const cockatiel = (): typeof import('cockatiel') => (loaded ??= createRequire(import.meta.url)('cockatiel') as typeof import('cockatiel'));

function stateName(state: Breaker['state']): BreakerStateName {
  const { CircuitState } = cockatiel();
  return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
}

/** Marks a 5xx answer as a failure for the breaker while still handing it back to the caller. */
class FailedAnswer extends Error {
  constructor(readonly response: InboundResponse) {
    super(`upstream answered ${response.status}`);
  }
}

const isFailure = (err: Error): boolean => err instanceof FailedAnswer || (err instanceof UpstreamError && (err.kind === 'unavailable' || err.kind === 'timeout'));

/** The breakers of one executor, one per upstream origin. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, Breaker>();

  /** Runs `call` through the origin's breaker (created on first use with `policy`). */
  async run(origin: string, policy: CircuitBreakerPolicy, ids: CallIds, call: () => Promise<InboundResponse>): Promise<InboundResponse> {
    const breaker = this.breaker(origin, policy);
    try {
      return await breaker.execute(async () => {
        const res = await call();
        if (res.status >= 500) throw new FailedAnswer(res);
        return res;
      });
    } catch (err) {
      if (err instanceof FailedAnswer) return err.response;
      if (err instanceof cockatiel().BrokenCircuitError) {
        const p = { ...DEFAULT_BREAKER, ...policy };
        throw new UpstreamError('circuit-open', ids.namespace, ids.operation, `the circuit breaker for ${ids.namespace} (${origin}) is open after repeated failures; calls are refused for up to ${Math.ceil(p.waitDurationInOpenState / 1000)} s`, undefined, Math.ceil(p.waitDurationInOpenState / 1000));
      }
      throw err;
    }
  }

  /** The state of every breaker by origin (for metrics). */
  states(): Array<{ origin: string; state: BreakerStateName }> {
    return [...this.breakers].map(([origin, b]) => ({ origin, state: stateName(b.state) }));
  }

  private breaker(origin: string, policy: CircuitBreakerPolicy): Breaker {
    let breaker = this.breakers.get(origin);
    if (!breaker) {
      const p = { ...DEFAULT_BREAKER, ...policy };
      const { circuitBreaker, handleWhen, SamplingBreaker } = cockatiel();
      breaker = circuitBreaker(handleWhen(isFailure), {
        halfOpenAfter: p.waitDurationInOpenState,
        breaker: new SamplingBreaker({
          threshold: Math.min(1, Math.max(0.01, p.failureRateThreshold / 100)),
          duration: p.slidingWindowDuration,
          minimumRps: p.minimumNumberOfCalls / (p.slidingWindowDuration / 1000),
        }),
      });
      this.breakers.set(origin, breaker);
    }
    return breaker;
  }
}
