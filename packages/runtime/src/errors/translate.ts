/**
 * Turns a catalog code or a thrown error into what a caller sees: an RFC 9457 problem (REST,
 * skill, control, and the HTTP layer of MCP) or the text of an MCP error result. Every adapter
 * translates through here, so a code answers the same status, type and wording everywhere.
 */
import { catalogEntry, CatalogError, isErrorCode, problemType, type ErrorCode } from './catalog.js';

/** A problem+json body (RFC 9457). */
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

/** The problem media type. */
export const PROBLEM_TYPE = 'application/problem+json';

/** The problem of a catalog code with a detail saying what happened this time. */
export function problem(code: ErrorCode, detail: string, extra: Partial<Problem> = {}): Problem {
  const entry = catalogEntry(code);
  return { type: problemType(code), title: entry.title, status: entry.status, detail, ...extra };
}

/** What the translation reads from a thrown error (structural, so a second copy of the runtime still matches). */
interface ErrorFields {
  code?: unknown;
  namespace?: unknown;
  operation?: unknown;
  status?: unknown;
  errors?: unknown;
}

/** The catalog code of anything thrown: its own when it is a catalog error, `internal` otherwise. */
export function errorCodeOf(err: unknown): ErrorCode {
  if (err instanceof CatalogError) return err.code;
  const code = (err as ErrorFields | undefined)?.code;
  return err instanceof Error && isErrorCode(code) ? code : 'internal';
}

function upstreamOf(err: unknown): Problem['upstream'] | undefined {
  const e = err as ErrorFields;
  if (typeof e?.namespace !== 'string') return undefined;
  return { namespace: e.namespace, operation: typeof e.operation === 'string' ? e.operation : 'credentials', ...(typeof e.status === 'number' && e.status >= 100 ? { status: e.status } : {}) };
}

function inputErrorsOf(err: unknown, redact: (text: string) => string): Array<{ name: string; message: string }> | undefined {
  const list = (err as ErrorFields)?.errors;
  if (!Array.isArray(list)) return undefined;
  return list.filter((x): x is { name: string; message: string } => typeof x?.name === 'string' && typeof x?.message === 'string').map((x) => ({ name: x.name, message: redact(x.message) }));
}

/** The problem for an error thrown while running a handler; unknown errors are 500 quoting the request id, never their message. */
export function problemForError(err: unknown, redact: (text: string) => string, requestId: string): Problem {
  const code = errorCodeOf(err);
  if (code === 'internal') return problem('internal', `an unexpected error occurred; quote request id ${requestId} when reporting it`, { requestId });
  const errors = inputErrorsOf(err, redact);
  const upstream = upstreamOf(err);
  return problem(code, redact((err as Error).message), { ...(errors ? { errors } : {}), ...(upstream ? { upstream } : {}), requestId });
}

/**
 * The text of an MCP error result for an error thrown while running `what` (`tool \`x\``):
 * `Upstream timeout: registry.slow did not answer in time (…)`, `Invalid arguments for tool
 * \`x\`: \`id\` …`. Unknown errors give their redacted message after `Error:`.
 */
export function mcpErrorText(err: unknown, redact: (text: string) => string, what: string): string {
  if (err instanceof Error && err.name === 'AbortError') return `The call of ${what} was cancelled`;
  const code = errorCodeOf(err);
  const label = catalogEntry(code).mcp.label;
  const message = redact(err instanceof Error ? err.message : String(err)).trim();
  const errors = inputErrorsOf(err, redact);
  if (errors) return `${label} for ${what}: ${errors.map((e) => `\`${e.name}\` ${e.message}`).join('; ')}`;
  const upstream = upstreamOf(err);
  if (upstream && code.startsWith('upstream-')) {
    const id = `${upstream.namespace}.${upstream.operation}`;
    return `${label}: ${message.includes(id) ? message : `${id}: ${message}`}`;
  }
  return `${label}: ${message}`;
}

/** The text of an MCP error for a catalog code the adapter raises itself: `label: detail`. */
export function mcpText(code: ErrorCode, detail: string): string {
  return `${catalogEntry(code).mcp.label}: ${detail}`;
}
