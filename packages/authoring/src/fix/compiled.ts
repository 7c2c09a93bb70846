/**
 * What Capstan compiled from the file being fixed, for fixers that write out a value Capstan
 * derives today (an implied input's type and description, a missing `type` or `in`): writing
 * the derived value keeps what is served the same.
 */
import type { CapabilityGraph, ExposedParam, SourceSpan, ToolParam } from '@capstan/spec';

/** The compiled graph of the text a pass edits, and where a document path is in that text. */
export interface Compiled {
  graph?: CapabilityGraph;
  locate?: (path: readonly (string | number)[]) => SourceSpan;
}

/** The inputs Capstan compiled for the REST operation or MCP tool at `unitPath`. */
export function compiledInputs(compiled: Compiled, unitPath: readonly (string | number)[]): ReadonlyArray<ExposedParam | ToolParam> | undefined {
  if (!compiled.graph || !compiled.locate) return undefined;
  const at = compiled.locate(unitPath);
  for (const adapter of compiled.graph.adapters) {
    const units = adapter.type === 'rest' ? adapter.resources.flatMap((r) => r.operations) : adapter.type === 'mcp' ? adapter.tools : [];
    const unit = units.find((u) => u.origin.line === at.line && u.origin.column === at.column);
    if (unit) return unit.inputParameters;
  }
  return undefined;
}

/** The compiled input `name` of the unit at `unitPath`. */
export function compiledInput(compiled: Compiled, unitPath: readonly (string | number)[], name: string): (ExposedParam | ToolParam) | undefined {
  return compiledInputs(compiled, unitPath)?.find((p) => p.name === name);
}

/**
 * True when `required: true` on parameter `param` of consumed operation `namespace.operation`
 * makes a REST input required that is not already (a path placeholder always is): dropping it
 * would then change answers. Unknown (no graph) counts as true.
 */
export function requiresRestInput(compiled: Compiled, namespace: string, operation: string, param: string): boolean {
  if (!compiled.graph) return true;
  for (const adapter of compiled.graph.adapters) {
    if (adapter.type !== 'rest') continue;
    for (const res of adapter.resources) {
      for (const op of res.operations) {
        const h = op.handler;
        if (h.kind !== 'call' || h.operation.namespace !== namespace || h.operation.name !== operation) continue;
        // Without a `with` entry, the input of the same name reaches the parameter.
        const w = h.with[param];
        const input = !w ? param : w.from === 'input' ? w.name : undefined;
        const fed = input === undefined ? undefined : [...op.inputParameters, ...res.inputParameters].find((p) => p.name === input);
        if (fed && fed.in !== 'path') return true;
      }
    }
  }
  return false;
}
