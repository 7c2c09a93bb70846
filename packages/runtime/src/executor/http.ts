/**
 * Outbound HTTP on undici: one keep-alive `Pool` per upstream origin with a bounded number of
 * connections, shared by every executor of the process (shared-pools.ts) unless the namespace
 * presents a client certificate or goes through a tunnel, connect/headers/body timeouts plus an overall deadline, and a response size cap.
 * Redirects are never followed (undici's Pool does not follow them); callers decide what a 3xx
 * means. Transport failures become UpstreamErrors: 'unavailable' (refused, reset, DNS) or
 * 'timeout'; an answer over the cap is aborted as 'too-large'.
 */
import type { Dispatcher, RetryHandler } from 'undici';
import { Pool, retryInterceptor } from './undici-parts.js';
import type { RetryPolicy } from '@capstan/spec';
import type { ClientTls } from './auth/certificate.js';
import { CallAbort, type AbortLike } from './call-abort.js';
import { leasePool, type PoolLease } from './shared-pools.js';
import { AnswerCollector, type AnswerWatch } from './answer.js';
import { UpstreamError } from './errors.js';
import type { OpenTunnels } from './tunnel.js';
import { mayRetry, retryPlan, type AttemptFailure, type RetryContext, type RetryPlan } from './resilience/retry.js';

/** Timeouts for one upstream call, in milliseconds. */
export interface HttpTimeouts {
  connectMs: number;
  /** From request sent to response headers received. */
  headersMs: number;
  /** Longest silence while the body arrives. */
  bodyMs: number;
}

/** A fully built upstream request. */
export interface OutboundRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The largest answer read for this call, over the client's cap (a binary operation's `maxBinarySize`). */
  maxBytes?: number;
}

/** An upstream answer, body read in full. */
export interface InboundResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Who is being called, for error messages. */
export interface CallIds {
  namespace: string;
  operation: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Pools per origin; one instance per executor. */
export class HttpClient {
  /** This client's pools by key: leases on the shared ones, and its own for client certificates. */
  private readonly pools = new Map<string, PoolLease>();
  /** The same pools behind undici's retry interceptor, for calls that may be retried. */
  private readonly retryingPools = new Map<string, Dispatcher>();

  /**
   * `clientTls`: per consumed namespace, the TLS options of its connections (client certificates);
   * `tunnels`: the namespaces whose connections are dialled through a tunnel (tunnel.ts).
   */
  constructor(private readonly options: { timeouts: HttpTimeouts; maxResponseBytes: number; maxConnections: number; clientTls?: ReadonlyMap<string, ClientTls>; tunnels?: OpenTunnels }) {}

  /** A namespace with a client certificate or a tunnel gets pools of its own: its connections are never shared. */
  private poolKey(origin: string, namespace: string): string {
    return this.options.clientTls?.has(namespace) || this.options.tunnels?.connectors.has(namespace) ? `${namespace} ${origin}` : origin;
  }

  private pool(origin: string, namespace: string): Pool {
    const key = this.poolKey(origin, namespace);
    const tls = this.options.tunnels?.connectors.get(namespace) ?? this.options.clientTls?.get(namespace);
    let lease = this.pools.get(key);
    if (!lease) {
      const t = this.options.timeouts;
      const settings = { connections: this.options.maxConnections, connectTimeout: t.connectMs, headersTimeout: t.headersMs, bodyTimeout: t.bodyMs, keepAliveTimeout: 4_000 };
      lease = tls ? ownPool(new Pool(origin, { ...settings, connect: tls })) : leasePool(origin, settings);
      this.pools.set(key, lease);
    }
    return lease.pool;
  }

  /** The origin's pool behind undici's retry interceptor. */
  private retrying(origin: string, namespace: string): Dispatcher {
    const key = this.poolKey(origin, namespace);
    let d = this.retryingPools.get(key);
    if (!d) this.retryingPools.set(key, (d = this.pool(origin, namespace).compose(retryInterceptor())));
    return d;
  }

