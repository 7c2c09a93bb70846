/**
 * Errors the executor throws. Each caller-facing one carries its error-catalog code, and adapters
 * turn it into an answer through the catalog (`errors/translate.ts`), so each names what went wrong
 * without carrying a secret: messages pass through the executor's redaction before they leave
 * it, and no error keeps the request's headers or URL.
 */
import { CatalogError, type ErrorCode } from '../errors/catalog.js';

/**
 * Why an upstream call did not give a usable answer. `bad-request-target`: the call was not made,
 * the caller's values would give an invalid URL or one off the declared upstream (a caller
 * mistake: 400 `invalid-request-target`). `circuit-open`: the upstream's breaker refuses calls (503);
 * `rate-limited`: the outbound limit had no token in time (429).
 */
export type UpstreamErrorKind = 'unavailable' | 'timeout' | 'too-large' | 'bad-format' | 'redirect' | 'bad-request-target' | 'circuit-open' | 'rate-limited' | 'configuration';

/** The catalog code of each upstream failure kind. */
const UPSTREAM_CODES: Readonly<Record<UpstreamErrorKind, ErrorCode>> = {
  unavailable: 'upstream-unavailable',
  timeout: 'upstream-timeout',
  'too-large': 'upstream-too-large',
  'bad-format': 'upstream-bad-format',
  redirect: 'upstream-redirect',
  'bad-request-target': 'invalid-request-target',
  'circuit-open': 'upstream-circuit-open',
  'rate-limited': 'upstream-rate-limited',
  configuration: 'upstream-configuration',
};

/** The upstream could not be reached, was too slow, answered too much, or answered something unusable; or the request target was refused. */
export class UpstreamError extends CatalogError {
  override readonly name = 'UpstreamError';
  constructor(
    readonly kind: UpstreamErrorKind,
    readonly namespace: string,
    readonly operation: string,
    message: string,
    /** The upstream's HTTP status, when it answered at all. */
    readonly status?: number,
    /** Seconds after which trying again makes sense (circuit open, outbound limit reached). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get code(): ErrorCode {
    return UPSTREAM_CODES[this.kind];
  }
}

/** One caller input the executor refused, by parameter name. */
export interface InputProblem {
  name: string;
  message: string;
}

/** The caller's inputs cannot be sent as they are (e.g. a path traversal attempt): adapters answer 400. */
export class InputError extends CatalogError {
  override readonly name = 'InputError';
  readonly code = 'invalid-input';
  constructor(readonly errors: InputProblem[]) {
    super(errors.map((e) => `${e.name}: ${e.message}`).join('; '));
  }
}

/** A bind variable could not be resolved at start-up; names the variable and bind, never a value. */
export class BindError extends Error {
  override readonly name = 'BindError';
  constructor(
    readonly variable: string,
    readonly namespace: string,
    message: string,
  ) {
    super(message);
  }
}

/** A script step failed (syntax error, exception, time or memory limit, unsupported language). */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}
