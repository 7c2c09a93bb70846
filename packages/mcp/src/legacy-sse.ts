/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05), on the SDK's `SSEServerTransport`, for
 * clients of that generation: `GET /sse` opens the stream and names the message endpoint
 * (`/messages?sessionId=…`), `POST /messages` carries the client's messages (202), answers go
 * down the stream. The same checks as Streamable HTTP apply (Host, Origin, authentication).
 *
 * A stream lives in the process that holds it. With shared sessions (Redis), a POST reaching
 * another replica is relayed over the bus to the replica holding the stream, so a round-robin
 * balancer works for these clients too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { admitDeferred, markLongLived } from '@capstan/http';
import { carriesRequest } from './carries-request.js';
import { sendJsonError, type AuthInfo, type HttpFront } from './http.js';
import type { BusMessage, SessionSharing } from './session-sharing.js';
import { tellListsChanged, type ListChanges } from './session-table.js';
import type { Logger } from './types.js';
import { LEGACY_MESSAGES_PATH } from './mount.js';

/** A comment line this often keeps proxies (HAProxy's `timeout server`, nginx's `proxy_read_timeout`) from closing an idle stream, as the SDK does for Streamable HTTP. */
const KEEP_ALIVE_MS = 15_000;

export class LegacySse {
  private readonly streams = new Map<string, { transport: SSEServerTransport; server: Server }>();
  private readonly refresher: NodeJS.Timeout | undefined;

  constructor(
    private readonly front: HttpFront,
    private readonly sharing: SessionSharing | undefined,
    private readonly log: Logger,
    private readonly namespace: string,
    private readonly options: { maxSessions: number; ttlMs: number },
  ) {
    sharing?.onMessage((m) => this.onBus(m));
    // Ownership records expire unless renewed, so a replica that died leaves none behind.
    if (sharing) {
      this.refresher = setInterval(() => {
        for (const id of this.streams.keys()) void sharing.saveSse(id).catch(() => undefined);
      }, Math.max(1_000, options.ttlMs / 3));
      this.refresher.unref();
    }
  }

  get size(): number {
    return this.streams.size;
  }

  /** `GET /sse`: opens a stream and a session on it. */
  readonly stream = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const admitted = await this.front.admit(req, reply);
    if (!admitted) return reply;
    if (this.streams.size >= this.options.maxSessions) return sendJsonError(reply, 503, -32000, `Too many sessions (${this.options.maxSessions}); try again later`, { ...admitted.cors, 'retry-after': '5' });
    // The legacy transport (and what it pulls in) is loaded by the first legacy client only.
    const { SSEServerTransport } = await import('@modelcontextprotocol/sdk/server/sse.js');
    const server = this.front.acquireServer();
    reply.hijack();
    const res = reply.raw;
    markLongLived(res);
    for (const [key, value] of Object.entries({ ...reply.getHeaders(), ...admitted.cors })) if (typeof value === 'string') res.setHeader(key, value);
    const transport = new SSEServerTransport(LEGACY_MESSAGES_PATH, res);
    const id = transport.sessionId;
    transport.onerror = (err) => this.log('debug', `mcp ${this.namespace} (sse): ${err.message}`);
    const keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(': keepalive\n\n');
    }, KEEP_ALIVE_MS);
    keepAlive.unref();
    transport.onclose = () => {
      clearInterval(keepAlive);
      if (!this.streams.delete(id)) return;
      void this.sharing?.removeSse(id).catch(() => undefined);
      queueMicrotask(() => this.front.releaseServer(server));
    };
    this.streams.set(id, { transport, server });
    if (this.sharing) {
      try {
        await this.sharing.saveSse(id);
      } catch (err) {
        // Without the record other replicas cannot relay; this replica still serves the stream.
        this.log('warn', `mcp ${this.namespace} (sse): ${(err as Error).message}`);
      }
    }
    await server.connect(transport);
    reply.code(200);
  };

  /** `POST /messages?sessionId=…`: one client message of a stream (held here, or relayed to its replica). */
  readonly message = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const admitted = await this.front.admit(req, reply);
    if (!admitted) return reply;
    const { cors, authInfo } = admitted;
    const id = (req.query as Record<string, unknown>).sessionId;
    if (typeof id !== 'string' || !id) return sendJsonError(reply, 400, -32000, 'Bad Request: the sessionId query parameter is required (the endpoint event of GET /sse gives it)', cors);
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(typeof req.body === 'string' ? req.body : ''));
    } catch {
      return sendJsonError(reply, 400, -32700, 'Parse error: the body is not a JSON-RPC message', cors);
    }
    if ('method' in message) req.fields = { ...req.fields, rpc: message.method };
    if (carriesRequest(message) && !admitDeferred(req, reply)) return reply;
    const local = this.streams.get(id)?.transport;
    if (local) {
      await local.handleMessage(message, { requestInfo: { headers: { ...req.headers, 'x-request-id': req.id } }, ...(authInfo ? { authInfo } : {}) });
      return reply.code(202).headers(cors).type('text/plain').send('Accepted');
    }
    if (!this.sharing) return sendJsonError(reply, 404, -32001, 'Session not found', cors);
    try {
      if (!(await this.sharing.hasSse(id))) return sendJsonError(reply, 404, -32001, 'Session not found', cors);
      await this.sharing.publish({ kind: 'sse', origin: this.sharing.replica, session: id, message, ...(authInfo ? { authInfo } : {}) });
    } catch (err) {
      return sendJsonError(reply, 503, -32000, `Service unavailable: ${(err as Error).message}`, { ...cors, 'retry-after': '2' });
    }
    return reply.code(202).headers(cors).type('text/plain').send('Accepted');
  };

  private onBus(m: BusMessage): void {
    if (m.kind === 'changed') void this.notify(m);
    if (m.kind !== 'sse') return;
    const transport = this.streams.get(m.session)?.transport;
    if (!transport) return;
    const authInfo = m.authInfo as AuthInfo;
    transport.handleMessage(m.message, { requestInfo: { headers: {} }, ...(authInfo ? { authInfo } : {}) }).catch(() => undefined);
  }

  /** Tells the sessions of the streams held here that their lists changed. */
  async notify(changes: ListChanges): Promise<void> {
    await Promise.allSettled(
      [...this.streams.values()].map(({ server }) => tellListsChanged(server, changes)),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.refresher);
    await Promise.allSettled([...this.streams.values()].map((s) => s.transport.close()));
  }
}
