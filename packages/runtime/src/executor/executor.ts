/**
 * The executor: runs handlers of a compiled capability graph against upstream APIs. It is the
 * only code that talks to upstreams. Adapters (REST, MCP) extract the caller's inputs, call
 * `run` or `forward`, and turn the result or error into their own answer.
 *
 * Redirects: a 3xx answer (other than 304) is never followed. For `run` it is an UpstreamError
 * 'redirect' naming the status (a handler needs the answer itself, and following could lead
 * off the declared upstream). For `forward` it is passed through to the caller unchanged, as a
 * proxy does.
 *
 * Error statuses: for a `call` handler, an upstream status >= 400 is passed through with the
 * raw upstream body (no mapping), so adapters can show the upstream's own error.
 */
import { observeCall, withObserverHeaders, type UpstreamObserver } from './observe.js';
import { dirname, resolve } from 'node:path';
import type { AggregateFunctionNode, CapabilityGraph, ConsumedApi, ConsumedOperation, Handler, OutputParam } from '@capstan/spec';
import { CredentialBroker, replacedBindVariables, withGrant, type CredentialOverrides } from '../credentials/index.js';
import { contextLayer, type RequestContext } from '../identity/caller.js';
import type { UpstreamBase } from './base-uri.js';
import { readEnvFile, resolveBinds } from './binds.js';
import { DigestSession, pickDigestChallenge } from './digest.js';
import { InputError, UpstreamError } from './errors.js';
import { convert, convertJson, FormatError } from './formats/index.js';
import { HttpClient, type CallIds, type HttpTimeouts, type InboundResponse, type OutboundRequest } from './http.js';
import { buildMock, mapOutputs, shapeOrchestrated } from './mapping.js';
import { formEncode, render, type Scope } from './mustache.js';
import { buildRequest, passedHeaders, type BuiltRequest } from './request.js';
import { runScript, scriptingSettings, type ScriptingSettings } from './script.js';
import { runSteps, type CallOutcome } from './steps.js';
import { prepareUpstreams } from './upstreams.js';
import { forwardedRequest } from './forward.js';
import type { ResiliencePolicy } from '@capstan/spec';
import type { BreakerStateName } from './resilience/breaker.js';
import { tokenProviders, UpstreamPipeline, type PipelineCall } from './resilience/pipeline.js';
import { sharedLimitStore } from './resilience/shared-limit.js';
import { applyWith, withEntries } from './with.js';
import { openTunnels, type TunnelProvider } from './tunnel.js';
import type { AbortLike } from './call-abort.js';
import { asBinary, binaryCapError, isBinaryOperation, withBinaryCap, type BinaryMark } from './binary.js';
import { depthExceeds, MAX_INPUT_DEPTH } from './input-depth.js';
import { derivedSecrets } from './secrets.js';

