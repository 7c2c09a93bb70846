/**
 * The third-party corpus (../shared/corpus) as a run suite. For every file: `checkSpec`; an
 * invalid file must get clean, positioned diagnostics; a valid one must compile, start every REST
 * and MCP adapter in-process on 127.0.0.1 with every namespace pointed at one shared echo upstream,
 * and every REST operation and MCP tool is called with inputs synthesised from declared types
 * (stdio MCP adapters through the SDK client on an in-process pipe). The echo's record of each call
 * is compared with an independent model of the expected request (corpus-oracle.ts), and the answer
 * with the mapped output, the text answer, or the engine's mock data.
 */
import { readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type AuthSpec, type CapabilityGraph, type CheckResult, type ExposedParam, type Handler, type McpAdapterNode, type RestAdapterNode, type RestOperationNode, type RestResourceNode } from '@capstan/spec';
import { createInboundAuth, Executor } from '@capstan/runtime';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { StdioServerTransport as LineTransport } from '../../packages/mcp/testing/stdio.js';
import { createRestServer, registerRestAdapter } from '@capstan/rest';
import { startEchoUpstream, type EchoRequest, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { schemeCredentials } from './corpus-credentials.js';
import {
  applyWithModel, expectAnswer, expectMock, expectUpstream, isTrailingPlaceholder, placeholdersOf, Synth, tagNames,
  type UpstreamExpectation,
} from './corpus-oracle.js';

const FILES_DIR = join(SHARED_DIR, 'corpus', 'files');
const HOST = '127.0.0.1';

interface FileOutcome {
  file: string;
  valid: boolean;
  /** Codes of the errors that kept an invalid file from loading. */
  errorCodes: string[];
  /** REST operations and MCP tools called. */
  operations: number;
  tools: number;
  failures: string[];
  notCovered: string[];
}

const outcomes: FileOutcome[] = [];
let echo: EchoUpstream;

const files = HAVE_SHARED ? readdirSync(FILES_DIR).filter((f) => /\.ya?ml$/i.test(f)).sort() : [];

// ---- helpers -----------------------------------------------------------------------------------

const round = (v: unknown): unknown => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown));
const short = (v: unknown): string => {
  const t = JSON.stringify(v);
  return t === undefined ? 'undefined' : t.length > 300 ? `${t.slice(0, 300)}…` : t;
};
const sortPairs = (pairs: Array<[string, string]>): string[] => pairs.map(([k, v]) => `${k}=${v}`).sort();

const deepEqual = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

/** Env for the executor: every bind provider key gets a distinctive value; also stray `{{VAR}}`s. */
function envFor(graph: CapabilityGraph, fileIndex: number): { env: Record<string, string>; binds: Record<string, unknown>; notCovered: string[] } {
  const env: Record<string, string> = {};
  const binds: Record<string, unknown> = {};
  const notCovered: string[] = [];
  for (const bind of graph.binds) {
    if (bind.location) {
      notCovered.push(`bind \`${bind.namespace}\` reads ${bind.location} (a file beside the corpus file; not provided)`);
      continue;
    }
    const scoped: Record<string, string> = {};
    for (const [variable, key] of Object.entries(bind.keys)) {
      const value = env[key] ?? `${variable.toLowerCase()}-f${fileIndex}-secret`;
      env[key] = value;
      scoped[variable] = value;
      binds[variable] = value;
    }
    binds[bind.namespace] = { ...((binds[bind.namespace] as object | undefined) ?? {}), ...scoped };
  }
  // Variables used by consumed templates that no bind declares: present in the process env with
  // distinctive values, so the suite sees whether they leak into requests (they must render empty).
  for (const api of graph.consumes.values()) {
    const templates = [JSON.stringify(api.auth ?? {}), ...api.inputParameters.map((p) => p.value ?? '')];
    for (const op of api.operations.values()) templates.push(...op.params.map((p) => p.value ?? ''));
    for (const t of templates) {
      for (const name of tagNames(t)) {
        const root = name.split('.')[0]!;
        if (!(root in binds) && /^[A-Z][A-Z0-9_]*$/.test(name) && !(name in env)) env[name] = `undeclared-${name.toLowerCase()}-f${fileIndex}`;
      }
    }
  }
  return { env, binds, notCovered };
}

