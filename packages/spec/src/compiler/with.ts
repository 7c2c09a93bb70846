/**
 * `with` maps: each entry is a literal, a template, or a reference to a caller input
 * (`<namespace>.x`, or the de-facto `rest.x`/`tools.x`), checked against the called operation
 * and the inputs of the enclosing unit.
 */
import type { ConsumedApi, ConsumedOperation, ConsumedParam, WithMap, WithValue } from '../graph.js';
import { closest, quoteList } from '../suggest.js';
import { pathPlaceholders, templateVariables } from '../templates.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj } from './document.js';
import { findLoosely } from './names.js';

/** What an exposed unit's `with` may reference: its adapter and its declared inputs. */
export interface InputScope {
  /** The namespace prefix that means "the caller's input" (the adapter or aggregate namespace). */
  namespace: string;
  /** The de-facto alias of that prefix, by adapter kind. */
  defactoPrefix?: 'rest' | 'tools';
  /** Declared input names; undefined when the unit declares none (then inputs are free-form). */
  inputs?: readonly string[];
  /**
   * For a REST operation that declares no inputs: turns a `with` reference to an undeclared
   * input into an implied parameter shaped like the consumed parameter it feeds. True when done.
   */
  imply?: (name: string, feeds: ConsumedParam | undefined) => boolean;
}

/** Checks a `with` map against the called operation and the enclosing unit's inputs. */
export function compileWith(ctx: CompileContext, value: unknown, where: At, scope: InputScope, target?: ConsumedOperation): WithMap {
  if (!isObj(value)) return {};
  const out: Record<string, WithValue> = {};
  const targetNames = target ? operationInputNames(ctx, target) : undefined;
  for (const [key, v] of Object.entries(value)) {
    ctx.knownNames.add(key);
    const entryAt = child(where, key);
    if (target && targetNames && !targetNames.includes(key)) {
      const suggestion = closest(key, targetNames);
      // The engine merges every `with` entry into the parameter map; so does Capstan.
      ctx.report('warning', entryAt, 'key', 'unknown-with-key', `\`with\` key \`${key}\` is not a parameter or placeholder of \`${target.ref}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}; it joins the parameter map (templates can read \`{{${key}}}\`), as in the reference engine`, {
        expected: targetNames.length ? `one of ${quoteList(targetNames)}` : `\`${target.ref}\` takes no parameters`,
        fix: suggestion ? `rename \`${key}\` to \`${suggestion}\`` : `declare \`${key}\` as an input parameter of \`${target.ref}\`, or remove it`,
      });
    }
    const feeds = target ? (ctx.consumes.get(target.namespace)!.inputParameters.find((p) => p.name === key) ?? target.params.find((p) => p.name === key)) : undefined;
    out[key] = typeof v === 'string' ? withValue(ctx, v, entryAt, scope, feeds) : { from: 'literal', value: v as number | boolean };
  }
  return out;
}

/** The names an operation reads: its parameters, path placeholders and body/header template variables. */
function operationInputNames(ctx: CompileContext, op: ConsumedOperation): string[] {
  let names = ctx.inputNamesCache.get(op);
  if (!names) ctx.inputNamesCache.set(op, (names = computeOperationInputNames(ctx, op)));
  return names;
}

function computeOperationInputNames(ctx: CompileContext, op: ConsumedOperation): string[] {
  const api = ctx.consumes.get(op.namespace)!;
  const shared = apiInputNames(api);
  const names = new Set<string>(shared.params);
  for (const p of op.params) names.add(p.name);
  for (const p of op.pathPlaceholders) names.add(p);
  for (const p of shared.fromBaseUriAndValues) names.add(p);
  for (const p of op.params) if (p.value) addVariables(names, p.value);
  if (op.body) addVariables(names, JSON.stringify(op.body));
  for (const p of shared.fromAuth) names.add(p);
  return [...names];
}

/** The names every operation of one API reads, in the order `computeOperationInputNames` adds them. */
interface ApiInputNames {
  params: string[];
  /** The baseUri's placeholders, then the variables of the API parameters' values. */
  fromBaseUriAndValues: string[];
  fromAuth: string[];
}

