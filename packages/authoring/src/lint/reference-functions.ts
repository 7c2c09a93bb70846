/**
 * The whole-document checks of the reference Naftiko ruleset, written for Capstan with the
 * same meaning: unique namespaces, aggregate semantics against hints and methods, the control
 * port, and script-step defaults. Each returns `{ message, path }` findings, as Spectral expects.
 */
import type { IFunctionResult } from '@stoplight/spectral-core';
import { adapters, aggregateFunctions, capabilityOf, consumedApis, isObj, list, mcpTools, restOperations, type Obj, type Path } from './walk.js';

/** A namespace may be declared once across consumes, exposes and binds. */
export function uniqueNamespaces(root: unknown): IFunctionResult[] {
  const seen = new Map<string, Path>();
  const out: IFunctionResult[] = [];
  const add = (value: unknown, path: Path) => {
    if (typeof value !== 'string' || !value) return;
    const prior = seen.get(value);
    if (prior) out.push({ message: `namespace \`${value}\` is already declared at ${prior.join('.')}; namespaces must be unique across consumes, exposes and binds`, path });
    else seen.set(value, path);
  };
  for (const { api, path } of consumedApis(root)) add(api.namespace, [...path, 'namespace']);
  for (const { adapter, path } of adapters(root)) add(adapter.namespace, [...path, 'namespace']);
  const binds: Array<[unknown, Path]> = [[isObj(root) ? root.binds : undefined, ['binds']], [capabilityOf(root).binds, ['capability', 'binds']]];
  for (const [entries, base] of binds) list(entries).forEach((b, i) => isObj(b) && add(b.namespace, [...base, i, 'namespace']));
  return out;
}

/** Tool hints and REST methods must not contradict the `semantics` of the function they reference. */
export function aggregateSemanticsConsistency(root: unknown): IFunctionResult[] {
  const functions = aggregateFunctions(root);
  const out: IFunctionResult[] = [];
  const semanticsOf = (ref: unknown): Obj | undefined => {
    const fn = typeof ref === 'string' ? functions.get(ref)?.fn : undefined;
    return fn && isObj(fn.semantics) ? fn.semantics : undefined;
  };
  for (const { tool, path } of mcpTools(root)) {
    const s = semanticsOf(tool.ref);
    if (!s || !isObj(tool.hints)) continue;
    const h = tool.hints;
    const at = (hint: string) => [...path, 'hints', hint];
    const ref = String(tool.ref);
    if (s.safe === true && h.readOnly === false) out.push({ message: `function \`${ref}\` is safe but the tool sets \`readOnly: false\``, path: at('readOnly') });
    if (s.safe === false && h.readOnly === true) out.push({ message: `function \`${ref}\` is not safe but the tool sets \`readOnly: true\``, path: at('readOnly') });
    if (s.safe === true && h.destructive === true) out.push({ message: `function \`${ref}\` is safe but the tool sets \`destructive: true\``, path: at('destructive') });
    if (s.idempotent === true && h.idempotent === false) out.push({ message: `function \`${ref}\` is idempotent but the tool sets \`idempotent: false\``, path: at('idempotent') });
    if (s.idempotent === false && h.idempotent === true) out.push({ message: `function \`${ref}\` is not idempotent but the tool sets \`idempotent: true\``, path: at('idempotent') });
  }
  for (const { operation, path } of restOperations(root)) {
    const s = semanticsOf(operation.ref);
    if (!s || typeof operation.method !== 'string') continue;
    const method = operation.method.toUpperCase();
    const ref = String(operation.ref);
    const at = [...path, 'method'];
    if (s.safe === true && method !== 'GET') out.push({ message: `function \`${ref}\` is safe but the operation uses ${method}; safe functions use GET`, path: at });
    if (s.safe === false && method === 'GET') out.push({ message: `function \`${ref}\` is not safe but the operation uses GET`, path: at });
    if (s.idempotent === true && method === 'POST') out.push({ message: `function \`${ref}\` is idempotent but the operation uses POST, which is not idempotent`, path: at });
  }
  return out;
}

/** At most one control adapter, on a port no other adapter uses. */
export function controlPortValidation(root: unknown): IFunctionResult[] {
  const all = adapters(root);
  const controls = all.filter(({ adapter }) => adapter.type === 'control');
  const out: IFunctionResult[] = controls.slice(1).map(({ path }) => ({ message: 'only one `control` adapter is allowed per capability', path: [...path, 'type'] }));
  for (const ctrl of controls) {
    for (const other of all) {
      if (other.adapter.type !== 'control' && other.adapter.port !== undefined && other.adapter.port === ctrl.adapter.port) {
        out.push({ message: `control port ${String(ctrl.adapter.port)} is also used by the \`${String(other.adapter.type)}\` adapter at ${other.path.join('.')}; give the control adapter its own port`, path: [...ctrl.path, 'port'] });
      }
    }
  }
  return out;
}

/** Script steps need a location and a language, from the step or the control adapter's defaults. */
export function scriptDefaultsRequired(root: unknown): IFunctionResult[] {
  const control = adapters(root).find(({ adapter }) => adapter.type === 'control')?.adapter;
  const scripting = isObj(control?.management) && isObj(control.management.scripting) ? control.management.scripting : {};
  const has = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  const defaults = { location: has(scripting.defaultLocation), language: has(scripting.defaultLanguage) };
  const units: Array<{ unit: Obj; path: Path }> = [
    ...mcpTools(root).map(({ tool, path }) => ({ unit: tool, path })),
    ...restOperations(root).map(({ operation, path }) => ({ unit: operation, path })),
    ...[...aggregateFunctions(root).values()].map(({ fn, path }) => ({ unit: fn, path })),
  ];
  const out: IFunctionResult[] = [];
  for (const { unit, path } of units) {
    list(unit.steps).forEach((step, s) => {
      if (!isObj(step) || step.type !== 'script') return;
      for (const field of ['location', 'language'] as const) {
        if (!step[field] && !defaults[field]) {
          const def = `default${field[0]!.toUpperCase()}${field.slice(1)}`;
          out.push({ message: `script step \`${String(step.name ?? 'unnamed')}\` has no \`${field}\` and the control adapter sets no \`management.scripting.${def}\``, path: [...path, 'steps', s, field] });
        }
      }
    });
  }
  return out;
}