/** Credentials an inbound authenticator accepts, or undefined when the suite cannot make them. */
function inboundCredentials(auth: AuthSpec, executor: Executor): { headers: Record<string, string>; query: Array<[string, string]> } | undefined {
  const r = (t: string | undefined): string => executor.renderSecret(t ?? '');
  switch (auth.type) {
    case 'bearer':
      return { headers: { authorization: `Bearer ${r(auth.token)}` }, query: [] };
    case 'basic':
      return { headers: { authorization: `Basic ${Buffer.from(`${r(auth.username)}:${r(auth.password)}`).toString('base64')}` }, query: [] };
    case 'apikey':
      return auth.placement === 'query' ? { headers: {}, query: [[r(auth.key), r(auth.value)]] } : { headers: { [r(auth.key).toLowerCase()]: r(auth.value) }, query: [] };
    default:
      return undefined;
  }
}

/** The consumed call behind a handler, with the parameter map the caller's inputs lead to. */
function callOf(handler: Handler, inputs: Record<string, unknown>, binds: Record<string, unknown>):
  | { kind: 'call'; handler: Extract<Handler, { kind: 'call' }>; params: Record<string, unknown> }
  | { kind: 'mock'; outputs: Extract<Handler, { kind: 'mock' }>['outputs']; params: Record<string, unknown> }
  | { kind: 'other'; why: string } {
  let h: Handler = handler;
  let params = inputs;
  if (h.kind === 'ref') {
    params = applyWithModel(h.with, params, binds);
    h = h.fn.handler;
  }
  if (h.kind === 'call') return { kind: 'call', handler: h, params: applyWithModel(h.with, params, binds) };
  if (h.kind === 'mock') return { kind: 'mock', outputs: h.outputs, params: applyWithModel(h.with, params, binds) };
  return { kind: 'other', why: `${h.kind} handler` };
}

/** Compares what the echo saw with the expectation; returns the differences. */
function compareUpstream(seen: EchoRequest, want: UpstreamExpectation): string[] {
  const diffs: string[] = [];
  if (seen.method !== want.method) diffs.push(`method ${seen.method}, expected ${want.method}`);
  if (seen.rawPath !== want.rawPath) diffs.push(`path ${seen.rawPath}, expected ${want.rawPath}`);
  if (want.emptyPlaceholders.length) diffs.push(`path placeholders rendered empty: ${want.emptyPlaceholders.join(', ')}`);
  const gotQuery = sortPairs([...new URLSearchParams(seen.query)]);
  const wantQuery = sortPairs(want.query);
  if (!deepEqual(gotQuery, wantQuery)) diffs.push(`query ${short(gotQuery)}, expected ${short(wantQuery)}`);
  for (const [name, value] of Object.entries(want.headers)) {
    if (seen.headers[name] !== value) diffs.push(`header ${name}: ${short(seen.headers[name])}, expected ${short(value)}`);
  }
  for (const name of want.absentHeaders) if (seen.headers[name] !== undefined) diffs.push(`header ${name} should be absent; got ${short(seen.headers[name])}`);
  if (want.bodyChecked && !deepEqual(seen.body, round(want.body))) diffs.push(`body ${short(seen.body)}, expected ${short(want.body)}`);
  return diffs;
}

