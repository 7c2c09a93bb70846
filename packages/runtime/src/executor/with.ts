/**
 * `with` injection (engine §2.3): entries are merged into a copy of the parameter map, which is
 * then passed down whole. An `input` entry copies the caller's value keeping its type (arrays
 * stay arrays) and is skipped when the caller did not send it; a `template` entry is rendered
 * against the map (and the lower layers: step outputs, binds); a `literal` is copied.
 */
import type { WithMap } from '@capstan/spec';
import { render, type Scope } from './mustache.js';

/** Returns a new map: `params` with the `with` entries applied. */
export function applyWith(withMap: WithMap, params: Readonly<Record<string, unknown>>, lower: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  const entries = Object.entries(withMap);
  if (!entries.length) return out;
  const scope: Scope = [params, ...lower];
  for (const [key, w] of entries) {
    let value: unknown;
    if (w.from === 'input') {
      if (!Object.prototype.hasOwnProperty.call(params, w.name) || params[w.name] === undefined) continue;
      value = params[w.name];
    } else if (w.from === 'template') {
      value = render(w.template, scope);
    } else {
      value = w.value;
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `params` with `extra` over it: the same map when `extra` has no entry (no copy on the common path). */
export function withEntries(params: Record<string, unknown>, extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  for (const k in extra) if (Object.hasOwn(extra, k)) return { ...params, ...extra };
  return params;
}

/** Sets `value` at a dotted path (`route.from`), creating nested objects. */
export function setDotted(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      Object.defineProperty(node, part, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const next = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
    if (!next || typeof next !== 'object' || Array.isArray(next)) {
      const created: Record<string, unknown> = {};
      Object.defineProperty(node, part, { value: created, enumerable: true, writable: true, configurable: true });
      node = created;
    } else {
      node = next as Record<string, unknown>;
    }
  });
}