/** Executor settings; every field has a default. */
export interface ExecutorOptions {
  /** Environment for binds without location and `in: environment` parameters (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** A `.env` file (dotenv format) merged over `env`. */
  envFile?: string;
  /** Namespace → base URI override (`*` for every namespace), e.g. to point at a local mock. */
  upstreams?: Record<string, string>;
  /** Timeouts in ms (defaults 5000 / 30000 / 30000). */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** Largest upstream answer read, in bytes (default 10 MiB). */
  maxResponseBytes?: number;
  /** Most concurrent connections to one upstream origin (default 64). */
  maxConnectionsPerUpstream?: number;
  /** Gateway-wide resilience defaults (CLI flags), below every `resiliency` the capability declares. */
  resilience?: ResiliencePolicy;
  /** `redis://…`: outbound rate limits shared by every replica using it (default: per process). */
  rateLimitRedis?: string;
  /** Optional pino-compatible logger; receives no secret. `isLevelEnabled('debug')` false skips building the per-call debug line. */
  logger?: { debug(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; isLevelEnabled?(level: string): boolean };
  /** Told about every upstream call (metrics, tracing). */
  observer?: UpstreamObserver;
  /** Per-caller credential settings by consumed namespace, over the files' `x-capstan-credentials`. */
  credentials?: CredentialOverrides;
  /** Tunnel providers by `tunnel.type` (beta5 `consumes[].tunnel`), and how long one may take to open (default 30 s). */
  tunnels?: Readonly<Record<string, TunnelProvider>>;
  tunnelReadyMs?: number;
}

/** Which upstream operation produced a result. */
export interface UpstreamRef {
  namespace: string;
  operation: string;
}

/** What running a handler gives. */
export type ExecResult =
  /** A JSON value: mapped, mock or orchestrated. */
  | { kind: 'json'; status: number; value: unknown; upstream?: UpstreamRef }
  /** The upstream answer as is (no outputs declared, an error status, nothing mapped, or binary passthrough: `binary`). */
  | { kind: 'raw'; status: number; contentType?: string; body: Buffer; headers: Record<string, string>; upstream?: UpstreamRef; binary?: BinaryMark }
  /** Nothing to answer (e.g. a mock without data): 204. */
  | { kind: 'empty'; status: number };

/** One invocation of a handler. */
export interface RunCall {
  /** The caller's parameters by name (adapters extract them from the request or tool arguments). */
  inputs: Record<string, unknown>;
  /** Sent upstream as `x-request-id`. */
  requestId?: string;
  signal?: AbortLike;
  /** Answers may be cached with the default TTL (set by the executor for functions marked `semantics.cacheable`). */
  cacheable?: boolean;
  /** Who is calling (verified by the adapter), for `{{caller.*}}` and per-caller credentials. */
  context?: RequestContext;
  /** The adapter's `maxBinarySize` in bytes, for binary operations that declare none. */
  maxBinaryBytes?: number;
}

/** An incoming request to forward (REST `forward`). */
export interface ForwardRequest {
  method: string;
  /** The sub-path to append to the upstream base URI, raw (still percent-encoded). */
  path: string;
  /** The raw query string, without `?` (forwarded as is). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  requestId?: string;
  signal?: AbortLike;
  context?: RequestContext;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 };
/** Secrets shorter than this are not redacted: replacing e.g. every "1" would garble logs while protecting nothing. */
const MIN_SECRET_LENGTH = 4;

const isRedirect = (status: number): boolean => status >= 300 && status < 400 && status !== 304;

/** Runs handlers of one capability graph. Create with `Executor.create`, close with `close()`. */
export class Executor {
  private readonly digest = new Map<string, DigestSession>();
  private readonly schemaCache = new Map<string, unknown>();
  private readonly baseDir: string;
  private readonly scripting: ScriptingSettings;
  /** The template layer of calls without a verified caller (binds, `caller` absent). */
  private anonymousLayer: Record<string, unknown> | undefined;
  /** Resolved secret values (every bind value), for log redaction by adapters. */
  readonly secrets: readonly string[];

  private constructor(
    private readonly graph: CapabilityGraph,
    private readonly env: NodeJS.ProcessEnv,
    private readonly bindLayer: Record<string, unknown>,
    secrets: string[],
    private readonly bases: Map<string, UpstreamBase>,
    private readonly pipeline: UpstreamPipeline,
    private readonly options: ExecutorOptions,
    private readonly credentials: CredentialBroker,
  ) {
    this.secrets = Object.freeze([...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length));
    this.baseDir = resolve(dirname(graph.file));
    this.scripting = scriptingSettings(graph, env);
  }

  /** Resolves binds (a missing variable or key → BindError naming it, never a value) and prepares the upstreams. */
  static async create(graph: CapabilityGraph, options: ExecutorOptions = {}): Promise<Executor> {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), ...(options.envFile ? readEnvFile(options.envFile) : {}) };
    const binds = resolveBinds(graph.binds, env, replacedBindVariables(graph, options.credentials));
    const upstreams = prepareUpstreams(graph, options.upstreams, binds.layer);
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const tunnels = await openTunnels(graph, { providers: options.tunnels ?? {}, render: (t) => render(t, [binds.layer, env as Record<string, unknown>]), tls: upstreams.clientTls, warn: (m) => options.logger?.warn({}, m), readyMs: options.tunnelReadyMs, connectMs: timeouts.connectMs });
    const http = new HttpClient({
      timeouts, tunnels,
      maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
      maxConnections: options.maxConnectionsPerUpstream ?? 64,
      clientTls: upstreams.clientTls,
    });
    const tokens = tokenProviders(graph.consumes.values(), [binds.layer, env as Record<string, unknown>], http);
    const pipeline = new UpstreamPipeline(http, graph, options.resilience, tokens, options.logger, sharedLimitStore(options.rateLimitRedis, graph, options.resilience));
    const credentials = await CredentialBroker.create(graph, options.credentials, (t) => render(t, [binds.layer, env as Record<string, unknown>]));
    return new Executor(graph, env, binds.layer, [...binds.values, ...derivedSecrets(graph, binds.layer), ...upstreams.secrets], upstreams.bases, pipeline, options, credentials);
  }