/** Checks an answer (already parsed JSON) against the mapped output of the echo's answer. */
function compareAnswer(outputs: Extract<Handler, { kind: 'call' }>['outputs'], answer: unknown, echoed: unknown): string[] {
  const want = expectAnswer(outputs, echoed);
  if (want.kind === 'equals') return deepEqual(answer, want.value) ? [] : [`answer ${short(answer)}, expected (${want.why}) ${short(want.value)}`];
  if (want.kind === 'keys') {
    if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return [`answer ${short(answer)} is not an object (${want.why})`];
    const missing = want.keys.filter((k) => !(k in (answer as object)));
    return missing.length ? [`answer lacks ${missing.join(', ')} (${want.why}): ${short(answer)}`] : [];
  }
  return [];
}

// ---- REST --------------------------------------------------------------------------------------

interface RestCall {
  url: string;
  init: RequestInit;
  inputs: Record<string, unknown>;
  notCovered?: string;
}

/** Builds a request for one exposed operation: every placeholder and declared parameter filled. */
function restRequest(base: string, resource: RestResourceNode, op: RestOperationNode, synth: Synth, auth: ReturnType<typeof inboundCredentials>): RestCall {
  const params = [...resource.inputParameters.filter((r) => !op.inputParameters.some((o) => o.name === r.name && o.in === r.in)), ...op.inputParameters];
  const consumedPath = op.handler.kind === 'call' ? op.handler.operation.path : undefined;
  const inputs: Record<string, unknown> = {};
  const pathValues: Record<string, string> = {};
  let proxyQuery: [string, string] | undefined;
  // Every placeholder is read, declared or not; a declared path parameter is then coerced.
  for (const name of resource.pathPlaceholders) {
    const declared = params.find((p) => p.in === 'path' && p.name === name);
    const multi = /path$/i.test(name) && isTrailingPlaceholder(resource.path, name) && !!consumedPath && placeholdersOf(consumedPath).some((c) => c.toLowerCase() === name.toLowerCase() && isTrailingPlaceholder(consumedPath, c));
    const value = synth.value(name, declared?.type === 'integer' || declared?.type === 'number' ? declared.type : 'string', { multiSegment: multi });
    pathValues[name] = String(value);
    inputs[name] = declared ? value : String(value);
    if (multi) proxyQuery = [`${name}-extra`, String(synth.value('extra', 'string'))];
  }
  const query: Array<[string, string]> = [...(auth?.query ?? [])];
  // A trailing multi-segment placeholder carries the caller's undeclared query parameters.
  if (proxyQuery) {
    const name = [...resource.pathPlaceholders].reverse().find((n) => isTrailingPlaceholder(resource.path, n))!;
    query.push(proxyQuery);
    inputs[name] = `${String(inputs[name])}?${new URLSearchParams([proxyQuery]).toString()}`;
  }
  const headers: Record<string, string> = { ...(auth?.headers ?? {}) };
  const cookies: string[] = [];
  const bodyParams: ExposedParam[] = [];
  let notCovered: string | undefined;
  for (const p of params) {
    if (p.in === 'path' || p.in === 'environment') continue;
    if (p.value !== undefined && !p.value.startsWith('$')) {
      inputs[p.name] = p.type === 'integer' || p.type === 'number' ? Number(p.value) : p.type === 'boolean' ? p.value === 'true' : p.value;
      continue;
    }
    if (p.in === 'body') {
      if (!p.raw) bodyParams.push(p);
      continue;
    }
    const value = synth.value(p.name, p.type, { plain: p.in === 'header' });
    inputs[p.name] = value;
    const asText = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (p.in === 'query') query.push([p.name, asText]);
    else if (p.in === 'header') headers[p.name.toLowerCase()] = asText;
    else if (p.in === 'cookie') cookies.push(`${p.name}=${encodeURIComponent(asText)}`);
  }
  let body: unknown;
  if (bodyParams.length === 1 && bodyParams[0]!.name === 'body' && bodyParams[0]!.value === undefined) {
    body = synth.value('body', bodyParams[0]!.type);
    inputs.body = body;
  } else if (bodyParams.length) {
    const obj: Record<string, unknown> = {};
    for (const p of bodyParams) {
      const value = synth.value(p.name, p.type);
      if (p.value !== undefined) {
        const m = /^\$\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)$/.exec(p.value);
        if (!m) {
          notCovered = `body parameter \`${p.name}\` reads JSONPath ${p.value}`;
          continue;
        }
        let node = obj;
        const parts = m[1]!.split('.');
        parts.forEach((part, i) => {
          if (i === parts.length - 1) node[part] = value;
          else node = (node[part] ??= {}) as Record<string, unknown>;
        });
      } else {
        obj[p.name] = value;
      }
      inputs[p.name] = value;
    }
    body = obj;
  }
  // The forwarded body (an operation that sends one but declares none) is the request body as sent.
  const forwarded = params.find((p) => p.raw);
  if (forwarded) {
    body ??= synth.value('body', 'object');
    inputs[forwarded.name] = body;
  }
  if (cookies.length) headers.cookie = cookies.join('; ');
  if (body !== undefined) headers['content-type'] = 'application/json';
  let path = resource.path;
  for (const name of resource.pathPlaceholders) {
    const encoded = pathValues[name]!.split('/').map(encodeURIComponent).join('/');
    path = path.replace(new RegExp(`\\{\\{?\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}?\\}`), encoded);
  }
  if (!path.startsWith('/')) path = `/${path}`;
  const search = new URLSearchParams(query).toString();
  return {
    url: `${base}${path}${search ? `?${search}` : ''}`,
    init: { method: op.method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
    inputs,
    ...(notCovered ? { notCovered } : {}),
  };
}

