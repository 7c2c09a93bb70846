/** `capability.aggregates` → functions reachable by `ref: namespace.function`, and tool-style input lists. */
import type { ToolParam } from '../graph.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj, optional, sections, str, text, type AggregateSection, type FunctionSection, type ToolParamSection } from './document.js';
import { declaredEnum } from './enums.js';
import { compileHandler } from './handlers.js';
import { withFedEnums } from '../required-inputs.js';
import type { InputScope } from './with.js';

export function compileAggregate(ctx: CompileContext, agg: AggregateSection, where: At, namespaceAt: At = child(where, 'namespace')): void {
  const namespace = text(agg.namespace);
  ctx.claimNamespace(namespace, 'aggregate', namespaceAt);
  for (const [fn, f] of sections<FunctionSection>(agg.functions)) {
    const fnAt = child(where, 'functions', f);
    const inputParameters = toolParams(ctx, fn.inputParameters, child(fnAt, 'inputParameters'));
    const scope: InputScope = { namespace, ...(inputParameters.length ? { inputs: inputParameters.map((p) => p.name) } : {}) };
    const handler = compileHandler(ctx, fn, fnAt, scope);
    const name = text(fn.name);
    const ref = `${namespace}.${name}`;
    if (ctx.aggregates.has(ref)) {
      ctx.report('error', child(fnAt, 'name'), 'value', 'duplicate-function', `aggregate function \`${ref}\` is declared twice`, { fix: 'give each function of an aggregate its own name' });
      continue;
    }
    if (!handler || handler.kind === 'ref') continue;
    ctx.aggregates.set(ref, {
      namespace, name, ref, description: text(fn.description),
      ...(isObj(fn.semantics) ? { semantics: fn.semantics } : {}),
      inputParameters: withFedEnums(inputParameters, handler, ctx.apiParams), handler, origin: ctx.origin(fnAt),
    });
  }
}

/** MCP tool and aggregate function inputs: type defaults to string, required unless `required: false`. */
export function toolParams(ctx: CompileContext, value: unknown, where: At): ToolParam[] {
  return sections<ToolParamSection>(value).map(([p, i]) => {
    const name = text(p.name);
    ctx.knownNames.add(name);
    return {
      name,
      type: (str(p.type) ?? 'string') as ToolParam['type'],
      ...optional('description', p.description),
      ...declaredEnum(ctx, p, where, i),
      required: p.required !== false,
    };
  });
}