  /** Replaces every secret value (also URL-encoded) with `***`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret), formEncode(secret)])) out = out.split(form).join('***');
    }
    return out;
  }

  /**
   * Renders a template from binds only (then the environment, as the reference engine reads
   * `{{VAR}}` of exposed authentication from env vars): for inbound auth settings.
   */
  renderSecret(template: string): string {
    return render(template, [this.bindLayer, this.env as Record<string, unknown>]);
  }

  /** Runs a handler with the caller's inputs. Throws InputError, UpstreamError or ScriptError. */
  async run(handler: Handler, call: RunCall): Promise<ExecResult> {
    for (const name of Object.keys(call.inputs)) {
      if (depthExceeds(call.inputs[name], MAX_INPUT_DEPTH)) throw new InputError([{ name, message: `nested more than ${MAX_INPUT_DEPTH} levels deep` }]);
    }
    try {
      // runHandler works on a copy (applyWith's): the caller's object is never changed.
      return await this.runHandler(handler, call.inputs, call);
    } catch (err) {
      throw this.clean(err);
    }
  }

  /** Forwards a request to a consumed API (REST `forward`): trusted headers, method, body and query pass through. */
  async forward(target: ConsumedApi, trustedHeaders: readonly string[], request: ForwardRequest): Promise<ExecResult> {
    try {
      return await this.forwardRequest(target, trustedHeaders, request);
    } catch (err) {
      throw this.clean(err);
    }
  }

  /** The circuit breaker of each upstream origin called so far, with its state (for a metrics gauge). */
  breakerStates(): Array<{ origin: string; state: BreakerStateName }> {
    return this.pipeline.breakers.states();
  }

  /** Closes the connection pools. */
  async close(): Promise<void> {
    await Promise.all([this.pipeline.close(), this.credentials.close()]);
  }

  // ---- handlers ------------------------------------------------------------------------------

  /** Not async itself: the kinds that wait have their own async method (one frame less per call). */
  private runHandler(handler: Handler, inputs: Record<string, unknown>, call: RunCall): Promise<ExecResult> {
    const caller = call.context?.caller;
    // Without a caller the layer is the same for every call: built once (templates only read it).
    const layer = caller ? contextLayer(this.bindLayer, caller) : (this.anonymousLayer ??= contextLayer(this.bindLayer, undefined));
    const binds: Scope = [layer];
    const params = applyWith(handler.with, inputs, binds);
    switch (handler.kind) {
      case 'ref':
        return this.runFunction(handler.fn, params, call);
      case 'mock':
        return Promise.resolve(this.mock(handler.outputs, [params, layer]));
      case 'call':
        return this.runCall(handler, params, binds, layer, call);
      case 'steps':
        return this.runOrchestrated(handler, params, layer, call);
    }
  }

  private async runCall(handler: Extract<Handler, { kind: 'call' }>, params: Record<string, unknown>, binds: Scope, layer: Record<string, unknown>, call: RunCall): Promise<ExecResult> {
    const outcome = await this.callStep(handler.operation, params, binds, call, handler.outputs.length > 0);
    return this.simpleResult(outcome, handler.outputs, [params, layer]);
  }

  private async runOrchestrated(handler: Extract<Handler, { kind: 'steps' }>, params: Record<string, unknown>, layer: Record<string, unknown>, call: RunCall): Promise<ExecResult> {
    const result = await runSteps(handler.steps, handler.mappings, params, {
      binds: layer,
      call: (op, stepParams, lower) => this.callStep(op, stepParams, lower, call, true),
      script: (run) => runScript(run, this.scripting, this.baseDir),
    });
    if (result.mapped) return { kind: 'json', status: 200, value: shapeOrchestrated(handler.outputs, result.mapped) };
    if (result.last) return this.simpleResult(result.last, handler.outputs, [params, result.context, layer]);
    return this.mock(handler.outputs, [params, result.context, layer]);
  }