async function runRest(adapter: RestAdapterNode, graph: CapabilityGraph, executor: Executor, ctx: RunContext, out: FileOutcome): Promise<FastifyInstance> {
  const app = createRestServer({ logger: false });
  const auth = adapter.auth ? createInboundAuth(adapter.auth, (t) => executor.renderSecret(t)) : undefined;
  registerRestAdapter(app, adapter, { runner: executor, ...(auth ? { auth } : {}), info: graph.info });
  await app.listen({ host: HOST, port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://${HOST}:${port}`;
  const creds = adapter.auth ? inboundCredentials(adapter.auth, executor) : undefined;
  if (adapter.auth && !creds) {
    out.notCovered.push(`REST \`${adapter.namespace}\`: inbound ${adapter.auth.type} authentication`);
    return app;
  }
  out.failures.push(...(await checkOpenApi(base, adapter)));
  for (const resource of adapter.resources) {
    if (resource.forward) out.notCovered.push(`REST \`${adapter.namespace}\` ${resource.path}: forward`);
    for (const op of resource.operations) {
      const label = `REST ${adapter.namespace} ${op.method} ${resource.path}`;
      const call = restRequest(base, resource, op, ctx.synth, creds);
      if (call.notCovered) {
        out.notCovered.push(`${label}: ${call.notCovered}`);
        continue;
      }
      out.operations++;
      const before = echo.requests.length;
      let status: number;
      let answerText: string;
      let contentType: string;
      try {
        const res = await fetch(call.url, call.init);
        status = res.status;
        contentType = res.headers.get('content-type') ?? '';
        answerText = await res.text();
      } catch (err) {
        out.failures.push(`${label}: request failed: ${(err as Error).message}`);
        continue;
      }
      if (status === 200 && (op.method as string) !== 'HEAD' && !/^application\/json\b/.test(contentType)) out.failures.push(`${label}: answered content-type ${short(contentType)}, expected application/json`);
      out.failures.push(...checkCall(label, 'rest', op.handler, call.inputs, status, answerText, echo.requests.slice(before), ctx, (op.method as string) === 'HEAD'));
    }
  }
  return app;
}

/** The adapter's `/openapi.json` is a valid OpenAPI document listing every exposed operation. */
async function checkOpenApi(base: string, adapter: RestAdapterNode): Promise<string[]> {
  const label = `REST ${adapter.namespace} /openapi.json`;
  let doc: { paths?: Record<string, Record<string, unknown>> };
  try {
    const res = await fetch(`${base}/openapi.json`);
    if (res.status !== 200) return [`${label}: answered ${res.status}`];
    doc = (await res.json()) as typeof doc;
  } catch (err) {
    return [`${label}: ${(err as Error).message}`];
  }
  const failures: string[] = [];
  const verdict = await new Validator().validate(doc as Parameters<Validator['validate']>[0]);
  if (!verdict.valid) failures.push(`${label}: not a valid OpenAPI document: ${short(verdict.errors)}`);
  for (const resource of adapter.resources) {
    const key = resource.path.replace(/\{\{\s*([^{}\s]+?)\s*\}\}/g, '{$1}');
    for (const op of resource.operations) {
      if (!doc.paths?.[key]?.[op.method.toLowerCase()]) failures.push(`${label}: lacks ${op.method} ${key}`);
    }
  }
  return failures;
}

// ---- MCP ---------------------------------------------------------------------------------------

interface JsonSchemaLite {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLite>;
  required?: string[];
}

async function runMcp(adapter: McpAdapterNode, executor: Executor, ctx: RunContext, out: FileOutcome): Promise<{ mcp: McpAdapter; client?: Client }> {
  const auth = adapter.auth ? createInboundAuth(adapter.auth, (t) => executor.renderSecret(t)) : undefined;
  const mcp = createMcpAdapter(adapter, executor, {
    logger: () => undefined,
    ...(auth
      ? {
          authenticate: async (req) => {
            const decision = await auth.check({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers });
            if (decision.ok) return { ok: true };
            return { ok: false, status: decision.status, headers: { ...decision.headers, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: `Unauthorized: ${decision.detail}` } }) };
          },
        }
      : {}),
  });
  const creds = adapter.auth ? inboundCredentials(adapter.auth, executor) : undefined;
  if (adapter.auth && !creds && adapter.transport === 'http') {
    out.notCovered.push(`MCP \`${adapter.namespace}\`: inbound ${adapter.auth.type} authentication`);
    return { mcp };
  }
  const client = new Client({ name: 'capstan-corpus', version: '0.0.1' });
  if (adapter.transport === 'stdio') {
    // The adapter's own stdio server on an in-process pipe; the SDK client speaks the same
    // newline-delimited JSON-RPC on the other end.
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    await mcp.serveStdio({ stdin: toServer, stdout: toClient });
    await client.connect(new LineTransport(toClient, toServer));
  } else {
    const listening = await mcp.listen({ port: 0, host: HOST });
    const endpoint = new URL(listening.url);
    for (const [k, v] of creds?.query ?? []) endpoint.searchParams.append(k, v);
    await client.connect(new StreamableHTTPClientTransport(endpoint, creds ? { requestInit: { headers: creds.headers } } : undefined));
  }
  const listed = await client.listTools();
  const names = listed.tools.map((t) => t.name).sort();
  const declared = adapter.tools.map((t) => t.name).sort();
  if (!deepEqual(names, declared)) out.failures.push(`MCP ${adapter.namespace}: tools/list gives ${short(names)}, declared ${short(declared)}`);
  for (const tool of listed.tools) {
    const node = adapter.tools.find((t) => t.name === tool.name);
    if (!node) continue;
    const label = `MCP ${adapter.namespace} tool ${tool.name}`;
    const schema = tool.inputSchema as JsonSchemaLite;
    const consumedPath = node.handler.kind === 'call' ? node.handler.operation.path : undefined;
    const args: Record<string, unknown> = {};
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
      const multi = type === 'string' && /path$/i.test(name) && !!consumedPath && isTrailingPlaceholder(consumedPath, name);
      const value = ctx.synth.value(name, type, { multiSegment: multi });
      // A proxy-style trailing path may carry a query, which is merged into the upstream query.
      args[name] = multi ? `${String(value)}?${new URLSearchParams([[`${name}-extra`, String(ctx.synth.value('extra', 'string'))]]).toString()}` : value;
    }
    out.tools++;
    const before = echo.requests.length;
    let result: Awaited<ReturnType<Client['callTool']>>;
    try {
      result = await client.callTool({ name: tool.name, arguments: args });
    } catch (err) {
      out.failures.push(`${label}: tools/call failed: ${(err as Error).message}`);
      continue;
    }
    const content = (result.content ?? []) as Array<{ type: string; text?: string; data?: string; resource?: { blob?: string } }>;
    // A binary answer (`outputRawFormat: binary`) is a base64 block holding the upstream's bytes.
    const blob = content.find((c) => c.data !== undefined || c.resource?.blob !== undefined);
    const textPart = content.find((c) => c.type === 'text')?.text ?? (blob ? Buffer.from(blob.data ?? blob.resource!.blob!, 'base64').toString('utf8') : '');
    const status = result.isError ? 599 : 200;
    const failures = checkCall(label, 'mcp', node.handler, args, status, textPart, echo.requests.slice(before), ctx);
    if (result.isError) failures.unshift(`${label}: tool error: ${textPart.slice(0, 300)}`);
    out.failures.push(...new Set(failures));
  }
  return { mcp, client };
}

