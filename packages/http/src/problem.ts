/**
 * Sending RFC 9457 problem details (built from the runtime's error catalog). Routes that speak
 * JSON-RPC (MCP) mark themselves with `errorStyle: 'jsonrpc'` and get the same problem as a
 * JSON-RPC error.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPE, type Problem } from '@capstan/runtime';

export { problem, PROBLEM_TYPE, type Problem } from '@capstan/runtime';

/** How a route answers errors: problem+json (default) or a JSON-RPC error object (MCP). */
export type ErrorStyle = 'problem' | 'jsonrpc';

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
