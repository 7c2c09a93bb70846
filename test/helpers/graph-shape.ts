/**
 * A compiled capability as plain JSON, for comparing graphs built from different files: source
 * positions, file paths and the declared spec version are left out (they differ by construction),
 * maps become objects keyed the same way, and an output property's `name` equal to its key (an
 * alpha2 spelling of the same field) is dropped.
 */
import type { CapabilityGraph } from '@capstan/spec';

const LEFT_OUT = new Set(['origin', 'file', 'specVersion', 'baseDir']);

/** The graph without where it came from. */
export function graphShape(graph: CapabilityGraph): unknown {
  const visit = (v: unknown): unknown => {
    if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), visit(x)]));
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v).filter(([k]) => !LEFT_OUT.has(k));
    return Object.fromEntries(entries.map(([k, x]) => [k, k === 'properties' ? visitProperties(x) : visit(x)]));
  };
  const visitProperties = (props: unknown): unknown => {
    if (!props || typeof props !== 'object') return visit(props);
    return Object.fromEntries(Object.entries(props).map(([key, p]) => {
      const shaped = visit(p) as Record<string, unknown>;
      if (shaped && shaped.name === key) delete shaped.name;
      return [key, shaped];
    }));
  };
  return visit(graph);
}