// ---- one call ------------------------------------------------------------------------------------

interface RunContext {
  synth: Synth;
  binds: Record<string, unknown>;
  env: Record<string, string>;
  graph: CapabilityGraph;
  notCovered: string[];
}

/** Upstream request(s) and answer of one call, against the model. */
function checkCall(label: string, via: 'rest' | 'mcp', handler: Handler, inputs: Record<string, unknown>, status: number, answerText: string, seen: EchoRequest[], ctx: RunContext, exposedHead = false): string[] {
  const fail = (m: string): string => `${label}: ${m}`;
  const call = callOf(handler, inputs, ctx.binds);
  if (call.kind === 'other') {
    ctx.notCovered.push(`${label}: ${call.why}`);
    return [];
  }
  if (call.kind === 'mock') return checkMock(call.outputs, call.params, via, status, answerText, seen, ctx).map(fail);
  const op = call.handler.operation;
  const api = ctx.graph.consumes.get(op.namespace)!;
  const failures: string[] = [];
  if (seen.length !== 1) {
    failures.push(fail(`upstream saw ${seen.length} requests, expected 1 (answer ${status}: ${answerText.slice(0, 300)})`));
    if (!seen.length) return failures;
  }
  const got = seen[0]!;
  const want = expectUpstream(api, op, call.params, ctx.binds, ctx.env);
  failures.push(...compareUpstream(got, want).map((d) => fail(`${op.ref}: ${d}`)));
  if (status !== 200) {
    failures.push(fail(`answered ${status}: ${answerText.slice(0, 300)}`));
    return failures;
  }
  // A HEAD answer has no body: the caller gets an empty answer (REST) or an empty text (MCP).
  if ((op.method as string) === 'HEAD' || exposedHead) {
    if (via === 'rest' && answerText !== '') failures.push(fail(`HEAD answered a body: ${answerText.slice(0, 200)}`));
    return failures;
  }
  // Text answers: the echo's JSON is read as text, and `$.` passes that text through as is;
  // binary answers pass the echo's bytes through untouched (outputs are not applied).
  if (op.outputRawFormat === 'text' || op.outputRawFormat === 'binary') {
    const echoed = JSON.stringify(round({ echo: got }));
    if (answerText !== echoed && answerText !== JSON.stringify(echoed)) failures.push(fail(`text answer ${short(answerText)}, expected the upstream's text ${short(echoed)}`));
    return failures;
  }
  let answer: unknown;
  try {
    answer = JSON.parse(answerText);
  } catch {
    failures.push(fail(`answer is not JSON: ${answerText.slice(0, 200)}`));
    return failures;
  }
  failures.push(...compareAnswer(call.handler.outputs, answer, round({ echo: got })).map(fail));
  return failures;
}

