/**
 * RFC 9457 problem details: the body of every HTTP error answer. Routes that speak JSON-RPC (MCP)
 * mark themselves with `errorStyle: 'jsonrpc'` and get the same problem as a JSON-RPC error.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

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
  406: 'Not Acceptable', 408: 'Request Timeout', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The problem media type. */
export const PROBLEM_TYPE = 'application/problem+json';

/** How a route answers errors: problem+json (default) or a JSON-RPC error object (MCP). */
export type ErrorStyle = 'problem' | 'jsonrpc';

/** Builds a problem; `slug` names the kind in `type` (a stable URI per kind). */
export function problem(status: number, slug: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `https://capstan.dev/problems/${slug}`, title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

/** Sends a problem+json answer with optional extra headers. */
export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(body.status).type(PROBLEM_TYPE).send(JSON.stringify(body));
}

/** The JSON-RPC error body (id null: the request was not read as a message) for a problem. */
export function jsonRpcError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/** Sends `body` in the style of the route the request matched (problem+json outside any route). */
export function sendError(req: FastifyRequest, reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  if (errorStyleOf(req) !== 'jsonrpc') return sendProblem(reply, body, headers);
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(body.status).type('application/json').send(jsonRpcError(-32000, `${body.title}: ${body.detail}`));
}

function errorStyleOf(req: FastifyRequest): ErrorStyle {
  return ((req.routeOptions?.config as { errorStyle?: ErrorStyle } | undefined)?.errorStyle) ?? 'problem';
}
