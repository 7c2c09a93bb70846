/**
 * The REST adapter: registers a capability's exposed resources on a fastify server and turns
 * each request into one executor call. It never talks to upstreams itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExecResult, Executor, InboundAuthenticator, RestAdapterNode, RestOperationNode, RestResourceNode } from '@capstan/core';
import { effectiveParams, readInputs } from './inputs.js';
import { buildOpenApi } from './openapi.js';
import { problem, problemForError, PROBLEM_TYPE, type Problem } from './problem.js';
import { compilePath, placeholderValues, rawTail, type CompiledPath } from './routes.js';

/** What the adapter needs from the executor. */
export type RestRunner = Pick<Executor, 'run' | 'forward' | 'redact'>;

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

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

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

/** Registers the adapter's routes (and `/openapi.json`) on `app`. */
export function registerRestAdapter(app: FastifyInstance, adapter: RestAdapterNode, options: RestAdapterOptions): void {
  const openapi = buildOpenApi(adapter, { ...(options.info ? { info: options.info } : {}), ...(options.publicUrl ? { serverUrl: options.publicUrl } : {}) });
  app.get('/openapi.json', async (_req, reply) => reply.type('application/json').send(openapi));
  // Several resources may share a path (different methods); group them so 405 lists every method.
  const byRoute = new Map<string, { compiled: CompiledPath; entries: Array<{ resource: RestResourceNode; op?: RestOperationNode }> }>();
  for (const resource of adapter.resources) {
    const compiled = compilePath(resource.path);
    const group = byRoute.get(compiled.route) ?? { compiled, entries: [] };
    byRoute.set(compiled.route, group);
    for (const op of resource.operations) group.entries.push({ resource, op });
    if (resource.forward) group.entries.push({ resource });
  }
  for (const { compiled, entries } of byRoute.values()) {
    const operations = entries.filter((e) => e.op);
    const forward = entries.find((e) => !e.op)?.resource;
    const served = new Set<string>();
    for (const { resource, op } of operations) {
      served.add(op!.method);
      app.route({ method: op!.method, url: compiled.route, handler: (req, reply) => handleOperation(req, reply, resource, op!, compiled, options) });
    }
    const rest = ALL_METHODS.filter((m) => !served.has(m));
    if (forward && rest.length) {
      app.route({ method: [...rest], url: compiled.route, handler: (req, reply) => handleForward(req, reply, forward, compiled, options) });
      for (const m of rest) served.add(m);
    }
    const allow = [...served, ...(served.has('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
    const missing = ALL_METHODS.filter((m) => !served.has(m));
    if (missing.length) {
      app.route({
        method: [...missing],
        url: compiled.route,
        handler: async (req, reply) => sendProblem(reply, problem(405, 'method-not-allowed', `${req.method} is not allowed on ${req.url.split('?')[0]}; use ${[...served].join(', ')}`, { requestId: req.id }), { allow }),
      });
    }
    app.route({ method: 'OPTIONS', url: compiled.route, handler: async (_req, reply) => reply.code(204).header('allow', allow).send() });
  }
}

async function authorize(req: FastifyRequest, reply: FastifyReply, options: RestAdapterOptions): Promise<boolean> {
  if (!options.auth) return true;
  const decision = await options.auth.check({ method: req.method, url: req.url, headers: req.headers });
  if (decision.ok) return true;
  sendProblem(reply, problem(decision.status, decision.status === 401 ? 'unauthorized' : 'forbidden', decision.detail, { requestId: req.id }), decision.headers);
  return false;
}

async function handleOperation(req: FastifyRequest, reply: FastifyReply, resource: RestResourceNode, op: RestOperationNode, compiled: CompiledPath, options: RestAdapterOptions): Promise<FastifyReply> {
  if (!(await authorize(req, reply, options))) return reply;
  const params = effectiveParams(resource.inputParameters, op.inputParameters);
  const read = readInputs(params, resource.pathPlaceholders, {
    params: withProxyQuery(compiled, placeholderValues(compiled, req.params as Record<string, string>), req.url, params),
    query: req.query as Record<string, string | string[]>,
    headers: req.headers,
    body: req.body,
  });
  if (!read.ok) {
    return sendProblem(reply, problem(400, 'invalid-input', `${read.issues.length} input${read.issues.length > 1 ? 's are' : ' is'} missing or invalid`, { errors: read.issues, requestId: req.id }));
  }
  try {
    const result = await options.runner.run(op.handler, { inputs: read.inputs, requestId: req.id, signal: abortOnClose(reply) });
    return sendResult(reply, result);
  } catch (err) {
    return sendExecutionError(req, reply, err, options);
  }
}

async function handleForward(req: FastifyRequest, reply: FastifyReply, resource: RestResourceNode, compiled: CompiledPath, options: RestAdapterOptions): Promise<FastifyReply> {
  if (!(await authorize(req, reply, options))) return reply;
  const rawPath = req.url.split('?')[0] ?? '';
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const tail = rawTail(compiled, rawPath);
  try {
    const result = await options.runner.forward(resource.forward!.target, resource.forward!.trustedHeaders, {
      method: req.method, path: tail, query, headers: req.headers,
      ...(Buffer.isBuffer(req.body) ? { body: req.body } : req.body !== undefined ? { body: Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body)) } : {}),
      requestId: req.id, signal: abortOnClose(reply),
    });
    return sendResult(reply, result);
  } catch (err) {
    return sendExecutionError(req, reply, err, options);
  }
}

/**
 * A trailing multi-segment placeholder (Paragon's `{apiPath}`) carries the caller's query too:
 * the query parameters the operation does not declare are appended to it, so
 * `/proxy/slack/api/x?channel=a` reaches the upstream as `…/api/x?channel=a`.
 */
function withProxyQuery(compiled: CompiledPath, values: Record<string, string>, url: string, params: readonly { name: string; in: string }[]): Record<string, string> {
  const name = compiled.names.get('*');
  const q = url.indexOf('?');
  if (!name || q < 0 || values[name] === undefined) return values;
  const declared = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
  const rest = new URLSearchParams(url.slice(q + 1));
  for (const key of [...rest.keys()]) if (declared.has(key)) rest.delete(key);
  const query = rest.toString();
  return query ? { ...values, [name]: `${values[name]}?${query}` } : values;
}

/** Aborts the upstream call when the caller goes away before the answer. */
function abortOnClose(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

function sendResult(reply: FastifyReply, result: ExecResult): FastifyReply {
  switch (result.kind) {
    case 'json':
      return reply.code(result.status).type('application/json').send(JSON.stringify(result.value ?? null));
    case 'raw':
      reply.code(result.status);
      for (const [name, value] of Object.entries(result.headers)) if (!SKIPPED_HEADERS.has(name)) reply.header(name, value);
      if (result.contentType) reply.type(result.contentType);
      return reply.send(result.body);
    case 'empty':
      return reply.code(result.status).send();
  }
}

/** Headers fastify computes itself for the answer it sends. */
const SKIPPED_HEADERS = new Set(['content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

function sendExecutionError(req: FastifyRequest, reply: FastifyReply, err: unknown, options: RestAdapterOptions): FastifyReply {
  const body = problemForError(err, (t) => options.runner.redact(t), req.id);
  if (body.status >= 500) {
    const message = err instanceof Error ? options.runner.redact(err.message) : 'unknown error';
    req.log[body.status === 500 ? 'error' : 'warn']({ err: { name: (err as Error)?.name, message, ...(body.status === 500 && err instanceof Error && err.stack ? { stack: options.runner.redact(err.stack) } : {}) }, upstream: body.upstream }, 'request failed');
  }
  return sendProblem(reply, body);
}

/** Sends a problem+json answer with optional extra headers. */
export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(body.status).type(PROBLEM_TYPE).send(JSON.stringify(body));
}
