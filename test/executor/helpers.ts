/** Test helpers for the executor: graphs built from YAML strings, and executors pointed at local upstreams (../helpers/upstream.ts). */
import { join } from 'node:path';
import { checkSpec, type CapabilityGraph, type Handler } from '@capstan/spec';
import { Executor, type ExecutorOptions } from '@capstan/runtime';
import { tempSpecDir } from '../helpers/tmp.js';

const HEADER = `naftiko: "1.0.0-alpha2"
info:
  label: Test
  description: Executor test capability
`;

/** Compiles a capability (YAML after the `info` block) written with extra files into a temp folder. */
export function graphOf(body: string, files: Record<string, string> = {}): { graph: CapabilityGraph; dir: string } {
  const dir = tempSpecDir({ 'cap.yaml': HEADER + body, ...files });
  const result = checkSpec(join(dir, 'cap.yaml'));
  if (!result.graph) {
    throw new Error(`capability does not compile:\n${result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`).join('\n')}`);
  }
  return { graph: result.graph, dir };
}

/** The handler of an MCP tool or REST operation (by tool name or operation name). */
export function handlerOf(graph: CapabilityGraph, name: string): Handler {
  for (const adapter of graph.adapters) {
    if (adapter.type === 'mcp') {
      const tool = adapter.tools.find((t) => t.name === name);
      if (tool) return tool.handler;
    }
    if (adapter.type === 'rest') {
      for (const r of adapter.resources) for (const o of r.operations) if (o.name === name) return o.handler;
    }
  }
  throw new Error(`no tool or operation named ${name}`);
}

/** A one-consume capability: `consumes` resources YAML (indented 8) and MCP tools YAML (indented 8). */
export function capability(opts: { resources: string; tools: string; consumesExtra?: string; binds?: string; aggregates?: string; baseUri?: string }): string {
  return `${opts.binds ?? ''}capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "${opts.baseUri ?? 'http://upstream.invalid/base'}"
${opts.consumesExtra ?? ''}      resources:
${opts.resources}
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
${opts.tools}
${opts.aggregates ?? ''}`;
}

/** Creates an executor pointed at an upstream (its `/base`) or a URL for every namespace. */
export async function executorFor(graph: CapabilityGraph, server: { url: string } | string, options: ExecutorOptions = {}): Promise<Executor> {
  const url = typeof server === 'string' ? server : `${server.url}/base`;
  return Executor.create(graph, { env: {}, upstreams: { '*': url }, ...options });
}

/** Decodes a raw result body as text. */
export function text(result: { kind: string; body?: Buffer }): string {
  return result.kind === 'raw' && result.body ? result.body.toString() : '';
}
