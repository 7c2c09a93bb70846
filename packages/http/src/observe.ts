/** Observers of answered requests: metrics and anything else that wants one call per request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { RequestFields } from './server.js';

/** One answered request, as observers see it. */
export interface RequestRecord extends RequestFields {
  method: string;
  /** The route pattern, or null when no route matched. */
  route: string | null;
  status: number;
  /** Milliseconds from the request's arrival to the end of the answer. */
  ms: number;
}

/** Told once per answered request. */
export type RequestObserver = (record: RequestRecord) => void;

/**
 * Sees every request before the app does (tracing): `next(req, res)` hands it on, at once or
 * later. Passed the app's handler itself, so an interceptor that lets a request through
 * allocates nothing.
 */
export type RequestInterceptor = (req: IncomingMessage, res: ServerResponse, next: (req: IncomingMessage, res: ServerResponse) => void) => void;

// Only requests an interceptor asked about are in here (a traced request's server span), so an
// untraced request adds no entry (weak entries cost the garbage collector).
const watchers = new WeakMap<IncomingMessage, (record: RequestRecord) => void>();

/**
 * Asks for `req`'s record once it is answered (apps with `recordRequests` or observers): for an
 * interceptor naming its span after the route or tool. Called before the response ends.
 */
export function onRequestRecord(req: IncomingMessage, watch: (record: RequestRecord) => void): void {
  watchers.set(req, watch);
}

export function notifyRequestEnd(observers: readonly RequestObserver[], req: FastifyRequest, status: number, ms: number): void {
  const watch = watchers.get(req.raw);
  if (!watch && !observers.length) return;
  // The spread is not first: on node 20 an object literal that starts with a spread and adds
  // properties after it takes a slow path (microseconds per object).
  const record: RequestRecord = { method: req.method, status, ms, ...req.fields, route: req.fields.route !== undefined ? req.fields.route : (req.routeOptions.url ?? null) };
  if (watch) {
    watchers.delete(req.raw);
    try {
      watch(record);
    } catch {
      // a watcher's failure never changes the answer
    }
  }
  for (const observe of observers) {
    try {
      observe(record);
    } catch {
      // an observer's failure never changes the answer
    }
  }
}
