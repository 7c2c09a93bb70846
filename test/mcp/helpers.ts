/**
 * Test helpers for the MCP adapter: capability files compiled with `checkSpec`, and the real
 * executor as the adapter's runner. (Local upstreams: ../helpers/upstream.ts.)
 */
import { join } from 'node:path';
import { checkSpec, type CapabilityGraph, type McpAdapterNode } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { tempSpecDir } from '../helpers/tmp.js';

/** Writes a capability (and `extraFiles` beside it) to a temp folder and compiles it; fails on any error diagnostic. */
export function compile(yaml: string, extraFiles: Record<string, string> = {}): { graph: CapabilityGraph; file: string } {
  const file = join(tempSpecDir({ 'cap.yaml': yaml, ...extraFiles }), 'cap.yaml');
  return { graph: compileFile(file), file };
}

/** Compiles a capability file; throws with the diagnostics when it has errors. */
export function compileFile(file: string): CapabilityGraph {
  const result = checkSpec(file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.graph || errors.length) throw new Error(`capability does not compile:\n${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n')}`);
  return result.graph;
}

/** The (first) MCP adapter of a graph. */
export function mcpAdapter(graph: CapabilityGraph, namespace?: string): McpAdapterNode {
  const a = graph.adapters.find((x): x is McpAdapterNode => x.type === 'mcp' && (!namespace || x.namespace === namespace));
  if (!a) throw new Error('no mcp adapter');
  return a;
}

/** The real executor for `graph`, with `upstreams` (consumed namespace → base URI) and short timeouts. */
export async function makeRunner(graph: CapabilityGraph, upstreams: Record<string, string>, timeoutMs = 800): Promise<Executor> {
  return Executor.create(graph, {
    upstreams,
    timeouts: { connectMs: timeoutMs, headersMs: timeoutMs, bodyMs: timeoutMs },
    env: { ...process.env, PARAGON_TOKEN: 'paragon-secret-token' },
  });
}
