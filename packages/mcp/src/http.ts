/**
 * Streamable HTTP front of an MCP adapter, on the SDK's web-standard transport, mounted on the
 * shared fastify layer (request ids, log lines, limits and timeouts come from there).
 *
 * - Stateful (default): `initialize` opens a session (`Mcp-Session-Id`) with its own transport and
 *   SDK `Server`; later POST/GET/DELETE with that id go to it. GET opens the server-to-client SSE
 *   stream, DELETE ends the session.
 * - Stateless (`stateless: true`): every POST is answered on its own (a lone `tools/call` or
 *   `tools/list` on the fast path's one server, anything else by a fresh one-shot transport);
 *   nothing is kept between requests, so any replica can answer. GET and DELETE answer 405.
 * - A POST without a session that is not an `initialize` (what the reference engine's clients
 *   send: no `Accept`, no `initialize` first) is answered by a one-shot transport too, as plain
 *   `application/json` unless the client accepts SSE.
 *
 * Sessions outlive the fastify app they were opened on: a reload mounts the same front on a new
 * app, and the front's servers answer from whatever registry is current.
 *
 * Every session has an event store (`Last-Event-ID` resumption). With shared sessions (Redis,
 * `redisUrl`), a session opened on another replica is re-created here from its record
 * (`rehydrate.ts`), list changes reach the sessions of every replica, and a DELETE ends the
 * session everywhere. A GET without a session answers 405, so clients that probe for the legacy
 * HTTP+SSE transport (served at `/sse`, `legacy-sse.ts`) fall back to it.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest, type InitializeRequest, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { admitDeferred, jsonRpcError, markLongLived, type RequestFields } from '@capstan/http';
import { carriesRequest } from './carries-request.js';
import { cancelRequests, releaseAnswered } from './cancelled-requests.js';
import { corsFor, corsHeaders, hostAllowed, originAllowed } from './checks.js';
import { DirectServer } from './direct.js';
import { acceptsSse, answerFast, callExtra, canResume, cancelFastCalls, fastRequest, fastStream, HOP_BY_HOP, primed, resumeFast } from './fast-path.js';
import { writeResponse } from './respond.js';
import { parseEventId, recordOf, SharingUnavailable, STANDALONE_STREAM, type SessionSharing } from './session-sharing.js';
import { SessionTable, type ListChanges, type Session } from './session-table.js';
import type { ToolHandler } from './tool-call.js';
import type { AuthOutcome, Logger, McpAdapterOptions } from './types.js';

/** The caller as the authentication hook described it. */
export type AuthInfo = Extract<AuthOutcome, { ok: true }>['authInfo'];

/** What `admit` lets through: the CORS headers of the answer and the caller. */
export interface Admitted {
  cors: Record<string, string>;
  authInfo: AuthInfo;
}

export interface HttpCounters {
  transportsCreated: number;
  httpRequests: number;
  fastCalls: number;
}

const MAX_POOLED_SERVERS = 32;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJsonError(reply: FastifyReply, status: number, code: number, message: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json').send(jsonRpcError(code, message));
}

/** Adds to the request log line's `fields` what they say about a JSON-RPC message (or batch): `rpc`, `tool`. */
function describe(message: unknown, fields: RequestFields): void {
  const one = Array.isArray(message) ? (message.length === 1 ? message[0] : undefined) : message;
  if (Array.isArray(message) && !one) {
    fields.rpc = 'batch';
    return;
  }
  const m = one as { method?: unknown; params?: { name?: unknown } } | undefined;
  if (!m || typeof m.method !== 'string') return;
  fields.rpc = m.method;
  if (m.method === 'tools/call' && typeof m.params?.name === 'string') fields.tool = m.params.name;
}

export class HttpFront {
  private readonly sessions: SessionTable;
  private readonly pool: Server[] = [];
  private readonly sharing: SessionSharing | undefined;
  /** The server answering sessions' requests on the fast path (`fast-path.ts`). */
  private readonly direct: DirectServer;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** Address the adapter is bound to, for the default Host check. */
  bindAddress: string;

