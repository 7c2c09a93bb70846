/** The problem+json answer for an error thrown while executing an operation. */
import { CredentialError, InputError, UpstreamError } from '@capstan/core';
import { problem, type Problem } from '@capstan/http';

/** REST status per upstream failure kind (default 502). */
const UPSTREAM_STATUS: Partial<Record<UpstreamError['kind'], number>> = { timeout: 504, 'circuit-open': 503, 'rate-limited': 429 };

/** Upstream failures → 502/503/504/429, input errors → 400, anything else → 500. */
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
