/**
 * Retries of upstream calls, run by undici's retry interceptor with our own decision function:
 * exponential backoff with full jitter, `Retry-After` honoured as sent (not capped), connect
 * errors and the configured statuses retried, and no wait that would end past the call's
 * deadline: the last answer (or error) is returned instead, so retries never stretch a call
 * beyond the caller's timeout. Non-idempotent methods are retried only when the policy says so.
 */
import type { RetryHandler } from 'undici';
import { DEFAULT_RETRY, type RetryPolicy } from '../../resilience-policy.js';

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
  signal: AbortSignal;
  /** Called before each retry (for logs and metrics). */
  onRetry?: (attempt: number, reason: string, waitMs: number) => void;
}

/**
 * undici retry options for one call, or undefined when the call is not retried (then it goes
 * through the plain pool, at no cost).
 */
export function retryOptions(policy: RetryPolicy | undefined, ctx: RetryContext): RetryHandler.RetryOptions | undefined {
  const p = { ...DEFAULT_RETRY, ...policy };
  if (!(p.attempts > 0)) return undefined;
  if (!IDEMPOTENT.has(ctx.method) && policy?.idempotent !== true) return undefined;
  const retryOn = new Set(p.retryOn);
  return {
    throwOnError: false,
    maxRetries: p.attempts,
    methods: [ctx.method as 'GET'],
    statusCodes: [...retryOn],
    retry(err, { state }, cb) {
      const e = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string | string[] | undefined> };
      const reason = e.statusCode !== undefined ? String(e.statusCode) : (e.code ?? '');
      const retryable = e.statusCode !== undefined ? retryOn.has(e.statusCode) : CONNECT_ERRORS.has(e.code ?? '');
      if (!retryable || state.counter > p.attempts || ctx.signal.aborted) return cb(err);
      const asked = e.statusCode !== undefined ? retryAfterMs(e.headers?.['retry-after']) : undefined;
      const wait = asked ?? Math.random() * backoffCeiling(p, state.counter);
      if (Date.now() + wait >= ctx.deadline) return cb(err);
      ctx.onRetry?.(state.counter, reason, Math.round(wait));
      const onAbort = () => {
        clearTimeout(timer);
        cb(err);
      };
      const timer = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        cb(null);
      }, wait);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    },
  };
}
