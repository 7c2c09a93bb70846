/** @capstan/rest: serves a capability's REST adapters on fastify. */
export { registerRestAdapter, routeClaims, sendProblem, type RestAdapterOptions, type RestRunner, type RouteClaim } from './adapter.js';
export { createRestServer, type RestServerOptions } from './server.js';
export { useInboundRateLimit, clientKey, type InboundRateLimit } from './rate-limit.js';
export { buildOpenApi, mergeOpenApi, outputsSchema, type OpenApiOptions } from './openapi.js';
export { problem, PROBLEM_TYPE, type Problem } from './problem.js';
export { readInputs, coerce, effectiveParams } from './inputs.js';
export { compilePath } from './routes.js';