  private runFunction(fn: AggregateFunctionNode, params: Record<string, unknown>, call: RunCall): Promise<ExecResult> {
    return this.runHandler(fn.handler, params, fn.semantics?.cacheable ? { ...call, cacheable: true } : call);
  }

  private mock(outputs: readonly OutputParam[], scope: Scope): ExecResult {
    const value = buildMock(outputs, scope);
    return value ? { kind: 'json', status: 200, value } : { kind: 'empty', status: 204 };
  }

  /** Simple mode: outputs mapped over the converted answer, or the raw answer. */
  private simpleResult(outcome: CallOutcome, outputs: readonly OutputParam[], scope: Scope): ExecResult {
    const upstream = { namespace: outcome.op.namespace, operation: outcome.op.name };
    // Binary bytes are never mapped (engine: outputs are skipped); an error answer stays as it is.
    if (isBinaryOperation(outcome.op) && outcome.status < 400) return asBinary(this.raw(outcome, upstream), outcome.op, outcome.headers);
    if (!outputs.length || outcome.status >= 400) return this.raw(outcome, upstream);
    const mapped = mapOutputs(outputs, outcome.value, scope);
    if (!mapped.resolved) return this.raw(outcome, upstream);
    return { kind: 'json', status: outcome.status, value: mapped.value, upstream };
  }

  private raw(outcome: { status: number; body: Buffer; headers: InboundResponse['headers'] }, upstream: UpstreamRef): Extract<ExecResult, { kind: 'raw' }> {
    const headers = passedHeaders(outcome.headers);
    const contentType = headers['content-type'];
    return { kind: 'raw', status: outcome.status, ...(contentType ? { contentType } : {}), body: outcome.body, headers, upstream };
  }

  // ---- upstream calls ------------------------------------------------------------------------

  private api(namespace: string): { api: ConsumedApi; base: UpstreamBase } {
    const api = this.graph.consumes.get(namespace);
    const base = this.bases.get(namespace);
    if (!api || !base) throw new Error(`no consumed namespace \`${namespace}\``);
    return { api, base };
  }

  /** Calls one operation and converts its answer (when `convertBody`). */
  private async callStep(op: ConsumedOperation, params: Record<string, unknown>, lower: Scope, call: RunCall, convertBody: boolean): Promise<CallOutcome> {
    const { api, base } = this.api(op.namespace);
    // Without per-caller credentials for this API there is no grant to wait for.
    const grant = this.credentials.has(api.namespace) ? await withGrant(this.credentials, api, call.context, lower) : undefined;
    const building = buildRequest({ api: grant?.api ?? api, op, base, params: grant ? withEntries(params, grant.parameters) : params, lower: grant?.scope ?? lower, env: this.env, ...(call.requestId ? { requestId: call.requestId } : {}) });
    const built = building instanceof Promise ? await building : building;
    if (grant) Object.assign(built.request.headers, grant.headers);
    const ids = { namespace: op.namespace, operation: op.name };
    const binary = isBinaryOperation(op);
    if (binary) built.request = withBinaryCap(built.request, op, call.maxBinaryBytes);
    const sent = this.send(built, ids, { signal: call.signal, cacheable: call.cacheable }, call.context);
    const received = await (binary ? sent.catch((err: unknown) => Promise.reject(binaryCapError(err, built.request.maxBytes))) : sent);
    const res = grant ? grant.redact(received) : received;
    if (isRedirect(res.status)) {
      throw new UpstreamError('redirect', op.namespace, op.name, `${op.ref} answered ${res.status} (a redirect); Capstan does not follow redirects`, res.status);
    }
    let value: unknown = null;
    if (convertBody && !binary) {
      try {
        value = op.outputRawFormat === 'json' ? convertJson(res.body) : await convert(op.outputRawFormat, res.body, { ...(op.outputSchema ? { schema: op.outputSchema } : {}), baseDir: this.baseDir, cache: this.schemaCache });
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        // An error page in another format is kept raw; a success that does not parse is an error.
        if (res.status < 400) throw new UpstreamError('bad-format', op.namespace, op.name, `${op.ref} answered a body that is not valid ${err.format} (${err.message})`, res.status);
      }
    }
    return { op, status: res.status, value, body: res.body, headers: res.headers };
  }

