/**
 * A hook on every upstream call, for metrics and tracing. The executor does not know who
 * observes: it tells the observer a call starts (which may add headers, e.g. `traceparent`) and
 * how it ended.
 */
import { UpstreamError } from './errors.js';
import type { RequestContext } from '../identity/caller.js';

/** An upstream call about to be sent. */
export interface UpstreamCall {
  namespace: string;
  operation: string;
  method: string;
  url: URL;
  /** The context of the request the call serves (its headers: the caller's `traceparent`); absent without one. */
  context?: RequestContext | undefined;
}

/** How an upstream call ended: an HTTP status, or the kind of failure (`timeout`, `unavailable`…). */
export interface UpstreamCallEnd {
  status?: number;
  error?: string;
  /** Milliseconds from start to the full answer (or the failure). */
  ms: number;
}

/** What an observer keeps for one call. */
export interface UpstreamWatch {
  /** Headers added to the request (never overriding the ones the executor set). */
  headers?: Record<string, string>;
  /** Told how the call ended; without it the call is sent as is, untimed (nothing records it). */
  end?(outcome: UpstreamCallEnd): void;
}

/** Told about every upstream call. */
export interface UpstreamObserver {
  start(call: UpstreamCall): UpstreamWatch | undefined;
}

/** Runs `send` under `observer` (when there is one), telling it how the call ended. */
export function observeCall<T extends { status: number }>(observer: UpstreamObserver | undefined, call: UpstreamCall, send: (headers?: Record<string, string>) => Promise<T>): Promise<T> {
  const watch = observer?.start(call);
  if (!watch) return send();
  return watch.end ? timed(watch as TimedWatch, send) : send(watch.headers);
}

type TimedWatch = UpstreamWatch & { end(outcome: UpstreamCallEnd): void };

async function timed<T extends { status: number }>(watch: TimedWatch, send: (headers?: Record<string, string>) => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const res = await send(watch.headers);
    watch.end({ status: res.status, ms: performance.now() - started });
    return res;
  } catch (err) {
    const error = err instanceof UpstreamError ? err.kind : err instanceof Error && err.name === 'AbortError' ? 'aborted' : 'error';
    watch.end({ error, ms: performance.now() - started });
    throw err;
  }
}

/**
 * Adds an observer's headers to a built request without overriding the request's own. A built
 * request's headers object belongs to that one call, so they are added in place (no copy per call).
 */
export function withObserverHeaders<T extends { request: { headers: Record<string, string> } }>(built: T, headers: Record<string, string> | undefined): T {
  if (headers) for (const name in headers) built.request.headers[name] ??= headers[name]!;
  return built;
}
