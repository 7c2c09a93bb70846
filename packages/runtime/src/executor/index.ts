/**
 * The executor: the only code that talks to upstream APIs. Adapters give it a handler from the
 * compiled graph and the caller's inputs; it builds and sends the upstream requests, converts
 * and maps the answers, and runs orchestrations, mocks and forwards.
 */
export { Executor, type ExecutorOptions, type ExecResult, type RunCall, type ForwardRequest, type UpstreamRef } from './executor.js';
export type { TunnelProvider, TunnelDialer, TunnelTarget } from './tunnel.js';
export { UpstreamError, InputError, BindError, ScriptError, type UpstreamErrorKind, type InputProblem } from './errors.js';
export type { UpstreamObserver, UpstreamCall, UpstreamCallEnd, UpstreamWatch } from './observe.js';
export type { BreakerStateName } from './resilience/breaker.js';
export { CallAbort, type AbortLike } from './call-abort.js';
