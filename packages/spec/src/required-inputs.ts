/**
 * One `required` rule for every adapter (capstan-decisions.md, "Bodies and required inputs"): a
 * path placeholder is always required; an MCP tool input is required unless `required: false`;
 * a REST input is required when it says `required: true` or when the consumed parameter it feeds
 * says `required: true`. This module applies the last part, once the adapters are compiled (the
 * graph is not frozen yet): a REST input feeding a required consumed parameter becomes required,
 * through an operation-level copy when it is declared on the resource.
 */
import type { AdapterNode, ConsumedParam, ExposedParam, Handler } from './graph.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Names of the caller inputs that feed a consumed parameter marked `required: true`. */
function inputsFeedingRequired(handler: Handler, consumedApiParams: (h: Extract<Handler, { kind: 'call' }>) => readonly ConsumedParam[]): Set<string> {
  const names = new Set<string>();
  if (handler.kind !== 'call') return names;
  for (const param of consumedApiParams(handler)) {
    if (param.required !== true || param.value !== undefined) continue;
    const w = handler.with[param.name];
    // Without a `with` entry, the input of the same name reaches the parameter (inputs pass down whole).
    if (!w) names.add(param.name);
    else if (w.from === 'input') names.add(w.name);
  }
  return names;
}

/** Marks REST inputs that feed required consumed parameters as required. */
export function requireFedInputs(adapters: readonly AdapterNode[], apiParams: (namespace: string) => readonly ConsumedParam[]): void {
  for (const adapter of adapters) {
    if (adapter.type !== 'rest') continue;
    for (const res of adapter.resources) {
      for (const op of res.operations) {
        const fed = inputsFeedingRequired(op.handler, (h) => [...apiParams(h.operation.namespace), ...h.operation.params]);
        if (!fed.size) continue;
        const own = op.inputParameters.map((p) => (fed.has(p.name) && !p.required ? { ...p, required: true } : p));
        const inherited: ExposedParam[] = res.inputParameters
          .filter((r) => fed.has(r.name) && !r.required && !own.some((o) => o.name === r.name && o.in === r.in))
          .map((r) => ({ ...r, required: true }));
        (op as Mutable<typeof op>).inputParameters = [...own, ...inherited];
      }
    }
  }
}