/** A mock handler: nothing reaches the upstream, and the answer is the engine's mock data. */
function checkMock(outputs: Extract<Handler, { kind: 'mock' }>['outputs'], params: Record<string, unknown>, via: 'rest' | 'mcp', status: number, answerText: string, seen: EchoRequest[], ctx: RunContext): string[] {
  const failures: string[] = [];
  if (seen.length) failures.push(`a mock sent ${seen.length} upstream request(s)`);
  const want = expectMock(outputs, [params, ctx.binds]);
  if (want === undefined && via === 'rest') {
    if (status !== 204 || answerText !== '') failures.push(`mock without data answered ${status} ${short(answerText)}, expected 204 and no body`);
    return failures;
  }
  if (status !== 200) return [...failures, `mock answered ${status}: ${answerText.slice(0, 300)}`];
  let answer: unknown;
  try {
    answer = JSON.parse(answerText);
  } catch {
    return [...failures, `mock answer is not JSON: ${answerText.slice(0, 200)}`];
  }
  if (!deepEqual(answer, want ?? {})) failures.push(`mock answer ${short(answer)}, expected ${short(want ?? {})}`);
  return failures;
}

// ---- one file ----------------------------------------------------------------------------------

function checkInvalid(file: string, result: CheckResult, out: FileOutcome): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  for (const e of errors) {
    const where = `${file}:${e.line}:${e.column} [${e.code}]`;
    if (!(e.line >= 1) || !(e.column >= 1)) out.failures.push(`${where}: error diagnostic without a position`);
    if (!e.file) out.failures.push(`${where}: error diagnostic without a file`);
    if (!e.message || !e.message.trim()) out.failures.push(`${where}: error diagnostic without a message`);
    if (/#\/|\$defs|schemaPath/.test(e.message)) out.failures.push(`${where}: schema jargon in "${e.message}"`);
  }
}

