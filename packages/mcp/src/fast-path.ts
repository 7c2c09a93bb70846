/**
 * The fast path for the commonest MCP request: one `tools/call` or `tools/list` POSTed to a
 * session this replica holds, or statelessly. The request runs through the SDK's own request
 * handling (`direct.ts`: an SDK `Server` on an in-process transport, so the same schema checks,
 * tools/call wrapper, result validation, JSON-RPC errors and cancellation), but without the web
 * `Request`, the Streamable HTTP transport and the stream around it; the answer goes out as one
 * write through the fastify reply: the JSON the transport would send, or the one SSE event it
 * would send, stored in the session's event store under a stream of its own (so `Last-Event-ID`
 * finds it), with the transport's keep-alive comments while a call runs long. For clients of
 * protocol 2025-11-25 on, the SSE answer opens with the transport's priming event at once, and
 * a client that lost the stream while the call runs resumes it (`resumeFast`, a GET with
 * `Last-Event-ID`) and gets the answer there.
 *
 * Everything else goes through the SDK transport, and so does every request it would refuse or
 * treat specially: a batch, a notification, a body that is not a valid JSON-RPC request, a
 * Content-Type other than JSON, an unsupported `Mcp-Protocol-Version`, and an SSE answer's
 * request whose Accept lacks JSON or SSE.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_SSE_KEEP_ALIVE_MS } from '@modelcontextprotocol/sdk/server/sseKeepAlive.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { DEFAULT_NEGOTIATED_PROTOCOL_VERSION, isJSONRPCRequest, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type JSONRPCRequest, type MessageExtraInfo, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcError, type InFlight } from '@capstan/http';
import type { DirectCall } from './direct.js';
import type { SessionEventStore } from './session-sharing.js';
import type { Logger } from './types.js';

const FAST_METHODS: ReadonlySet<string> = new Set(['tools/call', 'tools/list']);
/** From this protocol version on, the transport opens a POST's SSE stream with a priming event (resumable while the call runs). */
const PRIMED_FROM = '2025-11-25';
/** The priming event's message (what the transport stores for it). */
const PRIMING = {} as JSONRPCMessage;
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

