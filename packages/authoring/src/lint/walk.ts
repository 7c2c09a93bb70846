/** Small readers over a parsed capability document, shared by the lint functions. */

/** A JSON object. */
export type Obj = Record<string, unknown>;
/** A path into the document: keys and indices. */
export type Path = (string | number)[];

export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The `capability` block, or an empty object. */
export function capabilityOf(root: unknown): Obj {
  return isObj(root) && isObj(root.capability) ? root.capability : {};
}

/** Every exposed adapter with its index. */
export function adapters(root: unknown): Array<{ adapter: Obj; path: Path }> {
  return list(capabilityOf(root).exposes).flatMap((a, i) => (isObj(a) ? [{ adapter: a, path: ['capability', 'exposes', i] }] : []));
}

/** Every MCP tool with its adapter and path. */
export function mcpTools(root: unknown): Array<{ adapter: Obj; tool: Obj; path: Path }> {
  return adapters(root)
    .filter(({ adapter }) => adapter.type === 'mcp')
    .flatMap(({ adapter, path }) => list(adapter.tools).flatMap((t, i) => (isObj(t) ? [{ adapter, tool: t, path: [...path, 'tools', i] }] : [])));
}

/** Every exposed REST operation with its path. */
export function restOperations(root: unknown): Array<{ operation: Obj; path: Path }> {
  return adapters(root)
    .filter(({ adapter }) => adapter.type === 'rest')
    .flatMap(({ adapter, path }) =>
      list(adapter.resources).flatMap((r, ri) =>
        isObj(r) ? list(r.operations).flatMap((o, oi) => (isObj(o) ? [{ operation: o, path: [...path, 'resources', ri, 'operations', oi] }] : [])) : [],
      ),
    );
}

/** Every aggregate function, keyed `namespace.name`, with its path. */
export function aggregateFunctions(root: unknown): Map<string, { fn: Obj; path: Path }> {
  const out = new Map<string, { fn: Obj; path: Path }>();
  list(capabilityOf(root).aggregates).forEach((agg, a) => {
    if (!isObj(agg) || typeof agg.namespace !== 'string') return;
    list(agg.functions).forEach((fn, f) => {
      if (isObj(fn) && typeof fn.name === 'string') out.set(`${agg.namespace}.${fn.name}`, { fn, path: ['capability', 'aggregates', a, 'functions', f] });
    });
  });
  return out;
}

/** The consumed APIs declared in the document (root and `capability.consumes`), with their paths. */
export function consumedApis(root: unknown): Array<{ api: Obj; path: Path }> {
  const roots: Array<[unknown, Path]> = [
    [isObj(root) ? root.consumes : undefined, ['consumes']],
    [capabilityOf(root).consumes, ['capability', 'consumes']],
  ];
  return roots.flatMap(([apis, base]) => list(apis).flatMap((api, i) => (isObj(api) ? [{ api, path: [...base, i] }] : [])));
}

/** Consumed operations keyed `namespace.operation`, with their method. */
export function consumedOperations(root: unknown): Map<string, { method: string; path: Path }> {
  const out = new Map<string, { method: string; path: Path }>();
  for (const { api, path } of consumedApis(root)) {
    if (typeof api.namespace !== 'string') continue;
    list(api.resources).forEach((res, r) => {
      if (!isObj(res)) return;
      list(res.operations).forEach((op, o) => {
        if (isObj(op) && typeof op.name === 'string') {
          out.set(`${api.namespace}.${op.name}`, { method: String(op.method ?? 'GET').toUpperCase(), path: [...path, 'resources', r, 'operations', o] });
        }
      });
    });
  }
  return out;
}

/** The consumed operation a `call` (or the `call` of a referenced aggregate function) reaches. */
export function callTarget(root: unknown, unit: Obj): string | undefined {
  if (typeof unit.call === 'string') return unit.call;
  if (typeof unit.ref === 'string') {
    const fn = aggregateFunctions(root).get(unit.ref)?.fn;
    if (fn && typeof fn.call === 'string') return fn.call;
  }
  return undefined;
}