async function runFile(file: string, index: number): Promise<FileOutcome> {
  const out: FileOutcome = { file, valid: false, errorCodes: [], operations: 0, tools: 0, failures: [], notCovered: [] };
  let result: CheckResult;
  try {
    result = checkSpec(join(FILES_DIR, file));
  } catch (err) {
    out.failures.push(`checkSpec threw: ${(err as Error).stack ?? String(err)}`);
    return out;
  }
  if (result.diagnostics.some((d) => d.severity === 'error')) {
    out.errorCodes = [...new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))];
    checkInvalid(file, result, out);
    return out;
  }
  out.valid = true;
  const graph = result.graph;
  if (!graph) {
    out.failures.push('no error diagnostic, yet no graph');
    return out;
  }
  const { env, binds, notCovered } = envFor(graph, index);
  out.notCovered.push(...notCovered);
  if (notCovered.length) return out;
  await schemeCredentials(graph, env, binds);
  for (const a of graph.adapters) if (a.type !== 'rest' && a.type !== 'mcp') out.notCovered.push(`${a.type} adapter \`${a.namespace}\``);
  let executor: Executor | undefined;
  const apps: FastifyInstance[] = [];
  const mcps: McpAdapter[] = [];
  const clients: Client[] = [];
  try {
    executor = await Executor.create(graph, { upstreams: { '*': echo.url }, env, timeouts: { connectMs: 2000, headersMs: 5000, bodyMs: 5000 } });
    const ctx: RunContext = { synth: new Synth(), binds, env, graph, notCovered: out.notCovered };
    for (const adapter of graph.adapters) {
      if (adapter.type === 'rest') apps.push(await runRest(adapter, graph, executor, ctx, out));
      else if (adapter.type === 'mcp') {
        const { mcp, client } = await runMcp(adapter, executor, ctx, out);
        mcps.push(mcp);
        if (client) clients.push(client);
      }
    }
  } catch (err) {
    out.failures.push(`run failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled([...apps.map((a) => a.close()), ...mcps.map((m) => m.close())]);
    await executor?.close();
  }
  return out;
}

// ---- the suite -----------------------------------------------------------------------------------

describe.skipIf(!HAVE_SHARED)('corpus: every third-party file checks cleanly, and every valid one runs', () => {
  beforeAll(async () => {
    echo = await startEchoUpstream();
  });
  afterAll(async () => {
    await echo?.close();
  });

  it.each(files.map((f, i) => [f, i] as const))('%s', async (file, index) => {
    const out = await runFile(file, index);
    outcomes.push(out);
    expect(out.failures, file).toEqual([]);
  });

  it('every file that parses as alpha2/alpha3 loads in the default mode, but for the reasons Capstan cannot run', () => {
    // The only reasons (capstan-decisions.md): YAML that does not parse, a version other than
    // 1.0.0-alpha2/-alpha3 (legacy documents included), a `call`/`ref` to nothing (an import
    // that cannot be read included), a path placeholder nothing can fill, a namespace or port clash,
    // a capability that declares nothing to run (conformance A68; the engine refuses it too).
    const allowed = /^(yaml-.*|multiple-documents|root-not-mapping|unsupported-version|unknown-call-target|unknown-ref|unknown-forward-target|unknown-skill-(source|action)|import-.*|placeholder-without-source|duplicate-namespace|port-collision|nothing-to-run)$/;
    const exceptions = outcomes.filter((o) => !o.valid);
    for (const o of exceptions) console.log(`[corpus] does not load: ${o.file}: ${o.errorCodes.join(', ')}`);
    const loaded = outcomes.length - exceptions.length;
    console.log(`[corpus] load rate (default mode): ${loaded}/${outcomes.length} (${((loaded / outcomes.length) * 100).toFixed(1)}%)`);
    expect(exceptions.filter((o) => !o.errorCodes.every((c) => allowed.test(c))).map((o) => `${o.file}: ${o.errorCodes.join(', ')}`)).toEqual([]);
  });

  it('summary: the pass rate is 100% of the valid files', () => {
    const valid = outcomes.filter((o) => o.valid);
    const invalid = outcomes.filter((o) => !o.valid);
    const failed = outcomes.filter((o) => o.failures.length);
    const validPassed = valid.filter((o) => !o.failures.length);
    const operations = outcomes.reduce((n, o) => n + o.operations, 0);
    const tools = outcomes.reduce((n, o) => n + o.tools, 0);
    const rate = valid.length ? (validPassed.length / valid.length) * 100 : 100;
    const notCovered = outcomes.flatMap((o) => o.notCovered.map((n) => `${o.file}: ${n}`));
    console.log(
      `[corpus] files ${outcomes.length}; valid ${valid.length} (${valid.filter((o) => o.operations + o.tools > 0).length} with adapters run), ` +
        `invalid with clean diagnostic ${invalid.filter((o) => !o.failures.length).length}/${invalid.length}; ` +
        `REST operations called ${operations}; MCP tools called ${tools}; ` +
        `pass rate ${validPassed.length}/${valid.length} (${rate.toFixed(1)}%)${notCovered.length ? `; not covered: ${notCovered.length}` : ''}`,
    );
    for (const n of notCovered) console.log(`[corpus] not covered: ${n}`);
    expect(outcomes.length, 'every corpus file was run').toBe(files.length);
    expect(failed.map((o) => `${o.file}:\n  ${o.failures.join('\n  ')}`).join('\n'), 'files with failures').toBe('');
    expect(rate).toBe(100);
  });
});