  /** Sends a request, answering a digest challenge when the API uses digest; `context` is the served request's, for the observer. */
  private send = (built: BuiltRequest, ids: CallIds, call: PipelineCall, context?: RequestContext): Promise<InboundResponse> =>
    !this.options.observer ? this.sendOnce(built, ids, call) : observeCall(this.options.observer, { namespace: ids.namespace, operation: ids.operation, method: built.request.method, url: built.request.url, context }, (h) => this.sendOnce(withObserverHeaders(built, h), ids, call));

  private sendOnce(built: BuiltRequest, ids: CallIds, call: PipelineCall): Promise<InboundResponse> {
    const logger = this.options.logger;
    // Neither a digest challenge to answer nor a debug line to write: the pipeline's own promise.
    if (!built.digest && (!logger || logger.isLevelEnabled?.('debug') === false)) return this.pipeline.send(built.request, ids, call);
    return this.sendLogged(built, ids, call);
  }

  private async sendLogged(built: BuiltRequest, ids: CallIds, call: PipelineCall): Promise<InboundResponse> {
    const started = Date.now();
    // Digest sets its header on a copy; any other request is sent as built.
    const request: OutboundRequest = built.digest ? { ...built.request, headers: { ...built.request.headers } } : built.request;
    let res: InboundResponse;
    if (!built.digest) res = await this.pipeline.send(request, ids, call);
    else {
      const uri = `${request.url.pathname}${request.url.search}`;
      const { username, password } = built.digest;
      // One digest session per upstream and user: callers with their own credentials never share one.
      const sessionKey = `${ids.namespace}\n${username}`;
      const known = this.digest.get(sessionKey);
      if (known) request.headers.authorization = known.authorize(request.method, uri, username, password, request.body);
      res = await this.pipeline.send(request, ids, call);
      const challenge = res.status === 401 ? pickDigestChallenge(res.headers['www-authenticate']) : undefined;
      if (challenge) {
        const session = new DigestSession(challenge);
        this.digest.set(sessionKey, session);
        request.headers.authorization = session.authorize(request.method, uri, username, password, request.body);
        res = await this.pipeline.send(request, ids, call);
      }
    }
    if (this.options.logger?.isLevelEnabled?.('debug') !== false) this.options.logger?.debug({ namespace: ids.namespace, operation: ids.operation, method: request.method, path: this.redact(request.url.pathname), status: res.status, ms: Date.now() - started }, 'upstream call');
    return res;
  }

  private async forwardRequest(target: ConsumedApi, trustedHeaders: readonly string[], request: ForwardRequest): Promise<ExecResult> {
    const { api, base } = this.api(target.namespace);
    const ids = { namespace: api.namespace, operation: 'forward' };
    const grant = () => withGrant(this.credentials, api, request.context, [contextLayer(this.bindLayer, request.context?.caller)]);
    const forwarded = await forwardedRequest({ api, base, bindLayer: this.bindLayer, trustedHeaders, request, ids, grant });
    const res = forwarded.grant.redact(await this.send(forwarded.built, ids, { signal: request.signal }, request.context));
    return this.raw(res, ids);
  }

  /** Redacts secrets from an error's message and stack before it leaves the executor. */
  private clean(err: unknown): unknown {
    if (err instanceof UpstreamError) {
      this.options.logger?.warn({ namespace: err.namespace, operation: err.operation, kind: err.kind, ...(err.status !== undefined ? { status: err.status } : {}) }, 'upstream call failed');
    }
    if (err instanceof Error) {
      try {
        err.message = this.redact(err.message);
        if (err.stack) err.stack = this.redact(err.stack);
      } catch {
        // Read-only message (e.g. a DOMException abort reason): it carries no secret of ours.
      }
      if (err instanceof InputError) for (const e of err.errors) e.message = this.redact(e.message);
    }
    return err;
  }
}