function versionSupported(version: string | undefined): boolean {
  return version === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

/** The last Content-Type checked and whether it is JSON: a client sends the same value with every request (the SDK's check parses it with a regex). */
let lastType: { value: string | undefined; json: boolean } = { value: undefined, json: false };

function jsonContentType(value: string | undefined): boolean {
  if (value !== lastType.value) lastType = { value, json: isJsonContentType(value) };
  return lastType.json;
}

/** The request of a POST the fast path answers, or undefined. `sse`: the answer is an SSE event (not JSON). */
export function fastRequest(req: FastifyRequest, message: unknown, sse: boolean): JSONRPCRequest | undefined {
  if (!isJSONRPCRequest(message) || !FAST_METHODS.has(message.method)) return undefined;
  if (!jsonContentType(header(req, 'content-type'))) return undefined;
  if (!versionSupported(header(req, 'mcp-protocol-version'))) return undefined;
  if (sse && !acceptsSse(req)) return undefined;
  return message;
}

/** A GET that may resume a stream, as the transport checks it (anything else goes to the transport, which refuses it). */
export function canResume(req: FastifyRequest): boolean {
  return (header(req, 'accept') ?? '').includes('text/event-stream') && versionSupported(header(req, 'mcp-protocol-version'));
}

/** The client's SSE answers open with a priming event (when they are stored for resumption). */
export function primed(req: FastifyRequest): boolean {
  return (header(req, 'mcp-protocol-version') ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION) >= PRIMED_FROM;
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

/** Requests of a session answered by the fast path: each one's JSON-RPC id and how to cancel it. */
export type FastCalls = InFlight<{ requestId: RequestId; cancel: (reason: string) => void }>;

/** A primed SSE answer still being worked out: its stream id, its answer event ('' if cancelled), and whether its own response is still open. */
export interface FastStream {
  stream: string;
  event: Promise<string>;
  live: () => boolean;
}

/** Primed SSE answers of a session still being worked out. */
export type FastStreams = InFlight<FastStream>;

/** A session's `notifications/cancelled` for requests the fast path is answering cancels them (the SDK server of the session never saw them). */
export function cancelFastCalls(calls: FastCalls, message: unknown): void {
  if (!calls.size) return;
  for (const m of Array.isArray(message) ? message : [message]) {
    const note = m as { method?: unknown; params?: { requestId?: RequestId; reason?: unknown } } | null;
    if (note?.method !== 'notifications/cancelled' || note.params?.requestId === undefined) continue;
    const reason = typeof note.params.reason === 'string' ? note.params.reason : 'cancelled by the client';
    for (const call of [...calls]) if (call.requestId === note.params.requestId) call.cancel(reason);
  }
}

/** The primed answer of stream `stream` still being worked out, if any. */
export function fastStream(streams: FastStreams, stream: string | undefined): FastStream | undefined {
  if (stream === undefined || !streams.size) return undefined;
  for (const pending of streams) if (pending.stream === stream) return pending;
  return undefined;
}

/** Where the answer goes and what comes with it. */
export interface FastAnswer {
  /** The session's id (sent back as `mcp-session-id`), if any. */
  sessionId?: string;
  /** JSON answer (else one SSE event). */
  json: boolean;
  cors: Record<string, string>;
  /** The session's event store (SSE answers get an event id from it). */
  events?: Pick<SessionEventStore, 'storeEvent' | 'openStream'>;
  /** SSE answers open with a priming event; they are listed in `streams` until answered. */
  primed?: { streams: FastStreams };
  log: Logger;
}

/** An SSE response written through a fastify reply: its headers go out with its first write (or at `end`), keep-alive comments meanwhile. */
class SseResponse {
  private open = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(private readonly reply: FastifyReply, private readonly headers: Record<string, string>) {
    this.keepAlive = setInterval(() => this.write(': keepalive\n\n'), DEFAULT_SSE_KEEP_ALIVE_MS);
  }

  get live(): boolean {
    return !this.reply.raw.writableEnded && !this.reply.raw.destroyed;
  }

  write(text: string): void {
    const res = this.reply.raw;
    if (!this.open) {
      this.reply.hijack();
      const sent: Record<string, string> = {};
      for (const [key, value] of Object.entries(this.reply.getHeaders())) if (typeof value === 'string' || typeof value === 'number') sent[key] = String(value);
      // fastify keeps the status on the reply: the log line reads it from there.
      this.reply.code(200);
      res.writeHead(200, { ...sent, ...this.headers });
      this.open = true;
    }
    if (!res.writableEnded) {
      if (text) res.write(text);
      else res.flushHeaders();
    }
  }

  end(text: string): FastifyReply | void {
    clearInterval(this.keepAlive);
    // A string as is: fastify adds a charset to JSON media types only.
    if (!this.open) return this.reply.code(200).headers(this.headers).send(text);
    if (!this.reply.raw.writableEnded) this.reply.raw.end(text);
  }
}

/** Cancels `call` when the client closes the request (a no-op once the call is answered); returns the listener. */
function cancelOnClose(reply: FastifyReply, call: DirectCall): () => void {
  const dropped = (): void => call.cancel('the client closed the connection');
  reply.raw.on('close', dropped);
  return dropped;
}

/** The SSE text of one message. */
function sseEvent(message: unknown, id: string | undefined): string {
  return `event: message\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(message)}\n\n`;
}

/**
 * Writes the answer of `call`. A cancelled call (by the client, or its session ended) ends its
 * answer empty: 202 for JSON, an SSE stream with no event. A client that closes the request before
 * the answer cancels the call, unless the answer is a primed SSE stream (resumable with
 * `Last-Event-ID`: a dropped stream is not a cancellation, MCP 2025-11-25); no other answer can
 * reach it afterwards.
 */
export async function answerFast(reply: FastifyReply, call: DirectCall, request: JSONRPCRequest, o: FastAnswer): Promise<FastifyReply | void> {
  const session: Record<string, string> = o.sessionId ? { 'mcp-session-id': o.sessionId } : {};
  const dropped = o.primed ? undefined : cancelOnClose(reply, call);
  if (o.json) {
    const answer = await call.answer;
    if (dropped) reply.raw.off('close', dropped);
    if (!answer) return reply.code(202).headers({ ...o.cors, ...session }).send();
    // A buffer: fastify sends a string's media type with a charset the transport's answer does not have.
    return reply.code(200).headers({ ...o.cors, 'content-type': 'application/json', ...session }).send(Buffer.from(JSON.stringify(answer)));
  }
  const sse = new SseResponse(reply, { ...o.cors, ...SSE_HEADERS, ...session });
  const streamId = randomUUID();
  let opened = false;
  const store = async (message: JSONRPCMessage): Promise<string | undefined> => {
    if (!o.events) return undefined;
    try {
      // The stream's first event: the id was just minted, no stream of the store has it.
      if (opened || !o.events.openStream) return await o.events.storeEvent(streamId, message);
      opened = true;
      return await o.events.openStream(streamId, message);
    } catch (err) {
      o.log('debug', `mcp: an event of request ${String(request.id)} was not stored for resumption: ${(err as Error).message}`);
      return undefined;
    }
  };
  let settle: (event: string) => void = () => undefined;
  let event = '';
  let pending: number | undefined;
  try {
    if (o.primed) {
      sse.write(`id: ${await store(PRIMING)}\ndata: \n\n`);
      pending = o.primed.streams.add({ stream: streamId, event: new Promise((resolve) => (settle = resolve)), live: () => sse.live });
    }
    const answer = await call.answer;
    if (dropped) reply.raw.off('close', dropped);
    if (answer) event = sseEvent(answer, await store(answer));
  } finally {
    if (pending !== undefined) o.primed?.streams.take(pending);
    settle(event);
  }
  return sse.end(event);
}

/**
 * A GET with `Last-Event-ID` resuming a primed answer of the fast path while its call runs (the
 * transport's own resumption for its streams): the stream opens at once and ends with the answer.
 * A stream whose first response is still open is refused with 409, as the transport does.
 */
export async function resumeFast(reply: FastifyReply, pending: FastStream, headers: Record<string, string>): Promise<FastifyReply | void> {
  if (pending.live()) return reply.code(409).headers({ ...headers, 'content-type': 'application/json' }).send(jsonRpcError(-32000, 'Conflict: Stream already has an active connection'));
  const sse = new SseResponse(reply, { ...headers, ...SSE_HEADERS });
  sse.write('');
  return sse.end(await pending.event);
}
