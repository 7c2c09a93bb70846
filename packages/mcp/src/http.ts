/**
 * Streamable HTTP front of an MCP adapter, on the SDK's web-standard transport, mounted on the
 * shared fastify layer (request ids, log lines, limits and timeouts come from there).
 *
 * - Stateful (default): `initialize` opens a session (`Mcp-Session-Id`) with its own transport and
 *   SDK `Server`; later POST/GET/DELETE with that id go to it. GET opens the server-to-client SSE
 *   stream, DELETE ends the session.
 * - Stateless (`stateless: true`): every POST gets a fresh one-shot transport; nothing is kept
 *   between requests, so any replica can answer. GET and DELETE answer 405.
 * - A POST without a session that is not an `initialize` (what the reference engine's clients
 *   send: no `Accept`, no `initialize` first) is answered by a one-shot transport too, as plain
 *   `application/json` unless the client accepts SSE.
 *
 * Sessions outlive the fastify app they were opened on: a reload mounts the same front on a new
 * app, and the front's servers answer from whatever registry is current.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcError, markLongLived } from '@capstan/http';
import { corsHeaders, hostAllowed, originAllowed } from './checks.js';
import { writeResponse } from './respond.js';
import type { AuthOutcome, Logger, McpAdapterOptions } from './types.js';

type AuthInfo = Extract<AuthOutcome, { ok: true }>['authInfo'];

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  /** The SDK server connected to the transport (told when the tool list changes). */
  server: Server;
  /** The session answers POSTs with JSON (its client did not accept SSE at `initialize`). */
  json: boolean;
  lastSeen: number;
  /** HTTP requests of this session still being answered (an open GET stream counts). */
  open: number;
}

export interface HttpCounters {
  transportsCreated: number;
  httpRequests: number;
}

const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'proxy-connection', 'host']);
const MAX_POOLED_SERVERS = 32;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function acceptsSse(req: FastifyRequest): boolean {
  const accept = header(req, 'accept') ?? '';
  return accept.includes('text/event-stream') && accept.includes('application/json');
}

function sendJsonError(reply: FastifyReply, status: number, code: number, message: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json').send(jsonRpcError(code, message));
}

/** What the request log line says about a JSON-RPC message (or batch). */
function describe(message: unknown): { rpc?: string; tool?: string } {
  const one = Array.isArray(message) ? (message.length === 1 ? message[0] : undefined) : message;
  if (Array.isArray(message) && !one) return { rpc: 'batch' };
  const m = one as { method?: unknown; params?: { name?: unknown } } | undefined;
  if (!m || typeof m.method !== 'string') return {};
  return { rpc: m.method, ...(m.method === 'tools/call' && typeof m.params?.name === 'string' ? { tool: m.params.name } : {}) };
}

