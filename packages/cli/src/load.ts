/** Loads one capability for commands that need its graph, printing diagnostics on failure. */
import { checkSpec, formatDiagnostic, type CapabilityGraph } from '@capstan/spec';
import type { Io } from './io.js';

/** The compiled graph, or undefined after printing why the file cannot be used. */
export function loadGraph(file: string, io: Io): CapabilityGraph | undefined {
  const result = checkSpec(file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) io.stderr.write(`${formatDiagnostic(d, result.loaded.sources.get(d.file))}\n\n`);
  if (!result.graph) {
    io.stderr.write(`capstan: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
    return undefined;
  }
  return result.graph;
}

/** Picks the adapter named by `--adapter`, or the only/first one of the type. */
export function pickAdapter<T extends { namespace: string }>(adapters: T[], wanted: string | undefined, kind: string): T | string {
  if (adapters.length === 0) return `the capability has no ${kind} adapter`;
  if (!wanted) return adapters[0]!;
  return adapters.find((a) => a.namespace === wanted) ?? `no ${kind} adapter \`${wanted}\`; the capability has ${adapters.map((a) => `\`${a.namespace}\``).join(', ')}`;
}
