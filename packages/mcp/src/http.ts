/**
 * Streamable HTTP front of an MCP adapter, on the SDK's web-standard transport.
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
 * The SDK `Server`s share one registry's handlers; idle ones are pooled and reused, so a request
 * creates a transport, not a tool registry.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpRegistry } from './registry.js';
import type { AuthOutcome, Logger, McpAdapterOptions } from './types.js';

type AuthInfo = Extract<AuthOutcome, { ok: true }>['authInfo'];

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
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

const MCP_PATHS: ReadonlySet<string> = new Set(['/', '/mcp', '/mcp/']);
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'proxy-connection']);
const MAX_POOLED_SERVERS = 32;

function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name part of a `Host` header (`name`, `name:port`, `[v6]:port`). */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon > 0 ? host.slice(0, colon) : host;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function acceptsSse(req: IncomingMessage): boolean {
  const accept = header(req, 'accept') ?? '';
  return accept.includes('text/event-stream') && accept.includes('application/json');
}

function sendJsonError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** Reads the request body, up to `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<{ text: string } | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) return { tooLarge: true };
    chunks.push(buf);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/** Writes a web `Response` (JSON or an SSE stream) to a node response. */
async function writeResponse(res: ServerResponse, response: Response, extraHeaders: Record<string, string>): Promise<void> {
  const headers: Record<string, string> = { ...extraHeaders };
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  res.on('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.writableEnded) res.write(value);
    }
  } catch {
    // the client went away
  } finally {
    res.off('close', cancel);
    if (!res.writableEnded) res.end();
  }
}

/** Resolves when the client closes the connection before the response is complete. */
function clientGone(res: ServerResponse): Promise<'gone'> {
  return new Promise((resolve) => res.once('close', () => resolve('gone')));
}

export class HttpFront {
  private readonly sessions = new Map<string, Session>();
  private readonly pool: Server[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** Address the adapter is bound to, for the default Host check. */
  bindAddress: string;

  constructor(
    private readonly registry: McpRegistry,
    private readonly options: McpAdapterOptions,
    private readonly counters: HttpCounters,
    private readonly log: Logger,
  ) {
    this.bindAddress = registry.adapter.address ?? 'localhost';
    const idle = options.sessionIdleMs ?? 30 * 60_000;
    this.sweeper = setInterval(() => this.sweep(idle), Math.max(1000, Math.min(idle / 2, 60_000)));
    this.sweeper.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  // ---- servers -----------------------------------------------------------------------------

  private acquireServer(): Server {
    return this.pool.pop() ?? this.registry.createServer();
  }

  private releaseServer(server: Server): void {
    if (this.closed || server.transport !== undefined || this.pool.length >= MAX_POOLED_SERVERS) return;
    this.pool.push(server);
  }

  private newTransport(options: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>[0]): WebStandardStreamableHTTPServerTransport {
    this.counters.transportsCreated++;
    const transport = new WebStandardStreamableHTTPServerTransport(options);
    transport.onerror = (err) => this.log('debug', `mcp ${this.registry.adapter.namespace}: ${err.message}`);
    return transport;
  }

  // ---- checks ------------------------------------------------------------------------------

  private originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const allowed = this.options.allowedOrigins;
    if (allowed?.includes('*')) return true;
    const normalized = origin.replace(/\/+$/, '').toLowerCase();
    if (allowed) return allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === normalized);
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname);
    } catch {
      return false;
    }
  }

  private hostAllowed(host: string | undefined): boolean {
    const allowed = this.options.allowedHosts;
    if (allowed) {
      if (allowed.includes('*')) return true;
      if (!host) return false;
      const h = host.toLowerCase();
      return allowed.some((a) => a.toLowerCase() === h || a.toLowerCase() === hostnameOf(h));
    }
    if (!isLoopbackName(this.bindAddress)) return true;
    return host !== undefined && isLoopbackName(hostnameOf(host));
  }

  private corsHeaders(origin: string | undefined): Record<string, string> {
    if (!origin) return {};
    return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'Mcp-Session-Id, Mcp-Protocol-Version' };
  }

  // ---- requests ----------------------------------------------------------------------------

  /** Answers one HTTP request (any path; only `/` and `/mcp` are the MCP endpoint). */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    this.counters.httpRequests++;
    try {
      await this.dispatch(req, res);
    } catch (err) {
      this.log('error', `mcp ${this.registry.adapter.namespace}: ${err instanceof Error ? err.message : String(err)}`);
      sendJsonError(res, 500, -32603, 'Internal error');
    }
  };

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const metadata = this.options.protectedResourceMetadata;
    if (metadata && req.method === 'GET' && (path === '/.well-known/oauth-protected-resource' || path.startsWith('/.well-known/oauth-protected-resource/'))) {
      // RFC 9728: served without authentication, so clients can discover the authorization server.
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(JSON.stringify(metadata));
      return;
    }
    if (!MCP_PATHS.has(path)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found: the MCP endpoint is /mcp (or /)');
      return;
    }
    const origin = header(req, 'origin');
    const host = header(req, 'host');
    if (!this.hostAllowed(host)) {
      sendJsonError(res, 403, -32000, `Forbidden: Host ${host ?? '(none)'} is not allowed`);
      return;
    }
    if (!this.originAllowed(origin)) {
      sendJsonError(res, 403, -32000, `Forbidden: Origin ${origin ?? ''} is not allowed`);
      return;
    }
    const cors = this.corsHeaders(origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': this.options.stateless ? 'POST, OPTIONS' : 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
        'access-control-max-age': '600',
      }).end();
      return;
    }
    let authInfo: AuthInfo;
    if (this.options.authenticate) {
      const outcome = await this.options.authenticate(req);
      if (!outcome.ok) {
        res.writeHead(outcome.status, { ...cors, ...(outcome.headers ?? {}) }).end(outcome.body ?? '');
        return;
      }
      authInfo = outcome.authInfo;
    }
    const sessionId = header(req, 'mcp-session-id');
    switch (req.method) {
      case 'POST':
        // Only POSTs count against the limit: a GET is a long-lived notification stream.
        if (this.options.limiter && !this.options.limiter.admit(res)) {
          sendJsonError(res, 503, -32000, 'Server busy: too many requests in flight; retry shortly', { ...cors, 'retry-after': '1' });
          return;
        }
        return this.post(req, res, sessionId, cors, authInfo);
      case 'GET':
      case 'DELETE': {
        if (this.options.stateless || !sessionId) {
          if (req.method === 'DELETE' && !this.options.stateless) {
            // The engine answers a DELETE without a session with 200 and an empty body.
            res.writeHead(200, cors).end();
            return;
          }
          if (!this.options.stateless) {
            sendJsonError(res, 400, -32000, 'Bad Request: the Mcp-Session-Id header is required; open a session with initialize first', cors);
            return;
          }
          const why = this.options.stateless ? 'this server is stateless' : 'open a session with initialize first';
          sendJsonError(res, 405, -32000, `Method not allowed: ${req.method} needs a session (${why})`, { ...cors, allow: this.options.stateless ? 'POST, OPTIONS' : 'GET, POST, DELETE, OPTIONS' });
          return;
        }
        const session = this.sessions.get(sessionId);
        if (!session) {
          sendJsonError(res, 404, -32001, 'Session not found', cors);
          return;
        }
        return this.forward(session, req, res, undefined, cors, authInfo);
      }
      default:
        sendJsonError(res, 405, -32000, 'Method not allowed.', { ...cors, allow: 'GET, POST, DELETE, OPTIONS' });
    }
  }

  private async post(req: IncomingMessage, res: ServerResponse, sessionId: string | undefined, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    const body = await readBody(req, this.options.maxBodyBytes ?? 4 * 1024 * 1024);
    if ('tooLarge' in body) {
      sendJsonError(res, 413, -32000, 'Request body too large', { ...cors, connection: 'close' });
      req.destroy();
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(body.text);
    } catch {
      sendJsonError(res, 400, -32700, body.text.trim() ? 'Parse error: Invalid JSON' : 'Parse error: empty body', cors);
      return;
    }
    if (this.options.stateless) return this.oneShot(req, res, message, cors, authInfo);
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      if (!session) {
        sendJsonError(res, 404, -32001, 'Session not found', cors);
        return;
      }
      return this.forward(session, req, res, message, cors, authInfo);
    }
    const initialize = Array.isArray(message) ? message.some((m) => isInitializeRequest(m)) : isInitializeRequest(message);
    if (initialize) return this.openSession(req, res, message, cors, authInfo);
    return this.oneShot(req, res, message, cors, authInfo);
  }

  /** A web request for the transport; `json` forces an Accept the transport takes, for JSON answers. */
  private webRequest(req: IncomingMessage, json: boolean): Request {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(key)) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(key, v);
      else headers.set(key, value);
    }
    if (json) headers.set('accept', 'application/json, text/event-stream');
    const host = header(req, 'host') ?? 'localhost';
    return new Request(`http://${host}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers });
  }

  private async openSession(req: IncomingMessage, res: ServerResponse, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    const max = this.options.maxSessions ?? 10_000;
    if (this.sessions.size >= max) {
      sendJsonError(res, 503, -32000, `Too many sessions (${max}); try again later`, { ...cors, 'retry-after': '5' });
      return;
    }
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
    const session: Session = { transport, json, lastSeen: Date.now(), open: 0 };
    transport.onclose = () => {
      if (id) this.sessions.delete(id);
      queueMicrotask(() => this.releaseServer(server));
    };
    await server.connect(transport);
    await this.forward(session, req, res, message, cors, authInfo);
    if (!id) await server.close();
  }

  private async forward(session: Session, req: IncomingMessage, res: ServerResponse, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    session.lastSeen = Date.now();
    session.open++;
    try {
      const answer = session.transport.handleRequest(this.webRequest(req, session.json), { ...(message !== undefined ? { parsedBody: message } : {}), ...(authInfo ? { authInfo } : {}) });
      answer.catch(() => undefined); // a failure after the client left must not go unhandled
      const response = await Promise.race([answer, clientGone(res)]);
      if (response === 'gone') return;
      await writeResponse(res, response, cors);
    } finally {
      session.open--;
      session.lastSeen = Date.now();
    }
  }

  /** Answers one POST with a transport of its own, then drops the transport. */
  private async oneShot(req: IncomingMessage, res: ServerResponse, message: unknown, cors: Record<string, string>, authInfo: AuthInfo): Promise<void> {
    const json = this.options.jsonResponse === true || !acceptsSse(req);
    const server = this.acquireServer();
    const transport = this.newTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
    await server.connect(transport);
    try {
      const answer = transport.handleRequest(this.webRequest(req, json), { parsedBody: message, ...(authInfo ? { authInfo } : {}) });
      answer.catch(() => undefined);
      const response = await Promise.race([answer, clientGone(res)]);
      if (response !== 'gone') await writeResponse(res, response, cors);
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
