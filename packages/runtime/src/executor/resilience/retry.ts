/**
 * Retries of upstream calls, run by undici's retry interceptor (from the second attempt on) with
 * our own decision function:
 * exponential backoff with full jitter, `Retry-After` honoured as sent (not capped), connect
 * errors and the configured statuses retried, and no wait that would end past the call's
 * deadline: the last answer (or error) is returned instead, so retries never stretch a call
 * beyond the caller's timeout. Non-idempotent methods are retried only when the policy says so.
 */
import type { RetryHandler } from 'undici';
import { DEFAULT_RETRY, type RetryPolicy } from '@capstan/spec';
import type { AbortLike } from '../call-abort.js';

/** Methods that are idempotent by definition (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Transport failures that mean the request never reached the upstream's application (safe to send again). */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** The largest `Retry-After` honoured: beyond it the deadline decides anyway. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** Milliseconds a `Retry-After` value (seconds or an HTTP date) asks to wait, or undefined. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/** The backoff ceiling before retry number `n` (1-based). */
export function backoffCeiling(policy: Required<Omit<RetryPolicy, 'idempotent'>>, n: number): number {
  if (policy.backoff === 'fixed') return policy.waitDuration;
  return Math.min(policy.maxWaitDuration, policy.waitDuration * 2 ** (n - 1));
}

/** What one call needs to know to decide on retries. */
export interface RetryContext {
  method: string;
  /** Epoch ms after which no new attempt may start. */
  deadline: number;
  signal: AbortLike;
  /** Called before each retry (for logs and metrics). */
  onRetry?: (attempt: number, reason: string, waitMs: number) => void;
}

/** A failed attempt as the retry decision sees it: an upstream status (with its headers) or a transport error code. */
export interface AttemptFailure {
  statusCode?: number;
  code?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * The retries of one call. The first attempt goes through the plain pool (no interceptor, no
 * cost); only when its outcome is retryable does `again` decide and wait, and the attempts left
 * run on undici's retry interceptor with `rest()`. Numbering, backoff, `Retry-After`, the deadline
 * and `onRetry` are the same as if every attempt had gone through the interceptor.
 */
export interface RetryPlan {
  /** Whether this status or transport failure of an attempt is worth another attempt. */
  retryable(failure: AttemptFailure): boolean;
  /** Decides on retry number `n` after `failure`: resolves true after the wait, false to stop. */
  again(failure: AttemptFailure, n: number): Promise<boolean>;
  /** undici retry options for the attempts after the first (retry number 2 onwards). */
  rest(): RetryHandler.RetryOptions;
}

/** A policy with its defaults filled in, and the retry decision on an attempt's outcome. */
interface RetryRules {
  p: Required<Omit<RetryPolicy, 'idempotent'>> & Pick<RetryPolicy, 'idempotent'>;
  retryOn: ReadonlySet<number>;
  retryable(failure: AttemptFailure): boolean;
}

const rulesByPolicy = new WeakMap<RetryPolicy, RetryRules | null>();
let defaultRules: RetryRules | null | undefined;

/** The rules of a policy, worked out once per policy object (policies are compiled once per operation), null when retries are off. */
function retryRules(policy: RetryPolicy | undefined): RetryRules | null {
  const cached = policy ? rulesByPolicy.get(policy) : defaultRules;
  if (cached !== undefined) return cached;
  const p = { ...DEFAULT_RETRY, ...policy };
  const retryOn = new Set(p.retryOn);
  const rules = p.attempts > 0 ? { p, retryOn, retryable: (f: AttemptFailure): boolean => (f.statusCode !== undefined ? retryOn.has(f.statusCode) : CONNECT_ERRORS.has(f.code ?? '')) } : null;
  if (policy) rulesByPolicy.set(policy, rules);
  else defaultRules = rules;
  return rules;
}

/** Whether a call of `method` under `policy` is retried after this outcome (what its plan's `retryable` says, without making the plan). */
export function mayRetry(policy: RetryPolicy | undefined, method: string, failure: AttemptFailure): boolean {
  const rules = retryRules(policy);
  return !!rules && (IDEMPOTENT.has(method) || policy?.idempotent === true) && rules.retryable(failure);
}

/** The retry plan of one call, or undefined when the call is not retried. */
export function retryPlan(policy: RetryPolicy | undefined, ctx: RetryContext): RetryPlan | undefined {
  const rules = retryRules(policy);
  if (!rules) return undefined;
  if (!IDEMPOTENT.has(ctx.method) && policy?.idempotent !== true) return undefined;
  const { p, retryOn, retryable } = rules;
  /** Calls back with null to retry (after the wait), or with the error to stop and pass the last outcome on. */
  const decide = <E>(err: E & AttemptFailure, n: number, cb: (err: E | null) => void): void => {
    const reason = err.statusCode !== undefined ? String(err.statusCode) : (err.code ?? '');
    if (!retryable(err) || n > p.attempts || ctx.signal.aborted) return cb(err);
    const asked = err.statusCode !== undefined ? retryAfterMs(err.headers?.['retry-after']) : undefined;
    const wait = asked ?? Math.random() * backoffCeiling(p, n);
    if (Date.now() + wait >= ctx.deadline) return cb(err);
    ctx.onRetry?.(n, reason, Math.round(wait));
    const onAbort = () => {
      clearTimeout(timer);
      cb(err);
    };
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      cb(null);
    }, wait);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  };
  return {
    retryable,
    again: (failure, n) => new Promise((resolve) => decide(failure, n, (err) => resolve(err === null))),
    rest: () => ({
      throwOnError: false,
      maxRetries: p.attempts - 1,
      methods: [ctx.method as 'GET'],
      statusCodes: [...retryOn],
      // The interceptor counts from its own first attempt, which is the call's second.
      retry: (err, { state }, cb) => decide(err as Error & AttemptFailure, state.counter + 1, cb),
    }),
  };
}
