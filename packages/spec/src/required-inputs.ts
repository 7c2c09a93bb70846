/**
 * What an exposed input takes from the consumed parameter it feeds, once the adapters are compiled
 * (the graph is not frozen yet):
 * - `required` (capstan-decisions.md, "Bodies and required inputs"): a path placeholder is always
 *   required; an MCP tool input is required unless `required: false`; a REST input is required
 *   when it says `required: true` or when the consumed parameter it feeds says `required: true`.
 *   This module applies the last part.
 * - `enum`: an input that declares no `x-capstan-enum` accepts only the values of the consumed
 *   parameter it feeds, when that one declares them (REST, MCP tools and functions alike).
 * A REST input declared on the resource gets an operation-level copy, as other operations of the
 * resource may feed other parameters.
 */
import type { AdapterNode, ConsumedParam, EnumValue, ExposedParam, Handler } from './graph.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The parameters of the consumed API (adapter level) of a namespace. */
export type ApiParams = (namespace: string) => readonly ConsumedParam[];

/**
 * The consumed parameters each caller input feeds directly, by input name: through a `with` entry
 * that names the input, or, without a `with` entry, by name (inputs pass down whole). Parameters
 * with a `value` take nothing from the caller.
 */
export function paramsFedBy(handler: Handler | undefined, apiParams: ApiParams): Map<string, ConsumedParam[]> {
  const fed = new Map<string, ConsumedParam[]>();
  if (handler?.kind !== 'call') return fed;
  const feed = (param: ConsumedParam): void => {
    if (param.value !== undefined) return;
    const w = handler.with[param.name];
    const input = !w ? param.name : w.from === 'input' ? w.name : undefined;
    if (input === undefined) return;
    const params = fed.get(input);
    if (params) params.push(param);
    else fed.set(input, [param]);
  };
  // The API's parameters first, then the operation's.
  for (const param of apiParams(handler.operation.namespace)) feed(param);
  for (const param of handler.operation.params) feed(param);
  return fed;
}

/** The enum an input inherits from the parameters it feeds (the first that declares one); none for array and object inputs. */
function fedEnum(fed: Map<string, ConsumedParam[]>, input: { name: string; type: string }): readonly EnumValue[] | undefined {
  if (input.type === 'array' || input.type === 'object') return undefined;
  return fed.get(input.name)?.find((p) => p.enum)?.enum;
}

/** Inputs of a tool or function with the enums of the consumed parameters they feed (their own enum wins). */
export function withFedEnums<P extends { name: string; type: string; enum?: readonly EnumValue[] }>(params: readonly P[], handler: Handler | undefined, apiParams: ApiParams): P[] {
  const fed = paramsFedBy(handler, apiParams);
  return params.map((p) => {
    const inherited = p.enum ? undefined : fedEnum(fed, p);
    return inherited ? { ...p, enum: inherited } : p;
  });
}

/** A REST input with what the parameters it feeds impose; the same object when nothing changes. */
function withFedRules(p: ExposedParam, fed: Map<string, ConsumedParam[]>): ExposedParam {
  const required = !p.required && (fed.get(p.name)?.some((c) => c.required === true) ?? false);
  const inherited = p.enum ? undefined : fedEnum(fed, p);
  if (!required && !inherited) return p;
  return { ...p, ...(required ? { required: true } : {}), ...(inherited ? { enum: inherited } : {}) };
}

/** Marks REST inputs that feed required consumed parameters as required, and gives them the enums of what they feed. */
export function applyFedRules(adapters: readonly AdapterNode[], apiParams: ApiParams): void {
  for (const adapter of adapters) {
    if (adapter.type !== 'rest') continue;
    for (const res of adapter.resources) {
      for (const op of res.operations) {
        const fed = paramsFedBy(op.handler, apiParams);
        if (!fed.size) continue;
        const own = op.inputParameters.map((p) => withFedRules(p, fed));
        const inherited = res.inputParameters
          .filter((r) => !own.some((o) => o.name === r.name && o.in === r.in))
          .map((r) => withFedRules(r, fed))
          .filter((r) => !res.inputParameters.includes(r));
        (op as Mutable<typeof op>).inputParameters = [...own, ...inherited];
      }
    }
  }
}
