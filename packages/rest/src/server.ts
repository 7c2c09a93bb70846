/** The fastify app of REST adapters: the shared HTTP layer, with JSON bodies' text kept for byte-for-byte forwarding. */
import type { FastifyInstance } from 'fastify';
import { createHttpServer, type HttpServerOptions } from '@capstan/http';
import { keepJsonText } from './raw-body.js';

/** Options of `createRestServer` (those of the shared HTTP layer). */
export type RestServerOptions = HttpServerOptions;

/** An app of the shared HTTP layer ready for `registerRestAdapter`. */
export function createRestServer(options: RestServerOptions = {}): FastifyInstance {
  const app = createHttpServer(options);
  keepJsonText(app);
  return app;
}
