/**
 * Who is calling: the verified identity an adapter hands to the executor with each call. The
 * executor never sees the caller's protocol, only this context; nothing in it comes from an
 * unverified source (adapters build it from an inbound authenticator's decision).
 */
import { OWNED_NAMES } from '../executor/mustache.js';

/** A verified caller. */
export interface Caller {
  /** The caller's identity: a JWT `sub`, a basic user name, the user an API key belongs to. */
  sub: string;
  /** How the identity was established, e.g. `jwt`, `basic`, `apikey`, `forwarded`. */
  scheme: string;
  /** Verified claims (a JWT's payload; empty for other schemes). */
  claims: Readonly<Record<string, unknown>>;
}

/** What travels from an adapter through the executor's call options for one request. */
export interface RequestContext {
  /** The verified caller; absent when the request carried no identity. */
  caller?: Caller;
  /**
   * The inbound request's headers (lower-case names), read only by a consumed API that opted in
   * to pass-through. Never logged, never rendered into templates.
   */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** Template names owned by the request context; inputs and binds can never supply them. */
export const CONTEXT_NAMES = ['caller', 'credential'] as const;

/** The template layer of a caller: `{{caller.sub}}`, `{{caller.scheme}}`, `{{caller.claims.x}}`. */
export function callerView(caller: Caller | undefined): Record<string, unknown> | undefined {
  return caller ? { sub: caller.sub, scheme: caller.scheme, claims: caller.claims } : undefined;
}

/**
 * The template layer of one call: binds plus `caller`, owning the context names (see
 * `OWNED_NAMES`), so `{{caller.sub}}` is the verified identity or nothing.
 */
export function contextLayer(binds: Readonly<Record<string, unknown>>, caller: Caller | undefined): Record<string, unknown> {
  return Object.defineProperty({ ...binds, caller: callerView(caller), credential: undefined }, OWNED_NAMES, { value: OWNED_SET });
}

const OWNED_SET: ReadonlySet<string> = new Set(CONTEXT_NAMES);
