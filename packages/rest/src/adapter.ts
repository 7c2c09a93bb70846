/**
 * The REST adapter: registers a capability's exposed resources on a fastify server and turns
 * each request into one executor call. It never talks to upstreams itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExposedParam, RestAdapterNode, RestOperationNode, RestResourceNode } from '@capstan/spec';
import type { ExecResult, Executor, InboundAuthenticator, RequestContext } from '@capstan/runtime';
import { effectiveParams, readInputs } from './inputs.js';
import { buildOpenApi, mergeOpenApi, type Json } from './openapi.js';
import { CallAbort, problem, problemForError } from '@capstan/runtime';
import { sendProblem } from '@capstan/http';
import { jsonText } from './raw-body.js';
import { compilePath, pathValues, rawTail, type CompiledPath } from './routes.js';
import { ALL_METHODS, routeTable, type RouteParams } from './router.js';

/** What the adapter needs from the executor (`renderSecret` resolves a query API key's name, when given). */
export type RestRunner = Pick<Executor, 'run' | 'forward' | 'redact'> & Partial<Pick<Executor, 'renderSecret'>>;

/** Options for one REST adapter. */
export interface RestAdapterOptions {
  runner: RestRunner;
  /** Present when the adapter declares `authentication`. */
  auth?: InboundAuthenticator;
  /** Base URL the adapter is reachable at, for the OpenAPI `servers` entry. */
  publicUrl?: string;
  /** Capability title and description, for OpenAPI. */
  info?: { label?: string; description?: string };
}

/** A method+path the adapter serves, for collision checks across adapters sharing a port. */
export interface RouteClaim {
  method: string;
  shape: string;
  path: string;
}

/** Every method+path an adapter will register (including `/openapi.json`). */
export function routeClaims(adapter: RestAdapterNode): RouteClaim[] {
  const claims: RouteClaim[] = [{ method: 'GET', shape: '/openapi.json', path: '/openapi.json' }];
  for (const res of adapter.resources) {
    const { shape } = compilePath(res.path);
    const methods = res.forward ? ALL_METHODS : res.operations.map((o) => o.method);
    for (const method of methods) claims.push({ method, shape, path: res.path });
  }
  return claims;
}

/**
 * The OpenAPI documents of every adapter registered on one app, merged into its one
 * `/openapi.json`; each is built on the first request for it, not at start-up.
 */
interface OpenApiState {
  docs: Array<{ namespace: string; build: () => Json }>;
  merged?: Json;
}

const openApis = new WeakMap<FastifyInstance, OpenApiState>();

function openApiState(app: FastifyInstance): OpenApiState {
  let state = openApis.get(app);
  if (!state) {
    const created: OpenApiState = { docs: [] };
    openApis.set(app, created);
    // GET and HEAD in one route (fastify's own HEAD route for a GET is a second one: a gateway has hundreds of these).
    app.route({ method: ['GET', 'HEAD'], exposeHeadRoute: false, url: '/openapi.json', handler: async (req, reply) => {
      created.merged ??= created.docs.length === 1 ? created.docs[0]!.build() : mergeOpenApi(created.docs.map((d) => ({ namespace: d.namespace, doc: d.build() })));
      // Without a configured public URL, the server is where the caller reached it.
      const host = req.headers.host;
      const doc = created.merged.servers || !host || !/^[A-Za-z0-9.:[\]-]+$/.test(host) ? created.merged : { ...created.merged, servers: [{ url: `${req.protocol}://${host}` }] };
      return reply.type('application/json').send(doc);
    } });
    state = created;
  }
  return state;
}

/**
 * Registers the adapter's routes (and `/openapi.json`, once per server) on `app`. Adapters
 * sharing a port may serve different methods of the same path: each path has one method table
 * (router.ts), so 405, `Allow` and OPTIONS list all of them.
 */
export function registerRestAdapter(app: FastifyInstance, adapter: RestAdapterNode, options: RestAdapterOptions): void {
  const docs = openApiState(app);
  docs.docs.push({ namespace: adapter.namespace, build: () => buildOpenApi(adapter, { ...(options.info ? { info: options.info } : {}), ...(options.publicUrl ? { serverUrl: options.publicUrl } : {}) }) });
  docs.merged = undefined;
  const routes = routeTable(app);
  const hidden = hiddenQueryKey(adapter, options);
  // Operations first, across every resource on a path; `forward` serves the methods left over.
  for (const resource of adapter.resources) {
    const compiled = compilePath(resource.path);
    const methods = routes.methodsOf(compiled.route);
    for (const op of resource.operations) {
      const operation = op.name ?? `${op.method} ${resource.path}`;
      const declared = effectiveParams(resource.inputParameters, op.inputParameters);
      const inputs: DeclaredInputs = { params: declared, query: new Set(declared.filter((p) => p.in === 'query').map((p) => p.name)) };
      if (!methods.has(op.method)) {
        methods.set(op.method, (req, reply, params) => {
          markRequest(req, adapter.namespace, operation);
          return handleOperation(req, reply, params, resource, op, inputs, compiled, options, hidden, adapter.maxBinaryBytes);
        });
      }
    }
  }
  for (const resource of adapter.resources) {
    if (!resource.forward) continue;
    const compiled = compilePath(resource.path);
    const methods = routes.methodsOf(compiled.route);
    const operation = `forward ${resource.path}`;
    for (const m of ALL_METHODS) {
      if (methods.has(m)) continue;
      methods.set(m, (req, reply) => {
        markRequest(req, adapter.namespace, operation);
        return handleForward(req, reply, resource, compiled, options, hidden);
      });
    }
  }
}

