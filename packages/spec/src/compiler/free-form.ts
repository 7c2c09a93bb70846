/**
 * Free-form outputs (decision, conformance row A66). The official schema requires `properties`
 * on an object output and `items` on an array output, with no minimum, so the official way to
 * say "this node, fields undeclared" is `properties: {}`. Capstan reads:
 * - an empty `properties` like none: the node at `mapping` passes whole (as the de-facto form
 *   without `properties`, row D2; the reference engine does the same for a nested property);
 * - an array's `items` that is an object with empty `properties` and nothing else like no
 *   `items`: each element passes as found, whatever its type (the reference engine's reading).
 * Normalised once in the compiled graph, so answers, OpenAPI and MCP output schemas agree.
 */
import type { OutputParam } from '../graph.js';

const isEmptyMap = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

/** `{type: object, properties: {}}` and nothing more: an element of any shape. */
export const isFreeFormItem = (p: unknown): boolean =>
  !!p && typeof p === 'object' && (p as OutputParam).type === 'object' && isEmptyMap((p as OutputParam).properties) && Object.keys(p).every((k) => k === 'type' || k === 'properties');

/** True when `p` declares none of its fields (no `properties`, or an empty one). */
export const declaresNoFields = (p: OutputParam): boolean => p.properties === undefined || isEmptyMap(p.properties);

/** `p` as Capstan reads it (the same object when nothing is free-form). */
export function readFreeForm(p: OutputParam): OutputParam {
  if (!p || typeof p !== 'object') return p;
  let out = p;
  const set = (patch: Partial<OutputParam>, drop?: keyof OutputParam) => {
    out = { ...out, ...patch };
    if (drop) delete (out as Partial<OutputParam>)[drop];
  };
  if (p.properties && typeof p.properties === 'object') {
    if (isEmptyMap(p.properties)) set({}, 'properties');
    else {
      const entries = Object.entries(p.properties).map(([k, v]) => [k, readFreeForm(v)] as const);
      if (entries.some(([k, v]) => v !== p.properties![k])) set({ properties: Object.fromEntries(entries) });
    }
  }
  if (p.items && !Array.isArray(p.items)) {
    if (isFreeFormItem(p.items)) set({}, 'items');
    else {
      const items = readFreeForm(p.items as OutputParam);
      if (items !== p.items) set({ items });
    }
  }
  if (p.values && typeof p.values === 'object') {
    const values = readFreeForm(p.values);
    if (values !== p.values) set({ values });
  }
  return out;
}
