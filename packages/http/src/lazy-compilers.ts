/**
 * Fastify's schema compilers, loaded when a route first needs one. Fastify requires its default
 * validator compiler (Ajv, with its JTD build) and serializer compiler (fast-json-stringify, which
 * loads Ajv as well) when an app is created; Capstan's routes declare no fastify schema, so they
 * never run. These factories hand fastify the same compilers, from the same packages, on the first
 * route with a `schema`.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/** A compiler factory as fastify calls it: (the app's shared schemas, the server's options) → compiler. */
type Factory = (externalSchemas: unknown, options: unknown) => unknown;

/** A factory made by `load()` (which requires its library) on its first call. */
function onFirstUse(load: () => () => Factory): Factory {
  let factory: Factory | undefined;
  return (externalSchemas, options) => (factory ??= load()())(externalSchemas, options);
}

/** fastify's `schemaController` option: its default compilers, required on first use. */
export const lazySchemaCompilers = {
  compilersFactory: {
    buildValidator: onFirstUse(() => createRequire(import.meta.url)('@fastify/ajv-compiler') as () => Factory),
    buildSerializer: onFirstUse(() => createRequire(import.meta.url)('@fastify/fast-json-stringify-compiler') as () => Factory),
  },
} as unknown as NonNullable<FastifyServerOptions['schemaController']>;
