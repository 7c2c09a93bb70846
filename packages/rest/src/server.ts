/**
 * A fastify server for one port, shared by every REST adapter that names that port: JSON and
 * text bodies, a body size cap, request ids, problem+json for every error, one log line per
 * request.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger } from 'fastify';
import { problem } from './problem.js';
import { sendProblem } from './adapter.js';

/** Server-wide limits and logging. */
export interface RestServerOptions {
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

/** Creates the server; adapters register their routes on it, then it listens. */
export function createRestServer(options: RestServerOptions = {}): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Fastify's own per-request log lines are off: the server writes one line per request itself.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 72_000,
    http: { maxHeaderSize: options.maxHeaderSize ?? 16 * 1024 },
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 2048 },
  });
  const maxUrl = options.maxUrlLength ?? 8192;
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.length > maxUrl) return sendProblem(reply, problem(414, 'uri-too-long', `the URL has ${req.url.length} characters; the limit is ${maxUrl}`, { requestId: req.id }));
    reply.header('x-request-id', req.id);
    return undefined;
  });
  app.addContentTypeParser(['text/plain', 'application/xml', 'text/xml', 'application/sparql-query', 'text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem(404, 'not-found', `no route for ${req.method} ${req.url.split('?')[0]}`, { requestId: req.id })));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) return sendProblem(reply, problem(413, 'body-too-large', `the request body is larger than ${app.initialConfig.bodyLimit} bytes`, { requestId: req.id }));
    if (status === 415) return sendProblem(reply, problem(415, 'unsupported-media-type', err.message, { requestId: req.id }));
    if (status >= 400 && status < 500) return sendProblem(reply, problem(status, 'bad-request', err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'the request body is not valid JSON' : err.message, { requestId: req.id }));
    req.log.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
    return sendProblem(reply, problem(500, 'internal', `an unexpected error occurred; quote request id ${req.id} when reporting it`, { requestId: req.id }));
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, route: req.routeOptions.url ?? null, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  return app;
}