  constructor(
    private readonly createServer: () => Server,
    callTool: ToolHandler,
    private readonly namespace: string,
    private readonly options: McpAdapterOptions,
    private readonly counters: HttpCounters,
    private readonly log: Logger,
    address: string | undefined,
    sharing?: SessionSharing,
  ) {
    this.bindAddress = address ?? 'localhost';
    this.direct = new DirectServer(() => this.createServer(), callTool);
    this.sharing = sharing;
    this.sessions = new SessionTable({
      acquireServer: () => this.acquireServer(),
      releaseServer: (server) => this.releaseServer(server),
      newTransport: (o) => this.newTransport(o),
      sharing: this.sharing,
      log,
      namespace,
    });
    const idle = options.sessionIdleMs ?? 30 * 60_000;
    this.sweeper = setInterval(() => this.sessions.sweep(idle), Math.max(1000, Math.min(idle / 2, 60_000)));
    this.sweeper.unref();
  }

  /** The CORS headers for a request's `Origin` (none for an origin this adapter refuses). */
  corsFor(origin: string | undefined): Record<string, string> {
    return corsFor(origin, this.options);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  // ---- servers -----------------------------------------------------------------------------

  /** An SDK server for a transport of any kind (pooled ones first). */
  acquireServer(): Server {
    return this.pool.pop() ?? this.createServer();
  }

  releaseServer(server: Server): void {
    if (this.closed || server.transport !== undefined || this.pool.length >= MAX_POOLED_SERVERS) return;
    this.pool.push(server);
  }

  /** After a reload: pooled servers were built with the old capabilities; sessions (of every replica) are told their lists changed. */
  async refreshed(changed: ListChanges): Promise<void> {
    this.pool.length = 0;
    await this.sessions.changed(changed);
  }

  private newTransport(options: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>[0]): WebStandardStreamableHTTPServerTransport {
    this.counters.transportsCreated++;
    const transport = new WebStandardStreamableHTTPServerTransport(options);
    transport.onerror = (err) => this.log('debug', `mcp ${this.namespace}: ${err.message}`);
    return transport;
  }

  // ---- requests ----------------------------------------------------------------------------

  /**
   * The checks every MCP request passes (Host, Origin, authentication); answers the request
   * itself and returns undefined when one fails.
   */
  async admit(req: FastifyRequest, reply: FastifyReply): Promise<Admitted | undefined> {
    this.counters.httpRequests++;
    const fields = (req.fields ??= {});
    fields.kind = 'mcp';
    fields.adapter = this.namespace;
    const origin = header(req, 'origin');
    const host = header(req, 'host');
    if (!hostAllowed(host, this.bindAddress, this.options)) return void sendJsonError(reply, 403, -32000, `Forbidden: Host ${host ?? '(none)'} is not allowed`);
    if (!originAllowed(origin, this.options)) return void sendJsonError(reply, 403, -32000, `Forbidden: Origin ${origin ?? ''} is not allowed`);
    const cors = corsHeaders(origin);
    let authInfo: AuthInfo;
    if (this.options.authenticate && req.method !== 'OPTIONS') {
      const outcome = await this.options.authenticate(req.raw);
      if (!outcome.ok) return void reply.code(outcome.status).headers({ ...cors, ...(outcome.headers ?? {}) }).send(outcome.body ?? '');
      authInfo = outcome.authInfo;
    }
    return { cors, authInfo };
  }

  /** Answers one request to the MCP endpoint (`/mcp` or `/`); `body` is the raw text of a POST. */
  readonly handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const admitted = await this.admit(req, reply);
    if (!admitted) return reply;
    const { cors, authInfo } = admitted;
    if (req.method === 'OPTIONS') {
      return reply.code(204).headers({
        ...cors,
        'access-control-allow-methods': this.options.stateless ? 'POST, OPTIONS' : 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID, X-Request-Id, Traceparent, Tracestate',
        'access-control-max-age': '600',
      }).send();
    }
    const sessionId = header(req, 'mcp-session-id');
    switch (req.method) {
      case 'POST':
        return this.post(req, reply, sessionId, cors, authInfo);
      case 'GET':
      case 'DELETE': {
        if (this.options.stateless) {
          return sendJsonError(reply, 405, -32000, `Method not allowed: ${req.method} needs a session (this server is stateless)`, { ...cors, allow: 'POST, OPTIONS' });
        }
        if (!sessionId) {
          // The engine answers a DELETE without a session with 200 and an empty body.
          if (req.method === 'DELETE') return reply.code(200).headers(cors).send();
          // 405 (not 400): clients probing for the legacy HTTP+SSE transport fall back on it.
          return sendJsonError(reply, 405, -32000, 'Method not allowed: a GET needs the Mcp-Session-Id of a session opened with initialize (POST); the legacy HTTP+SSE transport is at /sse', { ...cors, allow: 'POST, OPTIONS' });
        }
        const session = await this.lookup(sessionId, reply, cors);
        if (!session) return reply;
        if (req.method === 'GET') markLongLived(reply.raw);
        return this.forward(session, req, reply, undefined, cors, authInfo);
      }
      default:
        return sendJsonError(reply, 405, -32000, 'Method not allowed.', { ...cors, allow: 'GET, POST, DELETE, OPTIONS' });
    }
  };

