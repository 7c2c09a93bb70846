/**
 * The fast path for the commonest MCP request: one `tools/call` or `tools/list` POSTed to a
 * session this replica holds, or statelessly. The request runs through the SDK's own request
 * handling (`direct.ts`: an SDK `Server` on an in-process transport, so the same schema checks,
 * tools/call wrapper, result validation, JSON-RPC errors and cancellation), but without the web
 * `Request`, the Streamable HTTP transport and the stream around it; the answer goes out as one
 * write through the fastify reply: the JSON the transport would send, or the one SSE event it
 * would send, stored in the session's event store under a stream of its own (so `Last-Event-ID`
 * finds it), with the transport's keep-alive comments while a call runs long.
 *
 * Everything else goes through the SDK transport, and so does every request it would refuse or
 * treat specially: a batch, a notification, a body that is not a valid JSON-RPC request, a
 * Content-Type other than JSON, an unsupported `Mcp-Protocol-Version`, an SSE session's request
 * whose Accept lacks JSON or SSE, and an SSE session's request of protocol 2025-11-25 or later
 * (the transport opens that stream with a priming event the client can resume from while the call
 * runs, which a single write cannot offer).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_SSE_KEEP_ALIVE_MS } from '@modelcontextprotocol/sdk/server/sseKeepAlive.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { DEFAULT_NEGOTIATED_PROTOCOL_VERSION, isJSONRPCRequest, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCRequest, type MessageExtraInfo, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { DirectCall } from './direct.js';
import type { Logger } from './types.js';

const FAST_METHODS: ReadonlySet<string> = new Set(['tools/call', 'tools/list']);
/** From this protocol version on, the transport opens a POST's SSE stream with a priming event (resumable while the call runs). */
const PRIMED_FROM = '2025-11-25';
/** The headers of the transport's SSE answers. */
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };
/** Headers that describe one hop, not the request: left out of what handlers see, as the transport's web `Request` leaves them out. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'proxy-connection', 'host']);
/** The URL handlers see (the transport's: it does not route, so a hostile `Host` cannot change it). */
const REQUEST_URL = new URL('http://localhost/mcp');

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The client accepts both JSON and SSE answers (what the transport asks of every POST). */
export function acceptsSse(req: FastifyRequest): boolean {
  const accept = header(req, 'accept') ?? '';
  return accept.includes('text/event-stream') && accept.includes('application/json');
}

/**
 * The request of a POST the fast path answers, or undefined. `sse`: the answer is an SSE event
 * (not JSON); `resumable`: it goes to a session's event store.
 */
export function fastRequest(req: FastifyRequest, message: unknown, sse: boolean, resumable: boolean): JSONRPCRequest | undefined {
  if (!isJSONRPCRequest(message) || !FAST_METHODS.has(message.method)) return undefined;
  if (!isJsonContentType(header(req, 'content-type'))) return undefined;
  const version = header(req, 'mcp-protocol-version');
  if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  if (sse && !acceptsSse(req)) return undefined;
  if (sse && resumable && (version ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION) >= PRIMED_FROM) return undefined;
  return message;
}

/** What handlers get besides the request: the caller, and the request's headers with its id (passed upstream). */
export function callExtra(req: FastifyRequest, json: boolean, authInfo: MessageExtraInfo['authInfo']): MessageExtraInfo {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  // A session or request answered with JSON takes any Accept (the transport is handed one it takes).
  if (json) headers.accept = 'application/json, text/event-stream';
  headers['x-request-id'] = req.id;
  return { ...(authInfo ? { authInfo } : {}), requestInfo: { headers, url: REQUEST_URL } };
}

/** Requests of a session answered by the fast path, by JSON-RPC id: how to cancel each. */
export type FastCalls = Map<RequestId, (reason: string) => void>;

/** A session's `notifications/cancelled` for requests the fast path is answering cancels them (the SDK server of the session never saw them). */
export function cancelFastCalls(calls: FastCalls, message: unknown): void {
  if (!calls.size) return;
  for (const m of Array.isArray(message) ? message : [message]) {
    const note = m as { method?: unknown; params?: { requestId?: RequestId; reason?: unknown } } | null;
    if (note?.method !== 'notifications/cancelled' || note.params?.requestId === undefined) continue;
    calls.get(note.params.requestId)?.(typeof note.params.reason === 'string' ? note.params.reason : 'cancelled by the client');
  }
}

/** Where the answer goes and what comes with it. */
export interface FastAnswer {
  /** The session's id (sent back as `mcp-session-id`), if any. */
  sessionId?: string;
  /** JSON answer (else one SSE event). */
  json: boolean;
  cors: Record<string, string>;
  /** The session's event store (SSE answers get an event id from it). */
  events?: EventStore;
  log: Logger;
}

/**
 * Writes the answer of `call`. A cancelled call (by the client, or its session ended) ends its
 * answer empty: 202 for JSON, an SSE stream with no event.
 */
export async function answerFast(reply: FastifyReply, call: DirectCall, request: JSONRPCRequest, o: FastAnswer): Promise<FastifyReply | void> {
  const session = o.sessionId ? { 'mcp-session-id': o.sessionId } : {};
  if (o.json) {
    const answer = await call.answer;
    if (!answer) return reply.code(202).headers({ ...o.cors, ...session }).send();
    // A buffer: fastify sends a string's media type with a charset the transport's answer does not have.
    return reply.code(200).headers({ ...o.cors, 'content-type': 'application/json', ...session }).send(Buffer.from(JSON.stringify(answer)));
  }
  const headers = { ...o.cors, ...SSE_HEADERS, ...session };
  const res = reply.raw;
  // While the call runs, the stream opens with keep-alive comments, as the transport's does.
  let streaming = false;
  const keepAlive = setInterval(() => {
    if (!streaming) {
      reply.hijack();
      const sent: Record<string, string> = {};
      for (const [key, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string' || typeof value === 'number') sent[key] = String(value);
      res.writeHead(200, { ...sent, ...headers });
      streaming = true;
    }
    if (!res.writableEnded) res.write(': keepalive\n\n');
  }, DEFAULT_SSE_KEEP_ALIVE_MS);
  let body = '';
  try {
    const answer = await call.answer;
    if (answer) {
      let id: string | undefined;
      try {
        id = o.events ? await o.events.storeEvent(randomUUID(), answer) : undefined;
      } catch (err) {
        o.log('debug', `mcp: the answer to request ${String(request.id)} was not stored for resumption: ${(err as Error).message}`);
      }
      body = `event: message\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(answer)}\n\n`;
    }
  } finally {
    clearInterval(keepAlive);
  }
  if (!streaming) return reply.code(200).headers(headers).send(Buffer.from(body));
  reply.code(200);
  if (!res.writableEnded) res.end(body);
}