  /**
   * Sends one request and reads the whole answer (up to the size cap). With a retry policy, the
   * attempts share the call's one deadline (connect + headers + body timeouts).
   */
  async send(req: OutboundRequest, ids: CallIds, signal?: AbortLike, retry?: { policy?: RetryPolicy; onRetry?: RetryContext['onRetry'] }): Promise<InboundResponse> {
    const t = this.options.timeouts;
    const budget = t.connectMs + t.headersMs + t.bodyMs;
    // One abort and one timer per call (cheaper than AbortSignal.timeout + AbortSignal.any, or an AbortController, on the hot path).
    const controller = new CallAbort();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, budget);
    const onCallerAbort = () => controller.abort(signal?.reason);
    if (signal) {
      if (signal.aborted) onCallerAbort();
      else signal.addEventListener('abort', onCallerAbort, { once: true });
    }
    const combined = controller;
    const deadline = Date.now() + budget;
    try {
      const origin = req.url.origin;
      if (!retry) return await this.attempt(this.pool(origin, ids.namespace), req, combined, ids);
      // The first attempt skips the retry interceptor; it only comes in when a retry is due. The
      // plan (its waits, the interceptor's options) is made only once an outcome asks for a retry.
      const progress = { answered: false };
      let plan: RetryPlan;
      try {
        const first = await this.attempt(this.pool(origin, ids.namespace), req, combined, ids, undefined, progress);
        if (!mayRetry(retry.policy, req.method, { statusCode: first.status })) return first;
        plan = planOf(retry, req.method, deadline, combined);
        if (!(await plan.again({ statusCode: first.status, headers: first.headers }, 1))) return first;
      } catch (err) {
        if (err instanceof UpstreamError || !mayRetry(retry.policy, req.method, err as AttemptFailure)) throw err;
        plan = planOf(retry, req.method, deadline, combined);
        if (!(await plan.again(err as AttemptFailure, 1))) throw err;
        // Cut off mid-body: asked for once more, as the interceptor asks once for the rest (Range).
        if (progress.answered) return await this.attempt(this.pool(origin, ids.namespace), req, combined, ids);
      }
      return await this.attempt(this.retrying(origin, ids.namespace), req, combined, ids, plan.rest());
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      if (signal?.aborted) throw signal.reason;
      const code = (err as { code?: string }).code ?? '';
      if (timedOut || TIMEOUT_CODES.has(code)) {
        throw new UpstreamError('timeout', ids.namespace, ids.operation, `${ids.namespace}.${ids.operation} did not answer in time (${describeTimeout(code, t)})`);
      }
      throw new UpstreamError('unavailable', ids.namespace, ids.operation, `${ids.namespace}.${ids.operation} is unavailable (${code || (err as Error).name})`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * One dispatch (through the retry interceptor when `retryOptions` is given), body read in full;
   * `progress.answered` turns true once the response headers are in.
   */
  private attempt(dispatcher: Dispatcher, req: OutboundRequest, signal: AbortLike, ids: CallIds, retryOptions?: RetryHandler.RetryOptions, progress?: AnswerWatch): Promise<InboundResponse> {
    const max = req.maxBytes ?? this.options.maxResponseBytes;
    const answer = new AnswerCollector(signal, max, (status) => tooLarge(ids, max, status), progress);
    dispatcher.dispatch({
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(retryOptions ? { retryOptions } : {}),
    } as Dispatcher.DispatchOptions, answer);
    return answer.settled;
  }

  /** Closes this client's own pools and lets go of the shared ones (closed with their last user). */
  async close(): Promise<void> {
    const leases = [...this.pools.values()];
    this.pools.clear();
    this.retryingPools.clear();
    await Promise.all(leases.map((l) => l.release()));
    await this.options.tunnels?.close();
  }
}

/** The retry plan of a call that `mayRetry` allowed. */
function planOf(retry: { policy?: RetryPolicy; onRetry?: RetryContext['onRetry'] }, method: string, deadline: number, signal: AbortLike): RetryPlan {
  return retryPlan(retry.policy, { method, deadline, signal, ...(retry.onRetry ? { onRetry: retry.onRetry } : {}) })!;
}

/** The error of an answer over the size cap. */
function tooLarge(ids: CallIds, max: number, status: number): UpstreamError {
  return new UpstreamError('too-large', ids.namespace, ids.operation, `the answer of ${ids.namespace}.${ids.operation} is larger than ${max} bytes`, status);
}

/** A pool of this client alone, as a lease that closes it. */
function ownPool(pool: Pool): PoolLease {
  return { pool, release: () => pool.close().catch(() => pool.destroy()) };
}

function describeTimeout(code: string, t: HttpTimeouts): string {
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return `connect timeout ${t.connectMs} ms`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no response headers within ${t.headersMs} ms`;
  if (code === 'UND_ERR_BODY_TIMEOUT') return `body stalled for ${t.bodyMs} ms`;
  return `overall deadline ${t.connectMs + t.headersMs + t.bodyMs} ms`;
}
