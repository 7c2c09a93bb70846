/**
 * Shared by the `fix` end-to-end checks: serve a capability before and after a rewrite against one
 * deterministic upstream, make the same valid calls to both (every REST operation and MCP tool,
 * each with every input it declares supplied, from the original's OpenAPI documents and tool
 * schemas), and compare the answers.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { checkSpec } from '@capstan/spec';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { SECRETS, SPECS } from '../rest/helpers.js';

/** The bundled specs made from the seeds. */
export const SEEDS = ['paragon-proxy.yaml', 'paragon-actionkit.yaml', 'composio-proxy.yaml'];

type Obj = Record<string, any>;

/** An upstream that answers what it received, minus per-request noise (request ids, ports). */
export function startRecordingUpstream(): Promise<Upstream> {
  return startUpstream((req, res) => json(res, 200, { method: req.method, url: req.url, body: req.body, auth: req.headers.authorization ?? req.headers['x-api-key'] ?? null, data: { n: 1 }, status: 200, headers: { a: 'b' } }));
}

/**
 * Hooks of the enclosing `describe`: a recording upstream started before its tests, and the runs
 * its tests push stopped (with the upstream closed) after them.
 */
export function recordingUpstreamHooks(): { upstream: () => Upstream; runs: CapstanRun[] } {
  let upstream: Upstream | undefined;
  const runs: CapstanRun[] = [];
  beforeAll(async () => {
    upstream = await startRecordingUpstream();
  });
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.stop()));
    await upstream?.close();
  });
  return { upstream: () => upstream!, runs };
}

/** A valid value for a JSON Schema: its first enum value, else a fixed value of its type. */
export function sampleValue(schema: Obj | undefined): unknown {
  if (Array.isArray(schema?.enum) && schema.enum.length) return schema.enum.find((v: unknown) => v !== null);
  const type = Array.isArray(schema?.type) ? schema.type.find((t: string) => t !== 'null') : schema?.type;
  switch (type) {
    case 'number':
    case 'integer':
      return 3;
    case 'boolean':
      return true;
    case 'array':
      return [schema?.items ? sampleValue(schema.items) : 'a'];
    case 'object':
      return schema?.properties ? sampleArgs(schema) : { k: 'v' };
    default:
      return 'v1';
  }
}

/** Arguments for a tool or a JSON body: every property of `schema` with a valid value. */
export function sampleArgs(schema: Obj): Obj {
  return Object.fromEntries(Object.entries<Obj>(schema.properties ?? {}).map(([k, p]) => [k, sampleValue(p)]));
}

/** One call to make to both runs. */
export type Call =
  | { kind: 'rest'; namespace: string; method: string; path: string; url: string; headers: Record<string, string>; body?: string }
  | { kind: 'mcp'; namespace: string; tool: string; args: Obj };

/** The REST adapters and MCP servers of `file`, by namespace. */
export function servedNamespaces(file: string): string[] {
  const graph = checkSpec(file).graph!;
  return graph.adapters.filter((a) => a.type === 'rest' || a.type === 'mcp').map((a) => a.namespace);
}

/** Serves `file` with every secret of the seeds set, all consumed APIs sent to `upstream`. */
export function serve(file: string, namespaces: string[], upstream: Upstream): Promise<CapstanRun> {
  return startCapstan([file], { namespaces, upstream: upstream.url, env: { ...SECRETS } });
}

function restCall(namespace: string, path: string, method: string, op: Obj): Call {
  const params: Obj[] = op.parameters ?? [];
  const value = (p: Obj) => String(sampleValue(p.schema));
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(params.find((p) => p.name === name && p.in === 'path') ?? {})));
  const query = new URLSearchParams(params.filter((p) => p.in === 'query').map((p) => [p.name, value(p)])).toString();
  const headers: Record<string, string> = Object.fromEntries(params.filter((p) => p.in === 'header').map((p) => [p.name, value(p)]));
  const bodySchema = op.requestBody?.content?.['application/json']?.schema as Obj | undefined;
  const body = op.requestBody ? JSON.stringify(bodySchema?.properties ? sampleArgs(bodySchema) : { tool: 't', parameters: { a: 1 } }) : undefined;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { kind: 'rest', namespace, method: method.toUpperCase(), path, url: `${url}${query ? `?${query}` : ''}`, headers, ...(body !== undefined ? { body } : {}) };
}

/** Every REST operation and MCP tool `run` serves, each as a call with all its declared inputs. */
export async function plannedCalls(run: CapstanRun, namespaces: string[]): Promise<Call[]> {
  const calls: Call[] = [];
  for (const ns of namespaces.filter((n) => run.rest[n])) {
    const doc = (await (await fetch(`${run.rest[ns]}/openapi.json`)).json()) as Obj;
    for (const [path, item] of Object.entries<Obj>(doc.paths)) {
      for (const [method, op] of Object.entries<Obj>(item)) calls.push(restCall(ns, path, method, op));
    }
  }
  for (const ns of namespaces.filter((n) => run.mcp[n])) {
    const client = new Client({ name: 'fix-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp[ns]!)));
    for (const tool of (await client.listTools()).tools) calls.push({ kind: 'mcp', namespace: ns, tool: tool.name, args: sampleArgs(tool.inputSchema) });
    await client.close();
  }
  return calls;
}

/** What `run` answers to each call: REST status and body (request ids aside), MCP error flag and content. */
export async function answersTo(run: CapstanRun, calls: Call[]): Promise<unknown[]> {
  const out: unknown[] = [];
  const clients = new Map<string, InstanceType<typeof Client>>();
  try {
    for (const call of calls) {
      if (call.kind === 'rest') {
        const res = await fetch(`${run.rest[call.namespace]}${call.url}`, { method: call.method, headers: call.headers, ...(call.body !== undefined ? { body: call.body } : {}) });
        // A problem's request id differs per request; everything else must be equal.
        out.push([call.method, call.url, res.status, (await res.text()).replace(/"requestId":"[^"]*"/g, '')]);
        continue;
      }
      let client = clients.get(call.namespace);
      if (!client) {
        client = new Client({ name: 'fix-test', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp[call.namespace]!)));
        clients.set(call.namespace, client);
      }
      const result = await client.callTool({ name: call.tool, arguments: call.args });
      out.push([call.tool, result.isError ?? false, result.content]);
    }
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
  return out;
}

/**
 * One test per seed: `rewrite` (a file's path → its new text) is applied to a copy, both are
 * served against one recording upstream, and every REST operation and MCP tool answers the same
 * to the same calls; `check` sees the calls and the original's answers first.
 */
export function describeSeedAnswers(title: string, rewrite: (file: string) => string, check?: (calls: Call[], answers: unknown[]) => void): void {
  describe(title, () => {
    const dir = tempSpecDir({});
    const { upstream, runs } = recordingUpstreamHooks();
    for (const spec of SEEDS) {
      it(`${spec}: every REST operation and MCP tool answers the same before and after`, async () => {
        const original = join(SPECS, spec);
        const fixed = join(dir, spec);
        copyFileSync(original, fixed);
        writeFileSync(fixed, rewrite(fixed));
        const namespaces = servedNamespaces(original);
        const [before, after] = await Promise.all([original, fixed].map((f) => serve(f, namespaces, upstream())));
        runs.push(before!, after!);
        const calls = await plannedCalls(before!, namespaces);
        const answers = await answersTo(before!, calls);
        expect(answers.length).toBeGreaterThan(0);
        check?.(calls, answers);
        expect(await answersTo(after!, calls)).toEqual(answers);
      });
    }
  });
}
