/**
 * A fastify server for one port, shared by every REST adapter that names that port: JSON and
 * text bodies, a body size cap, request ids, problem+json for every error, one log line per
 * request.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { RETRY_AFTER_SECONDS, type ConcurrencyLimiter } from '@capstan/core';
import { problem, PROBLEM_TYPE } from './problem.js';
import { sendProblem } from './adapter.js';
import { keepJsonText } from './raw-body.js';

/** Server-wide limits and logging. */
export interface RestServerOptions {
  /** Process-wide cap on requests in flight; beyond it, 503 with `Retry-After`. */
  limiter?: ConcurrencyLimiter;
  /** Largest request body accepted, in bytes (default 1 MiB); larger → 413. */
  bodyLimit?: number;
  /** pino logger (fastify's own), or false for none. */
  logger?: FastifyBaseLogger | false;
  /** Longest URL accepted, in characters (default 8192); longer → 414. */
  maxUrlLength?: number;
  /** Largest request header section, in bytes (default 16 KiB). */
  maxHeaderSize?: number;
  /** Idle keep-alive timeout, ms (default 72 s, longer than common load balancer idle timeouts). */
  keepAliveTimeoutMs?: number;
}

/** Longest single path parameter, in characters; longer → 414. */
const MAX_PARAM_LENGTH = 2048;

/** Creates the server; adapters register their routes on it, then it listens. */
export function createRestServer(options: RestServerOptions = {}): FastifyInstance {
  const maxUrl = options.maxUrlLength ?? 8192;
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Fastify's own per-request log lines are off: the server writes one line per request itself.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 72_000,
    http: { maxHeaderSize: options.maxHeaderSize ?? 16 * 1024 },
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: MAX_PARAM_LENGTH },
    // Errors found before routing (malformed percent-encoding, an over-long path segment) and
    // before parsing (header section or request line too large) are problem+json too.
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.header('x-request-id', req.id);
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        return sendProblem(reply, problem('uri-too-long', `a path segment is longer than ${MAX_PARAM_LENGTH} characters`, { requestId: req.id }));
      }
      return sendProblem(reply, problem('bad-request', err.code === 'FST_ERR_BAD_URL' ? 'the URL path has malformed percent-encoding' : 'the request could not be routed', { requestId: req.id }));
    },
    clientErrorHandler: (err: Error, socket: Socket) => clientError(err, socket, maxUrl),
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (options.limiter && !options.limiter.admit(reply.raw)) {
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return sendProblem(reply, problem('overloaded', `the gateway is handling ${options.limiter.max} requests already; retry in ${RETRY_AFTER_SECONDS} s`, { requestId: req.id }));
    }
    if (req.url.length > maxUrl) return sendProblem(reply, problem('uri-too-long', `the URL has ${req.url.length} characters; the limit is ${maxUrl}`, { requestId: req.id }));
    return undefined;
  });
  keepJsonText(app);
  app.addContentTypeParser(['text/plain', 'application/xml', 'text/xml', 'application/sparql-query', 'text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem('not-found', `no route for ${req.method} ${req.url.split('?')[0]}`, { requestId: req.id })));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) return sendProblem(reply, problem('body-too-large', `the request body is larger than ${app.initialConfig.bodyLimit} bytes`, { requestId: req.id }));
    if (status === 429) return sendProblem(reply, problem('rate-limited', err.message, { requestId: req.id }));
    if (status === 415) return sendProblem(reply, problem('unsupported-media-type', err.message, { requestId: req.id }));
    if (status >= 400 && status < 500) return sendProblem(reply, problem('bad-request', err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'the request body is not valid JSON' : err.message, { requestId: req.id }));
    req.log.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
    return sendProblem(reply, problem('internal', `an unexpected error occurred; quote request id ${req.id} when reporting it`, { requestId: req.id }));
  });
  // Once closing, answers still in flight end their connection: a keep-alive connection that only
  // turns idle after `close()` started would otherwise hold the shutdown until the grace period ends.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, route: req.routeOptions.url ?? null, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  return app;
}

/**
 * Answers a request Node's parser refused (fastify's default answers plain JSON): 414 when the
 * request line alone is over the URL limit, 431 for any other header overflow, 408 for a
 * request that took too long to arrive, 400 otherwise.
 */
function clientError(err: Error & { code?: string; rawPacket?: unknown }, socket: Socket, maxUrl: number): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let body = problem('bad-request', 'the request is not valid HTTP/1.1');
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') body = problem('request-timeout', 'the request took too long to arrive');
  else if (err.code === 'HPE_HEADER_OVERFLOW') {
    body = requestLineLength(err.rawPacket) > maxUrl
      ? problem('uri-too-long', `the URL is longer than the limit of ${maxUrl} characters`)
      : problem('header-fields-too-large', 'the request header section is too large');
  }
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy();
}

/** Length of the request line at the start of a raw packet (the whole packet when no line end is in it), or 0 when the packet does not start with one. */
function requestLineLength(packet: unknown): number {
  if (!Buffer.isBuffer(packet) || !/^[A-Z]+ /.test(packet.subarray(0, 16).toString('latin1'))) return 0;
  const end = packet.indexOf('\r\n');
  return end < 0 ? packet.length : end;
}