/** Per consumed API, computed once for all its operations (the graph is built once per compile). */
const apiNamesCache = new WeakMap<ConsumedApi, ApiInputNames>();

function apiInputNames(api: ConsumedApi): ApiInputNames {
  let cached = apiNamesCache.get(api);
  if (!cached) {
    const fromBaseUriAndValues = new Set(pathPlaceholders(api.baseUri));
    for (const p of api.inputParameters) if (p.value) addVariables(fromBaseUriAndValues, p.value);
    const fromAuth = new Set<string>();
    if (api.auth) addVariables(fromAuth, JSON.stringify(api.auth));
    cached = { params: api.inputParameters.map((p) => p.name), fromBaseUriAndValues: [...fromBaseUriAndValues], fromAuth: [...fromAuth] };
    apiNamesCache.set(api, cached);
  }
  return cached;
}

/** Adds the first segment of each template variable of `template`. */
function addVariables(names: Set<string>, template: string): void {
  for (const v of templateVariables(template)) names.add(v.split('.')[0]!);
}

/** Resolves a string `with` value; `<namespace>.x` must name an input of the enclosing unit. */
function withValue(ctx: CompileContext, value: string, where: At, scope: InputScope, feeds?: ConsumedParam): WithValue {
  const template: WithValue = { from: 'template', template: value };
  const m = /^([a-zA-Z0-9-]+)\.([^\s{}]+)$/.exec(value);
  if (!m) {
    ctx.templates.push({ template: value, at: where });
    return template;
  }
  const [, prefix, name] = m as unknown as [string, string, string];
  const official = prefix === scope.namespace;
  if (!official && prefix !== scope.defactoPrefix) return template; // a literal such as `v1.2`
  if (!official) {
    ctx.report('warning', where, 'value', 'defacto-with-prefix', `\`${value}\` uses the de-facto prefix \`${prefix}.\`; the official reference to a caller input is \`${scope.namespace}.${name}\``, {
      fix: `write \`${scope.namespace}.${name}\``,
    });
  }
  if (!scope.inputs || scope.inputs.includes(name)) return { from: 'input', name };
  const caseMatch = findLoosely(scope.inputs, name);
  if (caseMatch) {
    ctx.report('warning', where, 'value', 'input-case-mismatch', `\`${value}\` refers to input \`${caseMatch}\`, spelled with different case or separators; Capstan binds it to that input`, {
      fix: `spell both the same, e.g. \`{${name}}\` in the path`,
    });
    return { from: 'input', name: caseMatch };
  }
  if (scope.imply?.(name, feeds)) {
    const source = feeds?.in === 'body' && name !== 'body' ? 'body field' : `${feeds?.in === 'path' ? 'query' : (feeds?.in ?? 'query')} parameter`;
    ctx.report('warning', where, 'value', 'defacto-implicit-input', `\`${value}\` refers to \`${name}\`, which this operation does not declare; Capstan reads it from the request ${source} \`${name}\``, {
      fix: `declare \`${name}\` under the operation's \`inputParameters\` (with \`in\`, \`type\` and \`description\`), as the official schema expects`,
    });
    return { from: 'input', name };
  }
  const suggestion = closest(name, scope.inputs);
  const unit = scope.defactoPrefix === 'tools' ? 'tool' : scope.defactoPrefix === 'rest' ? 'operation' : 'function';
  // A unit that declares inputs receives only those (MCP drops other arguments, REST reads only
  // declared parameters), so a reference to another name never has a value.
  ctx.report('warning', where, 'value', 'unknown-input-ref', `\`${value}\` refers to \`${name}\`, which is not a declared input of this ${unit}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}; only declared inputs reach the call, so it never has a value`, {
    expected: scope.inputs.length ? `one of ${quoteList([...scope.inputs])}` : 'a declared input parameter (none is declared)',
    fix: suggestion ? `write \`${scope.namespace}.${suggestion}\`` : `declare \`${name}\` under \`inputParameters\``,
  });
  return { from: 'input', name };
}
