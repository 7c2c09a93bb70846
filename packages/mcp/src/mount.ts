/** The MCP endpoint's routes on a fastify app of the shared HTTP layer. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readBody } from './body.js';
import type { HttpFront } from './http.js';
import type { LegacySse } from './legacy-sse.js';

/** Where the legacy HTTP+SSE transport tells clients to POST. */
export const LEGACY_MESSAGES_PATH = '/messages';

/**
 * Methods routed to the front (it answers 405 to those MCP does not use). HEAD is listed, not left
 * to fastify's own HEAD route for a GET (a second route per URL): the front answers it as before.
 */
const METHODS = ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS', 'PUT', 'PATCH'];
/** `/sse`: GET (and HEAD) open the stream, the others get 405. */
const SSE_METHODS = ['GET', 'HEAD', 'POST', 'DELETE', 'PUT', 'PATCH'];
const SSE_ONLY = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed: /sse is the legacy HTTP+SSE transport (GET opens the stream); Streamable HTTP is at /mcp' } });

/** Where the endpoint is and what the routes need besides the front. */
export interface McpRouteOptions {
  /** Largest JSON-RPC message accepted, in bytes; larger → 413 as a JSON-RPC error. */
  bodyLimit: number;
  /** RFC 9728 protected-resource metadata, served without authentication. */
  protectedResourceMetadata?: Record<string, unknown>;
}

/**
 * Registers `/mcp`, `/mcp/` and `/` (the endpoint), and `/sse` + `/messages` (the legacy
 * HTTP+SSE transport), on `app`: bodies are read as text whatever their media type (the transport
 * answers 415 itself) and errors are JSON-RPC. `app` must serve nothing else (an adapter's own
 * app, or the scope of its port on a shared app, `servePort`): its content-type parsers are
 * replaced and its hooks are the endpoint's. A gateway mounts hundreds of these, so each costs as
 * few routes and scopes as the answers allow (each fastify route and scope is a plugin load).
 */
export function mountMcpRoutes(app: FastifyInstance, front: Pick<HttpFront, 'handle' | 'corsFor'>, legacy: Pick<LegacySse, 'stream' | 'message'>, options: McpRouteOptions): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => readBody(req, payload, req.routeOptions.bodyLimit ?? options.bodyLimit, done));
  // A refusal made before the front runs (the inbound rate limit's 429) carries the CORS headers
  // too, so a browser client can read it and its RateLimit-* and Retry-After headers.
  // Callback style: an async hook costs every answer a promise.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (reply.statusCode === 429 && !reply.hasHeader('access-control-allow-origin')) reply.headers(front.corsFor(req.headers.origin));
    done(null, payload);
  });
  const metadata = options.protectedResourceMetadata;
  if (metadata) {
    const serve = async (): Promise<string> => JSON.stringify(metadata);
    for (const url of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/*']) {
      app.get(url, async (_req, reply) => reply.type('application/json').header('cache-control', 'max-age=300').send(await serve()));
    }
  }
  for (const url of ['/', '/mcp', '/mcp/']) {
    app.route({ method: METHODS, exposeHeadRoute: false, url, bodyLimit: options.bodyLimit, config: { errorStyle: 'jsonrpc', longLived: true, limitAfterBody: true }, handler: front.handle });
  }
  // The legacy HTTP+SSE transport; the 405 to other methods makes Streamable-HTTP-first clients
  // fall back to GET. One route: `longLived` exempts only GETs from the concurrency limit
  // (server.ts), as when the 405s had a route of their own.
  app.route({ method: SSE_METHODS, exposeHeadRoute: false, url: '/sse', config: { errorStyle: 'jsonrpc', longLived: true }, handler: (req, reply) => (req.method === 'GET' || req.method === 'HEAD' ? legacy.stream(req, reply) : refuseSse(reply)) });
  app.post(LEGACY_MESSAGES_PATH, { bodyLimit: options.bodyLimit, config: { errorStyle: 'jsonrpc', limitAfterBody: true } }, legacy.message);
}

async function refuseSse(reply: FastifyReply): Promise<FastifyReply> {
  return reply.code(405).header('allow', 'GET').type('application/json').send(SSE_ONLY);
}
