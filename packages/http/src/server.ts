/**
 * The fastify app every adapter mounts on: request ids (`x-request-id`, sent back and passed on),
 * body and URL limits, the process-wide concurrency limit, errors in the route's style
 * (problem+json or JSON-RPC), and one log line per request with the fields the adapter adds.
 *
 * The app does not own its socket: `createHttpServer` gives it a node server of its own (so
 * `app.listen()` works), and `HttpListener`s can route long-lived sockets to it instead, which is
 * how a reload swaps apps without closing ports, and how one app serves several ports (ports.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyServerOptions, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { RETRY_AFTER_SECONDS, type ConcurrencyLimiter } from '@capstan/runtime';
import { answerClientError, guardServer, type SocketLimits } from './client-error.js';
import { problem } from '@capstan/runtime';
import { sendError } from './problem.js';
import { notifyRequestEnd, type RequestObserver } from './observe.js';
import { lazySchemaCompilers } from './lazy-compilers.js';
import { portConstraint, portFields, portOf, PORT_CONSTRAINT } from './ports.js';

/** Fields an adapter adds to the request's log line (and metrics): adapter, operation or tool, JSON-RPC method. */
export interface RequestFields {
  adapter?: string;
  /** `rest`, `mcp`, `skill` or `control`. */
  kind?: string;
  operation?: string;
  tool?: string;
  rpc?: string;
  /** The route pattern, when the adapter routes by itself (REST); null when nothing matched. */
  route?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What the adapter says about this request, for its log line and metrics. */
    fields: RequestFields;
    /** The limiter a `limitAfterBody` POST has not yet taken a slot of (`admitDeferred`). */
    deferredLimit: ConcurrencyLimiter | null;
  }
  interface FastifyContextConfig {
    /** How this route answers errors (default problem+json). */
    errorStyle?: import('./problem.js').ErrorStyle;
    /** A long-lived stream (MCP's GET): not counted against the concurrency limit. */
    longLived?: boolean;
    /**
     * A POST whose body decides whether it takes a concurrency slot (MCP: a message that carries a
     * request does; a notification such as `notifications/cancelled` or a response does not, so a
     * cancellation still gets through when every slot is held by the calls it cancels). The
     * route's handler calls `admitDeferred` once it has read the body.
     */
    limitAfterBody?: boolean;
  }
}

/** Server-wide limits and logging. */
export interface HttpServerOptions {
  /** Process-wide cap on requests in flight; beyond it, 503 with `Retry-After`. */
  limiter?: ConcurrencyLimiter;
  /** Largest request body accepted, in bytes (default 1 MiB); larger → 413. Routes may set their own. */
  bodyLimit?: number;
  /** pino logger (fastify's own), or false for none. */
  logger?: FastifyBaseLogger | false;
  /** Longest URL accepted, in characters (default 8192); longer → 414. */
  maxUrlLength?: number;
  /** Largest request header section, in bytes (default 16 KiB). */
  maxHeaderSize?: number;
  /** Idle keep-alive timeout, ms (default 72 s, longer than common load balancer idle timeouts). */
  keepAliveTimeoutMs?: number;
  /** Time allowed to receive a whole request, ms (default 30 s); slower → 408. */
  requestTimeoutMs?: number;
  /** Told about every answered request (metrics). */
  observers?: RequestObserver[];
  /** Hand answered requests' records to `onRequestRecord` watchers (tracing) even without observers. */
  recordRequests?: boolean;
  /** Fields every request of this app starts with (an app that serves one adapter). */
  fields?: RequestFields;
}

/** Longest single path parameter, in characters; longer → 414. */
export const MAX_PARAM_LENGTH = 2048;

const handlers = new WeakMap<FastifyInstance, (req: IncomingMessage, res: ServerResponse) => void>();

/** The node request listener of an app made by `createHttpServer` (for an `HttpListener`). */
export function requestHandlerOf(app: FastifyInstance): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = handlers.get(app);
  if (!handler) throw new Error('not an app made by createHttpServer');
  return handler;
}

/** The socket-level limits of a set of options, with their defaults. */
export function socketLimits(options: HttpServerOptions): SocketLimits {
  return { maxUrlLength: options.maxUrlLength ?? 8192, keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 72_000, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 };
}

/**
 * A node HTTP server with Capstan's limits: header size, timeouts checked every second, CONNECT
 * answered, and (unless fastify answers them itself) parser errors answered.
 */
export function createNodeServer(options: HttpServerOptions, handler?: (req: IncomingMessage, res: ServerResponse) => void, clientErrors = true): Server {
  const limits = socketLimits(options);
  const server = createServer({ maxHeaderSize: options.maxHeaderSize ?? 16 * 1024, connectionsCheckingInterval: Math.min(1000, limits.requestTimeoutMs) }, handler);
  guardServer(server, limits, { clientErrors });
  return server;
}

/** A per-request child logger, except for a logger that turned silent (it writes nothing for any request). */
const quietChildLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (parent, bindings, opts) => (parent.level === 'silent' ? parent : parent.child(bindings, opts));

