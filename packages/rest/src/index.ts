/** @capstan/rest: serves a capability's REST adapters on fastify. */
export { registerRestAdapter, routeClaims, type RestAdapterOptions, type RestRunner, type RouteClaim } from './adapter.js';
export { createRestServer, type RestServerOptions } from './server.js';
export { sendProblem } from '@capstan/http';
export { buildOpenApi, mergeOpenApi, outputsSchema, type OpenApiOptions } from './openapi.js';
export { problem, problemForError, PROBLEM_TYPE, type Problem } from '@capstan/runtime';
export { readInputs, coerce, effectiveParams } from './inputs.js';
export { compilePath } from './routes.js';
