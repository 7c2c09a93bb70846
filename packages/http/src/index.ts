/** @capstan/http: the one HTTP layer every Capstan adapter is served on. */
export { admitDeferred, createHttpServer, createNodeServer, MAX_PARAM_LENGTH, requestHandlerOf, socketLimits, type HttpServerOptions, type RequestFields } from './server.js';
export { HttpListener, markLongLived, type HttpListenerOptions } from './listener.js';
export { servePort, portOf, PORTS_PER_APP } from './ports.js';
export { InFlight } from './in-flight.js';
export { problem, sendProblem, sendError, jsonRpcError, PROBLEM_TYPE, type Problem, type ErrorStyle } from './problem.js';
export { onRequestRecord, type RequestObserver, type RequestRecord, type RequestInterceptor } from './observe.js';
export { useInboundRateLimit, clientKey, type InboundRateLimit } from './rate-limit.js';
