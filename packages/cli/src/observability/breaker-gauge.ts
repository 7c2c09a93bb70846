/**
 * The circuit breaker gauge: one series per upstream origin and state (the Prometheus enum
 * pattern: the current state is 1, the other two 0), read from the running executors at each
 * scrape. Origins whose breaker is gone (a reload made new executors) drop out.
 */
import { Gauge, type Registry } from 'prom-client';
import type { BreakerStateName } from '@capstan/runtime';

/** One breaker's origin and state, as `Executor.breakerStates()` gives them. */
export interface BreakerReading {
  origin: string;
  state: BreakerStateName;
}

const STATES: readonly BreakerStateName[] = ['closed', 'open', 'half-open'];

/** Ranking for an origin that several executors (capabilities) call: the least healthy state shows. */
const SEVERITY: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Registers `capstan_upstream_circuit_state` on `registry`; `read` lists the breakers now. */
export function registerBreakerGauge(registry: Registry, read: () => readonly BreakerReading[]): void {
  new Gauge({
    name: 'capstan_upstream_circuit_state',
    help: 'Circuit breaker state per upstream origin: 1 for the current state (closed, open, half-open), 0 for the others',
    labelNames: ['origin', 'state'],
    registers: [registry],
    collect() {
      const worst = new Map<string, BreakerStateName>();
      for (const { origin, state } of read()) {
        const seen = worst.get(origin);
        if (!seen || SEVERITY[state] > SEVERITY[seen]) worst.set(origin, state);
      }
      this.reset();
      for (const [origin, current] of worst) for (const state of STATES) this.set({ origin, state }, state === current ? 1 : 0);
    },
  });
}
