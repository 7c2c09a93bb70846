/** Observers of answered requests: metrics and anything else that wants one call per request. */
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

export function notifyRequestEnd(observers: readonly RequestObserver[], req: FastifyRequest, status: number, ms: number): void {
  const record: RequestRecord = { ...req.fields, method: req.method, route: req.routeOptions.url ?? null, status, ms };
  for (const observe of observers) {
    try {
      observe(record);
    } catch {
      // an observer's failure never changes the answer
    }
  }
}
