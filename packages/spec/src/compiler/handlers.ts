/**
 * The handler of a REST operation, MCP tool or resource, or aggregate function: a `ref` to a
 * function, a `call` to a consumed operation, a sequence of `steps`, or a mock.
 */
import type { ConsumedOperation, ConsumedParam, Handler, OutputParam, StepMapping, StepNode, WithMap, WithValue } from '../graph.js';
import type { PathSegment } from '../source.js';
import { closest, quoteList } from '../suggest.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj, list, optional, sections, text, type HandlerSection, type MappingSection, type StepSection } from './document.js';
import { findLoosely } from './names.js';
import { readFreeForm } from './free-form.js';
import { resolveCall, resolveRef } from './references.js';
import { compileWith, type InputScope } from './with.js';

/** The handler of one exposed unit; undefined when its target does not resolve (already reported). */
export function compileHandler(ctx: CompileContext, unit: HandlerSection, where: At, scope: InputScope): Handler | undefined {
  if (typeof unit.ref === 'string') {
    const fn = resolveRef(ctx, unit.ref, child(where, 'ref'));
    return fn ? { kind: 'ref', fn, with: compileWith(ctx, unit.with, child(where, 'with'), scope) } : undefined;
  }
  const outputs = outputParams(ctx, unit.outputParameters, child(where, 'outputParameters'));
  if (typeof unit.call === 'string') {
    const operation = resolveCall(ctx, unit.call, child(where, 'call'));
    const withMap = compileWith(ctx, unit.with, child(where, 'with'), scope, operation);
    if (!operation) return undefined;
    const bound = placeholderSources(ctx, operation, withMap, child(where, 'call'), scope);
    return { kind: 'call', operation, with: { ...bound, ...withMap }, outputs };
  }
  if (Array.isArray(unit.steps)) {
    const steps = compileSteps(ctx, unit.steps, child(where, 'steps'), scope);
    const mappings = sections<MappingSection>(unit.mappings).map(([m, i]): StepMapping => {
      checkMappingStep(ctx, text(m.value), steps, child(where, 'mappings', i, 'value'));
      return { targetName: text(m.targetName), value: text(m.value) };
    });
    return steps ? { kind: 'steps', steps, mappings, with: compileWith(ctx, unit.with, child(where, 'with'), scope), outputs } : undefined;
  }
  return { kind: 'mock', with: compileWith(ctx, unit.with, child(where, 'with'), scope), outputs };
}

/**
 * Output parameters stay in spec shape, free-form ones read as `free-form.ts` says; their
 * Mustache values are queued for the template check.
 * The walk keeps one path below `where`, copied only for a template (most outputs have none).
 */
function outputParams(ctx: CompileContext, value: unknown, where: At): OutputParam[] {
  const items = list(value) as OutputParam[];
  const below: PathSegment[] = [];
  const visit = (p: unknown): void => {
    if (!isObj(p)) return;
    if (typeof p.value === 'string' && !p.value.trim().startsWith('$')) ctx.templates.push({ template: p.value, at: child(where, ...below, 'value') });
    if (isObj(p.properties)) {
      for (const k of Object.keys(p.properties)) {
        below.push('properties', k);
        visit(p.properties[k]);
        below.length -= 2;
      }
    }
    if (isObj(p.items)) {
      below.push('items');
      visit(p.items);
      below.pop();
    }
  };
  for (let i = 0; i < items.length; i++) {
    below.push(i);
    visit(items[i]);
    below.pop();
  }
  return items.map(readFreeForm);
}

