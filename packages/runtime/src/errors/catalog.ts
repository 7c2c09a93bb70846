/**
 * The error catalog: every error Capstan answers, by a stable code. Each code fixes the REST
 * problem+json `type` (`https://capstan.dev/problems/<code>`), `title` and status, and how an MCP
 * client sees it. Adapters never write a slug or a status by hand: they name a code, and the
 * executor's errors carry theirs (`CatalogError.code`).
 *
 * Caller mistakes are 4xx; upstream failures 502/503/504 (429 when the outbound limit is hit).
 */

/**
 * How an MCP client sees an error. In a tool call: an `isError` result whose text starts with
 * `label:`. Where MCP has no error result (resource reads, prompts, HTTP-level refusals on the
 * MCP route): a JSON-RPC error with code `rpc`.
 */
export interface McpMapping {
  label: string;
  rpc: number;
}

/** One catalog entry. */
export interface CatalogEntry {
  /** HTTP status of the REST (skill, control, MCP HTTP-level) answer. */
  status: number;
  /** The problem `title`: the reason phrase of `status`, the same for every problem of this code. */
  title: string;
  mcp: McpMapping;
  /** What happened, for the docs and the catalog walk. */
  summary: string;
}

/** JSON-RPC codes Capstan sends (the SDK sends parse errors itself). */
export const RPC_CODES = { serverError: -32000, invalidParams: -32602, internalError: -32603, resourceNotFound: -32002 } as const;

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The reason phrase of an HTTP status (`Error` when Capstan never sends it). */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

const { serverError, invalidParams, internalError, resourceNotFound } = RPC_CODES;

function entry(status: number, rpc: number, summary: string, label: string = reasonPhrase(status)): CatalogEntry {
  return { status, title: reasonPhrase(status), mcp: { label, rpc }, summary };
}

/** Every error code. Adding one: give it a trigger in `test/errors/catalog.test.ts`. */
export const ERROR_CATALOG = {
  // The request itself (HTTP layer, before any adapter logic).
  'bad-request': entry(400, serverError, 'the request is not valid HTTP, its URL cannot be routed, or its body is not valid JSON'),
  'request-timeout': entry(408, serverError, 'the request took too long to arrive'),
  'body-too-large': entry(413, serverError, 'the request body is over the size limit'),
  'uri-too-long': entry(414, serverError, 'the URL or one path segment is over the length limit'),
  'unsupported-media-type': entry(415, serverError, 'the request body has a media type the route does not read'),
  'header-fields-too-large': entry(431, serverError, 'the request header section is over the size limit'),
  'not-found': entry(404, serverError, 'no route for this method and path'),
  'method-not-allowed': entry(405, serverError, 'the path exists but not with this method'),
  'rate-limited': entry(429, serverError, 'this caller sent more requests than its inbound rate limit allows; retry after `Retry-After`'),
  overloaded: entry(503, serverError, 'the gateway is handling as many requests as it may; retry after `Retry-After`'),
  // Who the caller is.
  unauthorized: entry(401, invalidParams, 'the request carries no usable credential or identity'),
  forbidden: entry(403, invalidParams, 'the caller is known but not allowed'),
  'no-credential': entry(403, invalidParams, 'the caller has no upstream credential for this API', 'Forbidden'),
  // What the caller sent.
  'invalid-input': entry(400, invalidParams, 'an input is missing, has the wrong type, or cannot be sent upstream as it is', 'Invalid arguments'),
  'invalid-request-target': entry(400, invalidParams, "the caller's values would make an upstream URL that is not valid or leaves the declared upstream", 'Invalid arguments'),
  'unknown-tool': entry(404, invalidParams, 'no tool of that name (MCP)', 'Unknown tool'),
  'unknown-resource': entry(404, invalidParams, 'no resource at that URI, or the URI names a folder (MCP)', 'Unknown resource'),
  'unknown-prompt': entry(404, invalidParams, 'no prompt of that name (MCP)', 'Unknown prompt'),
  // Files a skill or an MCP resource serves.
  'invalid-path': entry(400, invalidParams, 'the file path is malformed or leaves its folder', 'Invalid path'),
  'file-not-found': entry(404, resourceNotFound, 'no such file in the skill or resource folder', 'Resource not found'),
  'skill-not-found': entry(404, serverError, 'no skill of that name'),
  'no-skill-contents': entry(404, serverError, 'the skill declares no folder, or its folder is missing'),
  // The upstream.
  'upstream-unavailable': entry(502, internalError, 'the upstream could not be reached or closed the connection', 'Upstream unavailable'),
  'upstream-timeout': entry(504, internalError, 'the upstream did not answer in time', 'Upstream timeout'),
  'upstream-too-large': entry(502, internalError, 'the upstream answered a body over the size limit', 'Upstream answer too large'),
  'upstream-bad-format': entry(502, internalError, 'the upstream answered content that is not the declared format', 'Upstream unreadable answer'),
  'upstream-redirect': entry(502, internalError, 'the upstream answered a redirect, which Capstan does not follow', 'Upstream redirect'),
  'upstream-circuit-open': entry(503, internalError, "the upstream's circuit breaker is open after repeated failures; the call was not made", 'Upstream circuit open'),
  'upstream-rate-limited': entry(429, internalError, 'the outbound rate limit of the upstream is reached; the call was not made', 'Upstream rate limited'),
  'upstream-configuration': entry(502, internalError, 'the capability cannot perform this call (e.g. an authentication type Capstan does not support); the call was not made', 'Upstream not called'),
  'output-mismatch': entry(502, internalError, "the upstream's answer does not match the tool's declared output shape (MCP)", 'Output mismatch'),
  // The control adapter.
  'reload-rejected': entry(422, serverError, 'a reload found errors in the capability files; the running version keeps serving'),
  'not-implemented': entry(501, serverError, 'a documented control endpoint that Capstan does not serve (`/config`)'),
  // Capstan itself.
  internal: entry(500, internalError, 'an unexpected error; the answer quotes the request id', 'Error'),
} as const satisfies Record<string, CatalogEntry>;

/** A catalog code. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** True when `code` is in the catalog. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, code);
}

/** The catalog entry of a code. */
export function catalogEntry(code: ErrorCode): CatalogEntry {
  return ERROR_CATALOG[code];
}

/** The problem `type` URI of a code. */
export function problemType(code: ErrorCode): string {
  return `https://capstan.dev/problems/${code}`;
}

/**
 * Base of every error the runtime raises for a caller to see: it names its catalog code, and
 * its message never carries a secret (messages pass through redaction before they leave).
 */
export abstract class CatalogError extends Error {
  abstract readonly code: ErrorCode;
}
