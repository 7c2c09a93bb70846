/** RFC 9457 problem details: the body of every REST error answer. */
import { CredentialError, InputError, UpstreamError } from '@capstan/core';

/** A problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: Array<{ name: string; in?: string; message: string }>;
  upstream?: { namespace: string; operation: string; status?: number };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The problem media type. */
export const PROBLEM_TYPE = 'application/problem+json';

/** Builds a problem; `slug` names the kind in `type` (a stable URI per kind). */
export function problem(status: number, slug: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `https://capstan.dev/problems/${slug}`, title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

/** REST status per upstream failure kind (default 502). */
const UPSTREAM_STATUS: Partial<Record<UpstreamError['kind'], number>> = { timeout: 504, 'circuit-open': 503, 'rate-limited': 429 };

/** The problem for an error thrown while executing: upstream failures → 502/503/504/429, input errors → 400, anything else → 500. */
export function problemForError(err: unknown, redact: (text: string) => string, requestId: string): Problem {
  if (err instanceof UpstreamError) {
    const upstream = { namespace: err.namespace, operation: err.operation, ...(err.status !== undefined ? { status: err.status } : {}) };
    const status = UPSTREAM_STATUS[err.kind] ?? 502;
    return problem(status, `upstream-${err.kind}`, redact(err.message), { upstream, requestId });
  }
  if (err instanceof InputError) {
    return problem(400, 'invalid-input', redact(err.message), { errors: err.errors.map((e) => ({ name: e.name, message: redact(e.message) })), requestId });
  }
  if (err instanceof CredentialError) {
    return problem(err.status, err.status === 401 ? 'unauthorized' : 'no-credential', redact(err.message), { upstream: { namespace: err.namespace, operation: 'credentials' }, requestId });
  }
  return problem(500, 'internal', `an unexpected error occurred; quote request id ${requestId} when reporting it`, { requestId });
}
