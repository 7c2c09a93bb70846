/**
 * Whether two texts of one capability file compile to the same graph. The runtime works only
 * from the compiled graph, so an edit that leaves it unchanged (source positions aside) serves
 * exactly as before: this is how `fix` proves that a construct is ignored before removing it.
 */
import { checkSpec, type CapabilityGraph } from '@capstan/spec';

/**
 * The graph as JSON, without source positions (they move when lines are commented out) and
 * without the `port` of a stdio MCP adapter (a stdio server listens on none), keys sorted.
 */
export function graphKey(graph: CapabilityGraph | undefined): string {
  return JSON.stringify(graph ?? null, (key, value: unknown) => {
    if (key === 'origin') return undefined;
    if (value instanceof Map) return Object.fromEntries(value);
    if (isStdio(value)) return { ...value, port: undefined };
    // Key order is how a form was written, not what it means.
    if (value && typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return value;
  });
}

const isStdio = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && (v as { type?: unknown }).type === 'mcp' && (v as { transport?: unknown }).transport === 'stdio';

/** The graph key of `text` compiled as `file` (undefined when it does not compile). */
export function compiledKey(file: string, text: string): string | undefined {
  const graph = checkSpec(file, { text }).graph;
  return graph ? graphKey(graph) : undefined;
}
