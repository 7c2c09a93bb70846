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
 * Runs before the app sees a request and may run it in a context of its own (tracing):
 * `next()` hands the request on.
 */
export type RequestInterceptor = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const records = new WeakMap<IncomingMessage, RequestRecord>();

/** The record of an answered request (kept when the app has `recordRequests` or observers), for interceptors. */
export function requestRecordOf(req: IncomingMessage): RequestRecord | undefined {
  return records.get(req);
}

export function notifyRequestEnd(observers: readonly RequestObserver[], req: FastifyRequest, status: number, ms: number): void {
  const record: RequestRecord = { ...req.fields, method: req.method, route: req.fields.route !== undefined ? req.fields.route : (req.routeOptions.url ?? null), status, ms };
  records.set(req.raw, record);
  for (const observe of observers) {
    try {
      observe(record);
    } catch {
      // an observer's failure never changes the answer
    }
  }
}