/** An operation's declared inputs (resource ones merged), and the names of its query parameters: worked out once, at registration. */
interface DeclaredInputs {
  params: readonly ExposedParam[];
  query: ReadonlySet<string>;
}

/** Names the request's adapter and operation for its log line and metrics (the request's own fields object). */
function markRequest(req: FastifyRequest, adapter: string, operation: string): void {
  const fields = req.fields;
  fields.kind = 'rest';
  fields.adapter = adapter;
  fields.operation = operation;
}

/**
 * The query parameter carrying the caller's API key (adapter `apikey` authentication with
 * `placement: query`): it is the caller's credential for Capstan, so it never travels upstream.
 */
function hiddenQueryKey(adapter: RestAdapterNode, options: RestAdapterOptions): string | undefined {
  const auth = adapter.auth;
  if (!auth || auth.type !== 'apikey' || auth.placement !== 'query' || !auth.key) return undefined;
  return options.runner.renderSecret ? options.runner.renderSecret(auth.key) : auth.key;
}

/** Removes every `key=…` pair from a raw query string, leaving the others byte for byte. */
function withoutQueryKey(query: string, key: string | undefined): string {
  if (!key || !query) return query;
  return query
    .split('&')
    .filter((pair) => {
      const name = pair.split('=')[0]!.replace(/\+/g, ' ');
      try {
        return decodeURIComponent(name) !== key;
      } catch {
        return name !== key;
      }
    })
    .join('&');
}

/** The request's context (verified caller, headers for pass-through), or undefined once a refusal is sent; not a promise when the adapter has no authentication. */
function authorize(req: FastifyRequest, reply: FastifyReply, options: RestAdapterOptions): RequestContext | Promise<RequestContext | undefined> {
  const context: RequestContext = { headers: req.headers };
  return options.auth ? authorizeCaller(req, reply, options.auth, context) : context;
}

async function authorizeCaller(req: FastifyRequest, reply: FastifyReply, auth: InboundAuthenticator, context: RequestContext): Promise<RequestContext | undefined> {
  const decision = await auth.check({ method: req.method, url: req.url, headers: req.headers, ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}) });
  // Object.assign, not `{ ...context, caller }`: on node 20 a literal starting with a spread and adding properties is slow.
  if (decision.ok) return decision.caller ? Object.assign({}, context, { caller: decision.caller }) : context;
  sendProblem(reply, problem(decision.status === 401 ? 'unauthorized' : 'forbidden', decision.detail, { requestId: req.id }), decision.headers);
  return undefined;
}

async function handleOperation(req: FastifyRequest, reply: FastifyReply, params: RouteParams, resource: RestResourceNode, op: RestOperationNode, declared: DeclaredInputs, compiled: CompiledPath, options: RestAdapterOptions, hidden: string | undefined, maxBinaryBytes: number | undefined): Promise<FastifyReply> {
  const authorized = authorize(req, reply, options);
  const context = authorized instanceof Promise ? await authorized : authorized;
  if (!context) return reply;
  const path = pathValues(compiled, params, pathOf(req.url));
  if (!path.ok) return sendInvalid(req, reply, path.issues.map((i) => ({ ...i, in: 'path' })));
  const read = readInputs(declared.params, resource.pathPlaceholders, {
    params: withProxyQuery(compiled, path.values, req.url, declared.query, hidden),
    query: req.query as Record<string, string | string[]>,
    headers: req.headers,
    body: req.body,
    jsonText: jsonText(req),
  });
  if (!read.ok) return sendInvalid(req, reply, read.issues);
  try {
    const ran = await options.runner.run(op.handler, { inputs: read.inputs, requestId: req.id, signal: abortOnClose(reply), context, ...(maxBinaryBytes !== undefined ? { maxBinaryBytes } : {}) });
    // Binary bytes: the consumed operation's `outputMediaType` wins, then the type this operation declares.
    const result = ran.kind === 'raw' && ran.binary && !ran.binary.declaredMediaType && op.binaryMediaType ? { ...ran, contentType: op.binaryMediaType } : ran;
    // ikanos#486: Cache-Control only on 2xx answers, and never over one the upstream sent along.
    if (op.cacheControl && result.status >= 200 && result.status < 300 && !(result.kind === 'raw' && result.headers['cache-control'])) reply.header('cache-control', op.cacheControl);
    return sendResult(reply, result, options.runner);
  } catch (err) {
    return sendExecutionError(req, reply, err, options);
  }
}

