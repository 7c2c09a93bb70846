/**
 * Several listening ports on one fastify app. A fastify app costs about 150 KB and a share of
 * start-up (its not-found router alone is 70 compiled routes), so a gateway with hundreds of ports
 * gives each port a scope of a shared app instead of an app of its own.
 *
 * Each `HttpListener` tags the sockets it accepts with its port's key; every route registered in
 * a port's scope (`servePort`) carries a find-my-way constraint on that key, so a request only
 * ever matches routes of the port it came in on (anything else is the app's 404). Hooks and
 * plugins registered in the scope (an adapter's inbound auth, the port's rate limit, content-type
 * parsers) stay in the scope, as fastify's encapsulation does for any plugin.
 *
 * find-my-way matches constrained handlers of one route node with a 31-bit mask, so one node can
 * hold at most 31 of them: an app serves at most `PORTS_PER_APP` ports (each port adds at most
 * one handler to any node).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { RequestFields } from './server.js';

/** Most ports one app serves (find-my-way's limit of constrained handlers per route node). */
export const PORTS_PER_APP = 31;

/** The route constraint a port's routes carry (the strategy's name). */
export const PORT_CONSTRAINT = 'capstanPort';

const PORT = Symbol('capstan.port');

type Tagged = Socket & { [PORT]?: string };

/** Marks a socket as accepted on the port `key` (called by the listener for each connection). */
export function tagSocket(socket: Socket, key: string): void {
  (socket as Tagged)[PORT] = key;
}

/** The key of the port a request came in on, when its listener tagged it. */
export function portOf(req: IncomingMessage): string | undefined {
  return (req.socket as Tagged | null)?.[PORT];
}

/**
 * The find-my-way strategy routing on the port key. Not `mustMatchWhenDerived`: routes of an app
 * without ports stay unconstrained and the strategy costs nothing there (find-my-way derives a
 * constraint only once a route uses it); an app with ports has no unconstrained route.
 */
export const portConstraint: NonNullable<NonNullable<FastifyServerOptions['routerOptions']>['constraints']>[string] = {
  name: PORT_CONSTRAINT,
  storage() {
    const handlers = new Map<unknown, never>();
    return {
      get: (key) => handlers.get(key) ?? null,
      set: (key, handler) => void handlers.set(key, handler as never),
    };
  },
  validate(value) {
    if (typeof value !== 'string') throw new Error('a port key is a string');
  },
  // undefined (a request no listener tagged) matches no port's route; the typing wants a string.
  deriveConstraint: (req) => portOf(req as IncomingMessage) as string,
};

const fieldsByApp = new WeakMap<FastifyInstance, Map<string, RequestFields>>();

/** The fields each port's requests start with, for the app's request hook. */
export function portFields(app: FastifyInstance): Map<string, RequestFields> {
  let fields = fieldsByApp.get(app);
  if (!fields) fieldsByApp.set(app, (fields = new Map()));
  return fields;
}

/**
 * Registers one port's routes in a scope of `app`: `register` gets the scope; every route added
 * there (and in scopes under it) answers only requests that came in on `key`. `fields` start each
 * request's log line on that port (its adapter and kind, for a port that serves one adapter).
 */
export function servePort(app: FastifyInstance, key: string, register: (scope: FastifyInstance) => Promise<void> | void, fields?: RequestFields): void {
  if (fields) portFields(app).set(key, fields);
  const plugin = async (scope: FastifyInstance): Promise<void> => {
    // Runs for every route of the scope, the HEAD routes fastify adds included, before it reaches the router.
    scope.addHook('onRoute', (route) => {
      route.constraints = { ...route.constraints, [PORT_CONSTRAINT]: key };
    });
    await register(scope);
  };
  // Named: fastify otherwise looks an unnamed plugin up among every loaded module (require.cache), per plugin.
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: `port ${key}` });
  void app.register(plugin);
}