/** Creates the app; adapters register their routes on it, then it listens (or is mounted on an `HttpListener`). */
export function createHttpServer(options: HttpServerOptions = {}): FastifyInstance {
  const limits = socketLimits(options);
  const maxUrl = limits.maxUrlLength;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  // A logger that is silent when the app is built writes nothing for its requests (a level only
  // ever drops at run time, to silent on EPIPE): fastify gets none, so it keeps no per-request
  // child logger and no response listeners for it.
  const logger = options.logger && options.logger.level !== 'silent' ? options.logger : undefined;
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // Fastify's own per-request log lines are off: the server writes one line per request itself.
    logController: new LogController({ disableRequestLogging: true }),
    // A logger that turned silent writes nothing for any request: no per-request child to bind the request id to.
    ...(logger ? { childLoggerFactory: quietChildLogger } : {}),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    serverFactory: (h) => {
      handler = h;
      return createNodeServer(options, h, false);
    },
    // The port constraint routes each port's scope of a shared app (ports.ts); unused, it costs nothing.
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: MAX_PARAM_LENGTH, constraints: { [PORT_CONSTRAINT]: portConstraint } },
    schemaController: lazySchemaCompilers,
    // Errors found before routing (malformed percent-encoding, an over-long path segment) and
    // before parsing (header section or request line too large) are problem+json too.
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.header('x-request-id', req.id);
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        return sendError(req, reply, problem('uri-too-long', `a path segment is longer than ${MAX_PARAM_LENGTH} characters`, { requestId: req.id }));
      }
      return sendError(req, reply, problem('bad-request', err.code === 'FST_ERR_BAD_URL' ? 'the URL path has malformed percent-encoding' : 'the request could not be routed', { requestId: req.id }));
    },
    clientErrorHandler: (err: Error, socket: Socket) => answerClientError(err, socket, maxUrl),
  });
  handlers.set(app, handler!);
  const initial = options.fields;
  const byPort = portFields(app);
  app.decorateRequest('fields', null as unknown as RequestFields);
  app.decorateRequest('deferredLimit', null);
  // The hooks run for every request: callback style, so none of them costs a promise. A hook
  // that answers (sendError) does not call `done`.
  app.addHook('onRequest', (req, reply, done) => {
    const start = initial ?? (byPort.size ? byPort.get(portOf(req.raw)!) : undefined);
    req.fields = start ? { ...start } : {};
    reply.header('x-request-id', req.id);
    const { limiter } = options;
    if (limiter) {
      const config = req.routeOptions.config;
      if (config.limitAfterBody && req.method === 'POST') req.deferredLimit = limiter;
      else if (!(config.longLived && req.method === 'GET') && !limiter.admit(reply.raw)) return refuseOverloaded(req, reply, limiter);
    }
    if (req.url.length > maxUrl) {
      sendError(req, reply, problem('uri-too-long', `the URL has ${req.url.length} characters; the limit is ${maxUrl}`, { requestId: req.id }));
      return;
    }
    done();
  });
  app.addContentTypeParser(['text/plain', 'application/xml', 'text/xml', 'application/sparql-query', 'text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setNotFoundHandler((req, reply) => sendError(req, reply, problem('not-found', `no route for ${req.method} ${req.url.split('?')[0]}`, { requestId: req.id })));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) {
      const limit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit;
      // A client still sending would see its connection reset before it reads the answer: a body
      // not much over the limit is read (and dropped) first; a huge one is cut off.
      const answer = () => sendError(req, reply, problem('body-too-large', `the request body is larger than ${limit} bytes`, { requestId: req.id }), { connection: 'close' });
      if (req.raw.complete || Number(req.headers['content-length'] ?? Infinity) > 8 * limit) return answer();
      return new Promise<void>((resolve) => {
        req.raw.once('end', resolve).once('close', resolve).resume();
      }).then(answer);
    }
    if (status === 429) return sendError(req, reply, problem('rate-limited', err.message, { requestId: req.id }));
    if (status === 415) return sendError(req, reply, problem('unsupported-media-type', err.message, { requestId: req.id }));
    if (status >= 400 && status < 500) return sendError(req, reply, problem('bad-request', err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'the request body is not valid JSON' : err.message, { requestId: req.id }));
    req.log.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
    return sendError(req, reply, problem('internal', `an unexpected error occurred; quote request id ${req.id} when reporting it`, { requestId: req.id }));
  });
  // Once closing, answers still in flight end their connection: a keep-alive connection that only
  // turns idle after `close()` started would otherwise hold the shutdown until the grace period ends.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  const observers = options.observers ?? [];
  // Without a log line to write, observers or records to keep, no hook runs after each answer.
  if (logger || observers.length || options.recordRequests) app.addHook('onResponse', (req, reply, done) => {
    const ms = reply.elapsedTime;
    // The line is built only when it is written (the level can drop to silent at run time: EPIPE).
    if (logger && (req.log as { isLevelEnabled?(level: string): boolean }).isLevelEnabled?.('info') !== false) req.log.info({ method: req.method, route: req.routeOptions.url ?? null, ...req.fields, status: reply.statusCode, ms: Math.round(ms) }, 'request');
    if (observers.length || options.recordRequests) notifyRequestEnd(observers, req, reply.statusCode, ms);
    done();
  });
  return app;
}

/**
 * For a POST of a `limitAfterBody` route whose body carries work: takes its concurrency slot, or
 * answers 503 with `Retry-After` and returns false when none is free.
 */
export function admitDeferred(req: FastifyRequest, reply: FastifyReply): boolean {
  const limiter = req.deferredLimit;
  if (!limiter) return true;
  req.deferredLimit = null;
  if (limiter.admit(reply.raw)) return true;
  refuseOverloaded(req, reply, limiter);
  return false;
}

function refuseOverloaded(req: FastifyRequest, reply: FastifyReply, limiter: ConcurrencyLimiter): void {
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  sendError(req, reply, problem('overloaded', `the gateway is handling ${limiter.max} requests already; retry in ${RETRY_AFTER_SECONDS} s`, { requestId: req.id }));
}