function compileSteps(ctx: CompileContext, value: unknown[], where: At, scope: InputScope): StepNode[] | undefined {
  const steps: StepNode[] = [];
  let ok = true;
  for (const [s, i] of sections<StepSection>(value)) {
    const stepAt = child(where, i);
    const name = text(s.name);
    if (steps.some((x) => x.name === name)) {
      ctx.report('error', child(stepAt, 'name'), 'value', 'duplicate-step', `step name \`${name}\` is used twice in this sequence`, { fix: 'give each step its own name; later steps and mappings refer to steps by name' });
      ok = false;
    }
    ctx.knownNames.add(name);
    const origin = ctx.origin(stepAt);
    if (s.type === 'call') {
      const operation = resolveCall(ctx, text(s.call), child(stepAt, 'call'));
      const withMap = compileWith(ctx, s.with, child(stepAt, 'with'), scope, operation);
      if (!operation) ok = false;
      else steps.push({ kind: 'call', name, operation, with: withMap, origin });
    } else if (s.type === 'lookup') {
      const index = text(s.index);
      if (!steps.some((x) => x.name === index)) {
        const suggestion = closest(index, steps.map((x) => x.name));
        ctx.report('error', child(stepAt, 'index'), 'value', 'unknown-step', `lookup \`index: ${index}\` names no earlier step${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
          expected: steps.length ? `one of ${quoteList(steps.map((x) => x.name))}` : 'the name of an earlier step (there is none)',
        });
        ok = false;
      }
      ctx.templates.push({ template: text(s.lookupValue), at: child(stepAt, 'lookupValue') });
      steps.push({ kind: 'lookup', name, index, match: text(s.match), lookupValue: text(s.lookupValue), outputParameters: list(s.outputParameters).map((o) => text(o)), origin });
    } else {
      steps.push({
        kind: 'script', name, file: text(s.file),
        ...optional('language', s.language),
        ...optional('location', s.location),
        dependencies: list(s.dependencies).map((d) => text(d)),
        with: compileWith(ctx, s.with, child(stepAt, 'with'), scope), origin,
      });
    }
  }
  return ok ? steps : undefined;
}

function checkMappingStep(ctx: CompileContext, value: string, steps: StepNode[] | undefined, where: At): void {
  const m = /^\$\.([^.[\s]+)/.exec(value);
  if (!m || !steps) return;
  const stepName = m[1]!;
  if (steps.some((s) => s.name === stepName)) return;
  const suggestion = closest(stepName, steps.map((s) => s.name));
  ctx.report('warning', where, 'value', 'unknown-step', `mapping \`${value}\` reads step \`${stepName}\`, which this sequence does not have${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
    expected: `\`$.<step-name>…\` with one of ${quoteList(steps.map((s) => s.name))}`,
  });
}

/**
 * Each placeholder of the called path should get a value. One that only an input spelled with
 * different case provides (`{userId}` upstream, `{userid}` in the exposed path, common in real
 * files) is bound to that input, with a warning; one nothing provides is a warning.
 * Returns the `with` entries added for case-insensitive bindings.
 */
function placeholderSources(ctx: CompileContext, op: ConsumedOperation, withMap: WithMap, where: At, scope: InputScope): Record<string, WithValue> {
  const added: Record<string, WithValue> = {};
  if (!scope.inputs || op.pathPlaceholders.length === 0) return added;
  const api = ctx.consumes.get(op.namespace)!;
  const withValue = (p: ConsumedParam) => p.value !== undefined;
  // What can give a placeholder its value: a `with` entry, an input, or a parameter with a value.
  const sources = () => [...Object.keys(withMap), ...scope.inputs!, ...[...api.inputParameters, ...op.params].filter(withValue).map((p) => p.name)];
  const provided = (name: string) => Object.prototype.hasOwnProperty.call(withMap, name) || scope.inputs!.includes(name) || api.inputParameters.some((p) => p.name === name && withValue(p)) || op.params.some((p) => p.name === name && withValue(p));
  for (const placeholder of op.pathPlaceholders) {
    if (provided(placeholder)) continue;
    const input = findLoosely(scope.inputs, placeholder);
    if (input) {
      added[placeholder] = { from: 'input', name: input };
      ctx.report('warning', where, 'value', 'input-case-mismatch', `\`${op.ref}\` needs \`${placeholder}\` for its path; Capstan binds it to the input \`${input}\`, spelled with different case or separators`, {
        fix: `spell both \`${placeholder}\`, or add \`with: {${placeholder}: ${scope.namespace}.${input}}\``,
      });
      continue;
    }
    if (findLoosely(sources(), placeholder)) continue;
    ctx.report('error', where, 'value', 'placeholder-without-source', `\`${op.ref}\` needs \`${placeholder}\` for its path \`${op.path}\`, and nothing here provides it: no declared input, \`with\` entry or parameter value`, {
      fix: `add \`with: {${placeholder}: ${scope.namespace}.<input>}\` or an input parameter named \`${placeholder}\``,
    });
  }
  return added;
}