async function handleForward(req: FastifyRequest, reply: FastifyReply, resource: RestResourceNode, compiled: CompiledPath, options: RestAdapterOptions, hidden: string | undefined): Promise<FastifyReply> {
  const context = await authorize(req, reply, options);
  if (!context) return reply;
  const rawPath = pathOf(req.url);
  const query = withoutQueryKey(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '', hidden);
  const tail = rawTail(compiled, rawPath);
  try {
    const result = await options.runner.forward(resource.forward!.target, resource.forward!.trustedHeaders, {
      method: req.method, path: tail, query, headers: req.headers,
      ...(Buffer.isBuffer(req.body) ? { body: req.body } : req.body !== undefined ? { body: Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body)) } : {}),
      requestId: req.id, signal: abortOnClose(reply), context,
    });
    return sendResult(reply, result, options.runner);
  } catch (err) {
    return sendExecutionError(req, reply, err, options);
  }
}

/**
 * A trailing multi-segment placeholder (Paragon's `{apiPath}`) carries the caller's query too:
 * the query parameters the operation does not declare are appended to it, so
 * `/proxy/slack/api/x?channel=a` reaches the upstream as `…/api/x?channel=a`.
 */
function withProxyQuery(compiled: CompiledPath, values: Record<string, string>, url: string, declared: ReadonlySet<string>, hidden: string | undefined): Record<string, string> {
  const name = compiled.names.get('*');
  const q = url.indexOf('?');
  if (!name || q < 0 || values[name] === undefined) return values;
  const raw = url.slice(q + 1);
  let query: string;
  if (!hidden && declared.size === 0 && PLAIN_QUERY.test(raw)) query = raw;
  else {
    const rest = new URLSearchParams(withoutQueryKey(raw, hidden));
    for (const key of [...rest.keys()]) if (declared.has(key)) rest.delete(key);
    query = rest.toString();
  }
  if (query) values[name] = `${values[name]}?${query}`;
  return values;
}

/** `name=value` pairs of characters URLSearchParams leaves as they are: parsing and serialising such a query gives it back unchanged. */
const PLAIN_QUERY = /^[A-Za-z0-9*._-]+=[A-Za-z0-9*._-]*(?:&[A-Za-z0-9*._-]+=[A-Za-z0-9*._-]*)*$/;

/** 400 naming every input that is missing or invalid. */
function sendInvalid(req: FastifyRequest, reply: FastifyReply, issues: Array<{ name: string; in: string; message: string }>): FastifyReply {
  return sendProblem(reply, problem('invalid-input', `${issues.length} input${issues.length > 1 ? 's are' : ' is'} missing or invalid`, { errors: issues, requestId: req.id }));
}

/** The path of a request target, without its query. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Aborts the upstream call when the caller goes away before the answer (a `CallAbort`: an AbortSignal costs more per request than the rest of the adapter). */
function abortOnClose(reply: FastifyReply): CallAbort {
  const abort = new CallAbort();
  const res = reply.raw as Aborting;
  res[ABORT] = abort;
  // One listener function for every request (`close` is emitted once per response).
  res.on('close', abortIfUnfinished);
  return abort;
}

const ABORT = Symbol('capstan.callerAbort');
type Aborting = FastifyReply['raw'] & { [ABORT]?: CallAbort };

/** An answer already ended needs no abort: its upstream call is over (and fastify's inject never reports `writableFinished`). */
function abortIfUnfinished(this: Aborting): void {
  if (!this.writableEnded) this[ABORT]?.abort();
}

function sendResult(reply: FastifyReply, result: ExecResult, runner: Pick<RestRunner, 'redact'>): FastifyReply {
  switch (result.kind) {
    case 'json':
      return reply.code(result.status).type('application/json').send(JSON.stringify(result.value ?? null));
    case 'raw':
      reply.code(result.status);
      for (const [name, value] of Object.entries(result.headers)) if (!SKIPPED_HEADERS.has(name)) reply.header(name, value);
      if (result.contentType) reply.type(result.contentType);
      // An upstream error page may echo what it was sent (a query API key, a token header).
      return reply.send(result.status >= 400 ? redactBody(result.body, runner) : result.body);
    case 'empty':
      return reply.code(result.status).send();
  }
}

function redactBody(body: Buffer, runner: Pick<RestRunner, 'redact'>): Buffer {
  const text = body.toString('utf8');
  const clean = runner.redact(text);
  return clean === text ? body : Buffer.from(clean);
}

/** Headers fastify computes itself for the answer it sends. */
const SKIPPED_HEADERS = new Set(['content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

function sendExecutionError(req: FastifyRequest, reply: FastifyReply, err: unknown, options: RestAdapterOptions): FastifyReply {
  const body = problemForError(err, (t) => options.runner.redact(t), req.id);
  const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  if (body.status >= 500) {
    const message = err instanceof Error ? options.runner.redact(err.message) : 'unknown error';
    req.log[body.status === 500 ? 'error' : 'warn']({ err: { name: (err as Error)?.name, message, ...(body.status === 500 && err instanceof Error && err.stack ? { stack: options.runner.redact(err.stack) } : {}) }, upstream: body.upstream }, 'request failed');
  }
  return sendProblem(reply, body, body.status === 401 ? { 'www-authenticate': 'Bearer realm="capstan"' } : {});
}
