/** `call: namespace.operation` and `ref: aggregate.function` → the nodes they name, or a positioned error. */
import type { AggregateFunctionNode, ConsumedOperation } from '../graph.js';
import { closest, quoteList } from '../suggest.js';
import type { At, CompileContext } from './context.js';

/** Resolves `namespace.operation`, reporting an unknown target with the closest name. */
export function resolveCall(ctx: CompileContext, ref: string, where: At): ConsumedOperation | undefined {
  // What `ref.split('.')` gives as its first two parts, without the array.
  const dot = ref.indexOf('.');
  const next = dot < 0 ? -1 : ref.indexOf('.', dot + 1);
  const namespace = dot < 0 ? ref : ref.slice(0, dot);
  const name = dot < 0 ? '' : next < 0 ? ref.slice(dot + 1) : ref.slice(dot + 1, next);
  const api = ctx.consumes.get(namespace);
  if (!api && ctx.failedImports.has(namespace)) return undefined;
  if (!api) {
    const suggestion = closest(namespace, ctx.consumes.keys());
    const known = [...ctx.consumes.keys()];
    ctx.report('error', where, 'value', 'unknown-call-target', `\`call: ${ref}\` names no consumed namespace \`${namespace}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
      expected: known.length ? `a namespace among ${quoteList(known)}` : 'a namespace declared under `capability.consumes` (none is declared)',
      ...(suggestion ? { fix: `write \`call: ${suggestion}.${name}\`` } : {}),
    });
    return undefined;
  }
  const op = api.operations.get(name);
  if (!op) {
    const suggestion = closest(name, api.operations.keys());
    ctx.report('error', where, 'value', 'unknown-call-target', `\`call: ${ref}\`: namespace \`${namespace}\` has no operation \`${name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
      expected: `an operation among ${quoteList([...api.operations.keys()])}`,
      ...(suggestion ? { fix: `write \`call: ${namespace}.${suggestion}\`` } : {}),
    });
  }
  return op;
}

/** Resolves `aggregate-namespace.function`, reporting an unknown one with the closest name. */
export function resolveRef(ctx: CompileContext, ref: string, where: At): AggregateFunctionNode | undefined {
  const fn = ctx.aggregates.get(ref);
  if (!fn) {
    const suggestion = closest(ref, ctx.aggregates.keys());
    const known = [...ctx.aggregates.keys()];
    ctx.report('error', where, 'value', 'unknown-ref', `\`ref: ${ref}\` names no aggregate function${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
      expected: known.length ? `one of ${quoteList(known)}` : 'a function declared under `capability.aggregates` (none is declared)',
      ...(suggestion ? { fix: `write \`ref: ${suggestion}\`` } : {}),
    });
  }
  return fn;
}