export class HttpFront {
  private readonly sessions = new Map<string, Session>();
  private readonly pool: Server[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** Address the adapter is bound to, for the default Host check. */
  bindAddress: string;

  constructor(
    private readonly createServer: () => Server,
    private readonly namespace: string,
    private readonly options: McpAdapterOptions,
    private readonly counters: HttpCounters,
    private readonly log: Logger,
    address: string | undefined,
  ) {
    this.bindAddress = address ?? 'localhost';
    const idle = options.sessionIdleMs ?? 30 * 60_000;
    this.sweeper = setInterval(() => this.sweep(idle), Math.max(1000, Math.min(idle / 2, 60_000)));
    this.sweeper.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  // ---- servers -----------------------------------------------------------------------------

  private acquireServer(): Server {
    return this.pool.pop() ?? this.createServer();
  }

  private releaseServer(server: Server): void {
    if (this.closed || server.transport !== undefined || this.pool.length >= MAX_POOLED_SERVERS) return;
    this.pool.push(server);
  }

  /** After a reload: pooled servers were built with the old capabilities; open sessions are told their lists changed. */
  async refreshed(changed: { tools: boolean; resources: boolean; prompts: boolean }): Promise<void> {
    this.pool.length = 0;
    await Promise.allSettled(
      [...this.sessions.values()].map(async (s) => {
        if (changed.tools) await s.server.sendToolListChanged();
        if (changed.resources) await s.server.sendResourceListChanged();
        if (changed.prompts) await s.server.sendPromptListChanged();
      }),
    );
  }

  private newTransport(options: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>[0]): WebStandardStreamableHTTPServerTransport {
    this.counters.transportsCreated++;
    const transport = new WebStandardStreamableHTTPServerTransport(options);
    transport.onerror = (err) => this.log('debug', `mcp ${this.namespace}: ${err.message}`);
    return transport;
  }

  // ---- requests ----------------------------------------------------------------------------

  /** Answers one request to the MCP endpoint (`/mcp` or `/`); `body` is the raw text of a POST. */
  readonly handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    this.counters.httpRequests++;
    req.fields = { ...req.fields, kind: 'mcp', adapter: this.namespace };
    const origin = header(req, 'origin');
    const host = header(req, 'host');
    if (!hostAllowed(host, this.bindAddress, this.options)) return sendJsonError(reply, 403, -32000, `Forbidden: Host ${host ?? '(none)'} is not allowed`);
    if (!originAllowed(origin, this.options)) return sendJsonError(reply, 403, -32000, `Forbidden: Origin ${origin ?? ''} is not allowed`);
    const cors = corsHeaders(origin);
    if (req.method === 'OPTIONS') {
      return reply.code(204).headers({
        ...cors,
        'access-control-allow-methods': this.options.stateless ? 'POST, OPTIONS' : 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID, X-Request-Id, Traceparent, Tracestate',
        'access-control-max-age': '600',
      }).send();
    }
    let authInfo: AuthInfo;
    if (this.options.authenticate) {
      const outcome = await this.options.authenticate(req.raw);
      if (!outcome.ok) return reply.code(outcome.status).headers({ ...cors, ...(outcome.headers ?? {}) }).send(outcome.body ?? '');
      authInfo = outcome.authInfo;
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
          return sendJsonError(reply, 400, -32000, 'Bad Request: the Mcp-Session-Id header is required; open a session with initialize first', cors);
        }
        const session = this.sessions.get(sessionId);
        if (!session) return sendJsonError(reply, 404, -32001, 'Session not found', cors);
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
    req.fields = { ...req.fields, ...describe(message) };
    if (this.options.stateless) return this.oneShot(req, reply, message, cors, authInfo);
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      if (!session) return sendJsonError(reply, 404, -32001, 'Session not found', cors);
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

  private async openSession(req: FastifyRequest, reply: FastifyReply, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<FastifyReply | void> {
    const max = this.options.maxSessions ?? 10_000;
    if (this.sessions.size >= max) return sendJsonError(reply, 503, -32000, `Too many sessions (${max}); try again later`, { ...cors, 'retry-after': '5' });
    const json = this.options.jsonResponse === true || !acceptsSse(req);
    const server = this.acquireServer();
    let id = '';
    const transport = this.newTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: json,
      onsessioninitialized: (sid) => {
        id = sid;
        this.sessions.set(sid, session);
      },
    });
    const session: Session = { transport, server, json, lastSeen: Date.now(), open: 0 };
    transport.onclose = () => {
      if (id) this.sessions.delete(id);
      queueMicrotask(() => this.releaseServer(server));
    };
    await server.connect(transport);
    await this.forward(session, req, reply, message, cors, authInfo);
    if (!id) await server.close();
  }

  private async forward(session: Session, req: FastifyRequest, reply: FastifyReply, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    session.lastSeen = Date.now();
    session.open++;
    try {
      const answer = session.transport.handleRequest(this.webRequest(req, session.json), { ...(message !== undefined ? { parsedBody: message } : {}), ...(authInfo ? { authInfo } : {}) });
      await writeResponse(reply, answer, cors);
    } finally {
      session.open--;
      session.lastSeen = Date.now();
    }
  }

  /** Answers one POST with a transport of its own, then drops the transport. */
  private async oneShot(req: FastifyRequest, reply: FastifyReply, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    const json = this.options.jsonResponse === true || !acceptsSse(req);
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

  private sweep(idleMs: number): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (session.open === 0 && now - session.lastSeen > idleMs) void session.transport.close();
    }
  }

  /** Ends every session and drops pooled servers. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close()));
    this.sessions.clear();
    this.pool.length = 0;
  }
}
