/**
 * The method-agnostic route table of one app's REST adapters. Every spec path is registered once,
 * in a find-my-way router of its own (the library fastify routes with, with the same options),
 * and the app gets one catch-all route that looks the path up and picks the handler from the
 * path's method table. Fastify would otherwise keep a route per method, plus HEAD (about 18 KB
 * per path); here a path costs one router entry. The answers are those of per-method routes:
 * HEAD runs a declared HEAD operation, else GET; OPTIONS and an unserved method answer from the table (204 / 405 with `Allow`),
 * an unknown path goes to the app's not-found handler, and an over-long path segment is a 414.
 */
import FindMyWay from 'find-my-way';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '@capstan/runtime';
import { MAX_PARAM_LENGTH, sendError, sendProblem } from '@capstan/http';

/** Route parameters by route name (`p0`, `*`), decoded by the router. */
export type RouteParams = Record<string, string | undefined>;

/** What runs one method of one path. */
export type RouteHandler = (req: FastifyRequest, reply: FastifyReply, params: RouteParams) => Promise<FastifyReply>;

/** The methods a REST path may serve (HEAD follows GET; OPTIONS is answered from the table). */
export const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** One path: its router pattern and the handler of each method it serves. */
interface PathRoutes {
  pattern: string;
  methods: Map<string, RouteHandler>;
}

/** The route table of one app. */
export interface RouteTable {
  /** The method table of a router pattern (`/ships/:p0`), created on first use. */
  methodsOf(pattern: string): Map<string, RouteHandler>;
}

const tables = new WeakMap<FastifyInstance, RouteTable>();

/** The app's route table; the first call registers the catch-all route on the app. */
export function routeTable(app: FastifyInstance): RouteTable {
  const existing = tables.get(app);
  if (existing) return existing;
  // One tree for every method: the method is chosen from the path's table, not by the router.
  const router = FindMyWay({
    ignoreTrailingSlash: false,
    ignoreDuplicateSlashes: false,
    maxParamLength: MAX_PARAM_LENGTH,
    onMaxParamLength: () => undefined,
    // The query is fastify's to parse (req.query); the lookup only needs the path.
    querystringParser: () => ({}),
  });
  const paths = new Map<string, PathRoutes>();
  const table: RouteTable = {
    methodsOf(pattern) {
      let entry = paths.get(pattern);
      if (!entry) {
        entry = { pattern, methods: new Map() };
        router.on('GET', pattern, noop, entry);
        paths.set(pattern, entry);
      }
      return entry.methods;
    },
  };
  app.route({ method: [...ALL_METHODS, 'HEAD', 'OPTIONS'], url: '/*', handler: (req, reply) => dispatch(router, req, reply) });
  tables.set(app, table);
  return table;
}

function noop(): void {}

/** The handler's promise, or the reply when the table answers itself (no async frame of its own per request). */
function dispatch(router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> | FastifyReply {
  const found = router.find('GET', req.url);
  if (!found) {
    // Unmatched, as when fastify finds no route: no route pattern in logs and metrics.
    req.fields.route = null;
    reply.callNotFound();
    return reply;
  }
  // find-my-way answers an over-long parameter with a store-less match (onMaxParamLength).
  if (!found.store) return sendError(req, reply, problem('uri-too-long', `a path segment is longer than ${MAX_PARAM_LENGTH} characters`, { requestId: req.id }));
  const entry = found.store as PathRoutes;
  req.fields.route = entry.pattern;
  // A declared HEAD operation answers HEAD; otherwise HEAD is GET without the body.
  const handler = entry.methods.get(req.method) ?? (req.method === 'HEAD' ? entry.methods.get('GET') : undefined);
  if (handler) return handler(req, reply, found.params as RouteParams);
  const served = ALL_METHODS.filter((m) => entry.methods.has(m));
  const allow = [...served, ...(entry.methods.has('GET') || entry.methods.has('HEAD') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  if (req.method === 'OPTIONS') return reply.code(204).header('allow', allow).send();
  return sendProblem(reply, problem('method-not-allowed', `${req.method} is not allowed on ${req.url.split('?')[0]}; use ${served.join(', ')}`, { requestId: req.id }), { allow });
}