  private async post(req: FastifyRequest, reply: FastifyReply, sessionId: string | undefined, cors: Record<string, string>, authInfo: AuthInfo): Promise<FastifyReply | void> {
    const text = typeof req.body === 'string' ? req.body : '';
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return sendJsonError(reply, 400, -32700, text.trim() ? 'Parse error: Invalid JSON' : 'Parse error: empty body', cors);
    }
    describe(message, (req.fields ??= {}));
    if (carriesRequest(message) && !admitDeferred(req, reply)) return reply;
    if (this.options.stateless) return this.oneShot(req, reply, message, cors, authInfo);
    if (sessionId) {
      // A session held here is found without a wait (the common case); others are looked up.
      const session = this.sessions.held(sessionId) ?? (await this.lookup(sessionId, reply, cors));
      if (!session) return reply;
      const request = fastRequest(req, message, !session.json);
      if (request) return this.answerInSession(session, req, reply, request, cors, authInfo);
      cancelFastCalls(session.fastCalls, message);
      return this.forward(session, req, reply, message, cors, authInfo);
    }
    const initialize = Array.isArray(message) ? message.some((m) => isInitializeRequest(m)) : isInitializeRequest(message);
    if (initialize) return this.openSession(req, reply, message, cors, authInfo);
    return this.oneShot(req, reply, message, cors, authInfo);
  }

  /**
   * A web request for the transport; `json` forces an Accept the transport takes, for JSON
   * answers. The URL is fixed (the transport does not route; a hostile `Host` cannot break it),
   * and `x-request-id` is the request's id, so tool calls pass it upstream.
   */
  private webRequest(req: FastifyRequest, json: boolean): Request {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(key)) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(key, v);
      else headers.set(key, value);
    }
    if (json) headers.set('accept', 'application/json, text/event-stream');
    headers.set('x-request-id', req.id);
    return new Request('http://localhost/mcp', { method: req.method, headers });
  }

  private tooMany(reply: FastifyReply, cors: Record<string, string>): FastifyReply | undefined {
    const max = this.options.maxSessions ?? 10_000;
    return this.sessions.size >= max ? sendJsonError(reply, 503, -32000, `Too many sessions (${max}); try again later`, { ...cors, 'retry-after': '5' }) : undefined;
  }

  private unavailable(reply: FastifyReply, err: unknown, cors: Record<string, string>): FastifyReply {
    if (!(err instanceof SharingUnavailable)) throw err;
    this.log('warn', `mcp ${this.namespace}: ${err.message}`);
    return sendJsonError(reply, 503, -32000, `Service unavailable: ${err.message}; requests without a session (stateless) are still served`, { ...cors, 'retry-after': '2' });
  }

  private async openSession(req: FastifyRequest, reply: FastifyReply, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<FastifyReply | void> {
    if (this.tooMany(reply, cors)) return reply;
    const json = this.options.jsonResponse === true || !acceptsSse(req);
    const id = randomUUID();
    const initialize = (Array.isArray(message) ? message.find((m) => isInitializeRequest(m)) : message) as InitializeRequest;
    // The record is shared before the client learns the id: its next request may reach another replica.
    try {
      await this.sharing?.save(id, recordOf(initialize, json));
    } catch (err) {
      return this.unavailable(reply, err, cors);
    }
    const session = await this.sessions.create(id, json);
    await this.forward(session, req, reply, message, cors, authInfo);
    if (!this.sessions.has(id)) {
      await session.server.close();
      await this.sharing?.remove(id).catch(() => undefined);
    }
  }

  /** The session `id`, held here or re-created from the shared store; answers 404/503 itself when there is none. */
  private async lookup(id: string, reply: FastifyReply, cors: Record<string, string>): Promise<Session | undefined> {
    if (!this.sessions.has(id) && this.tooMany(reply, cors)) return undefined;
    try {
      const session = await this.sessions.find(id);
      if (!session) sendJsonError(reply, 404, -32001, 'Session not found', cors);
      return session;
    } catch (err) {
      return void this.unavailable(reply, err, cors);
    }
  }

  private async forward(session: Session, req: FastifyRequest, reply: FastifyReply, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    this.enter(session);
    const lastEventId = req.method === 'GET' ? header(req, 'last-event-id') : undefined;
    // The session's own stream (not a resumed request's) is where its notifications go.
    const stream = req.method === 'GET' && (!lastEventId || parseEventId(lastEventId)?.stream === STANDALONE_STREAM);
    if (stream) session.streams++;
    try {
      // A primed answer of the fast path still running is resumed there.
      const pending = lastEventId && canResume(req) ? fastStream(session.fastStreams, parseEventId(lastEventId)?.stream) : undefined;
      if (pending) return void (await resumeFast(reply, pending, { ...cors, 'mcp-session-id': session.id }));
      const answer = session.transport.handleRequest(this.webRequest(req, session.json), { ...(message !== undefined ? { parsedBody: message } : {}), ...(authInfo ? { authInfo } : {}) });
      if (lastEventId) void answer.then(() => this.endWithRelay(session, lastEventId, reply), () => undefined);
      // A client gone before its answer cancels the POST's requests, unless a primed SSE answer lets it resume.
      if ((await writeResponse(reply, answer, cors)) === 'gone' && req.method === 'POST' && (session.json || !primed(req))) cancelRequests(session.transport, message, 'the client closed the connection');
      if (session.json) releaseAnswered(session.transport);
    } finally {
      if (stream) session.streams--;
      this.leave(session);
    }
  }

  /** A request of `session` starts: the session is busy, and seen (here and, at most once a second, in the shared store). */
  private enter(session: Session): void {
    const now = Date.now();
    if (this.sharing && now - session.lastSeen > 1000) this.sharing.touch(session.id);
    session.lastSeen = now;
    session.open++;
  }

  private leave(session: Session): void {
    session.open--;
    session.lastSeen = Date.now();
  }

  /** A session's request on the fast path, on the front's direct server; a `notifications/cancelled` of the session, or its end, cancels it. */
  private async answerInSession(session: Session, req: FastifyRequest, reply: FastifyReply, request: JSONRPCRequest, cors: Record<string, string>, authInfo: AuthInfo): Promise<FastifyReply | void> {
    this.enter(session);
    this.counters.fastCalls++;
    const call = this.direct.call(request, callExtra(req, session.json, authInfo));
    const slot = session.fastCalls.add({ requestId: request.id, cancel: call.cancel });
    try {
      const streams = !session.json && primed(req) ? { primed: { streams: session.fastStreams } } : {};
      return await answerFast(reply, call, request, { sessionId: session.id, json: session.json, cors, events: session.events, log: this.log, ...streams });
    } finally {
      session.fastCalls.take(slot);
      this.leave(session);
    }
  }

  /**
   * A resumed stream whose request another replica answers is relayed from the shared store;
   * the HTTP response ends once the request's response went out (after the writes queued so far).
   */
  private endWithRelay(session: Session, lastEventId: string, reply: FastifyReply): void {
    const relay = session.events.relayOf(lastEventId);
    if (!relay) return;
    const res = reply.raw;
    res.once('close', relay.stop);
    void relay.done.then(() => setImmediate(() => res.end()));
  }

  /**
   * Answers one POST without a session: on the fast path (`fast-path.ts`) on the front's direct
   * server, else with an SDK transport and server of its own, dropped afterwards.
   */
  private async oneShot(req: FastifyRequest, reply: FastifyReply, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<FastifyReply | void> {
    const json = this.options.jsonResponse === true || !acceptsSse(req);
    const request = fastRequest(req, message, !json);
    if (request) {
      this.counters.fastCalls++;
      return answerFast(reply, this.direct.call(request, callExtra(req, json, authInfo)), request, { json, cors, log: this.log });
    }
    const server = this.acquireServer();
    const transport = this.newTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
    await server.connect(transport);
    try {
      const answer = transport.handleRequest(this.webRequest(req, json), { parsedBody: message, ...(authInfo ? { authInfo } : {}) });
      await writeResponse(reply, answer, cors);
    } finally {
      await server.close();
      this.releaseServer(server);
    }
  }

  /** Ends every session and drops pooled servers. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await this.sessions.close();
    await this.direct.close();
    this.pool.length = 0;
  }
}
