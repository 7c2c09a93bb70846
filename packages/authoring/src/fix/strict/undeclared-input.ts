/**
 * `fix --strict` for `undeclared-input`: a `{{x}}` template or a tool `with` value naming an
 * input nothing declares. The nearest official form declares it:
 * - a `{{VAR}}` in a consumed `authentication` is a credential: it becomes a `binds` entry read
 *   from the environment variable of that name (see `env-bind.ts`);
 * - a `{{tools.x}}` (`rest.x`, `<namespace>.x`) template means the caller's `x`, but templates do
 *   not read that prefix, so it rendered empty: it becomes `{{x}}`;
 * - the input is then declared as optional where callers' values already reach templates
 *   whole (MCP tools and functions that declare no inputs: their input schema gains it, answers
 *   stay the same), or else on every caller (tools with declared inputs and REST operations
 *   pass on declared inputs only: a call that gives it now has it passed on);
 * - a `with` value naming an undeclared input declares it, optional, on that unit (which passed
 *   on declared inputs only: a call that gives it now has it passed on).
 */
import { checkSpec } from '@capstan/spec';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Compiled } from '../compiled.js';
import { flowText, type YamlEditor } from '../edits.js';
import { scalar, scopeNamespace, type Path } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { derivesOfficially, writeDerivedInputs } from '../tool-inputs.js';
import { calledByResource, callerName, callersOf, calleeScope, unitAt, type CalleeScope, type Caller } from './callers.js';
import { commentOutStrict } from './removed.js';
import { bindFromEnvironment, isBindVariable } from './env-bind.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Inputs declared by this rewrite, per editor (`unit path:name`): several templates may name one. */
const declaredHere = new WeakMap<YamlEditor, Set<string>>();

/** Per text: the input names templates still miss once every caller-input prefix is dropped. */
const missingCache = new Map<string, Set<string>>();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Prefixes that mean "the caller's input" in a `with` value, which templates do not read. */
function callerPrefixes(editor: YamlEditor): Set<string> {
  const out = new Set(['tools', 'rest']);
  for (const key of ['exposes', 'aggregates']) {
    const seq = editor.doc.getIn(['capability', key], true);
    if (isSeq(seq)) for (const item of seq.items) if (isMap(item) && typeof item.get('namespace') === 'string') out.add(item.get('namespace') as string);
  }
  return out;
}

/** The input names still unknown to templates once every `{{<prefix>.x}}` reads `{{x}}`. */
function stillMissing(editor: YamlEditor, file: string, prefixes: Set<string>): Set<string> {
  const cached = missingCache.get(editor.text);
  if (cached) return cached;
  const strip = new RegExp(`\\{\\{(\\s*)(?:${[...prefixes].map(escape).join('|')})\\.`, 'g');
  const variant = editor.text.replace(strip, '{{$1');
  const out = new Set<string>();
  for (const d of checkSpec(file, { text: variant }).diagnostics) {
    const name = d.code === 'unknown-template-variable' ? /`\{\{([^}]+)\}\}`/.exec(d.message)?.[1] : undefined;
    if (name) out.add(name.trim().split('.')[0]!);
  }
  missingCache.clear(); // one text at a time: passes move on
  missingCache.set(editor.text, out);
  return out;
}

/** True when `caller` declares inputs (a tool that does not derives them from what it calls). */
function declaresInputs(editor: YamlEditor, caller: Caller): boolean {
  const list = editor.doc.getIn([...caller.path, 'inputParameters'], true);
  return isSeq(list) && list.items.length > 0;
}

/** Why optional inputs cannot be declared on `callers`, checked before any edit is planned. */
function cannotDeclare(editor: YamlEditor, callers: readonly Caller[]): string | undefined {
  const stuck = callers.find((c) => c.kind === 'tool' && !declaresInputs(editor, c) && !derivesOfficially(c.node));
  return stuck ? `${callerName(stuck)} derives an \`integer\` input, which official tool inputs cannot say` : undefined;
}

/** Declares optional input `name` on `caller` (checked by `cannotDeclare` first). */
function declareOn(editor: YamlEditor, caller: Caller, name: string, type: 'string' | 'object' = 'string'): void {
  const done = declaredHere.get(editor) ?? new Set<string>();
  declaredHere.set(editor, done);
  const key = `${JSON.stringify(caller.path)}:${name}`;
  if (done.has(key)) return;
  const list = editor.doc.getIn([...caller.path, 'inputParameters'], true);
  const declares = declaresInputs(editor, caller);
  if (isSeq(list) && list.items.some((i) => isMap(i) && i.get('name') === name)) return;
  if (caller.kind === 'rest') {
    const where = BODY_METHODS.has(caller.node.method) ? 'body' : 'query';
    editor.addListItem(caller.path, 'inputParameters', flowText({ name, in: where, type, description: `The ${name} ${where} parameter.` }));
  } else {
    // A tool that declares no inputs derives them: write those out first, so they stay.
    if (!declares && caller.kind === 'tool') writeDerivedInputs(editor, caller.path, caller.node);
    editor.addListItem(caller.path, 'inputParameters', flowText({ name, type, description: `The ${name} input.`, required: false }));
  }
  done.add(key);
}

/** Drops the caller-input prefix of `{{prefix.rest}}` in the scalar at `path`; false when it is not there. */
function dropPrefix(editor: YamlEditor, path: Path, variable: string, prefix: string): boolean {
  const node = editor.doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return false;
  const [start, end] = node.range;
  const source = editor.text.slice(start, end);
  const re = new RegExp(`\\{\\{\\s*(${escape(variable)})\\s*\\}\\}`, 'g');
  let found = false;
  for (const m of source.matchAll(re)) {
    const at = start + m.index! + m[0].indexOf(variable);
    editor.replaceRange(at, at + prefix.length + 1, '');
    found = true;
  }
  return found;
}

/** A `{{x}}` (or `{{tools.x}}`) template naming nothing declared. */
function templateInput(editor: YamlEditor, path: Path, variable: string, compiled: Compiled): ReturnType<StrictRewrite> {
  const prefixes = callerPrefixes(editor);
  const m = /^([a-zA-Z0-9-]+)\.(.+)$/.exec(variable);
  const prefix = m && prefixes.has(m[1]!) ? m[1]! : undefined;
  const bare = prefix ? m![2]! : variable;
  const name = bare.split('.')[0]!;
  // `{{x.y}}` reads a field of `x`: an object.
  const type = bare.includes('.') ? 'object' : 'string';
  const scope = calleeScope(editor, path);
  const own = scope ? undefined : unitAt(editor, compiled, path);
  const callers = scope ? callersOf(editor, compiled, scope) : own ? [own] : [];
  const missing = !compiled.graph?.file || stillMissing(editor, compiled.graph.file, prefixes).has(name);
  // A tool or function declaring no inputs passes callers' values on whole: declaring it there
  // keeps the answers. Other units pass on declared inputs only: they get it when nothing else can.
  const passing = callers.filter((c) => c.kind !== 'rest' && !declaresInputs(editor, c));
  const targets = !missing ? [] : passing.length ? passing : callers;
  if (missing && !targets.length) return uncalled(editor, path, scope, name, compiled);
  const why = cannotDeclare(editor, targets);
  if (why) return why;
  if (prefix && !dropPrefix(editor, path, variable, prefix)) return `\`{{${variable}}}\` was not found in the value`;
  for (const target of targets) declareOn(editor, target, name, type);
  const reads = prefix
    ? `\`{{${variable}}}\` becomes \`{{${bare}}}\` (templates do not read the \`${prefix}.\` prefix, so it rendered empty): a call that gives \`${name}\` now sends it where an empty value went`
    : `\`{{${variable}}}\` renders the caller's \`${name}\` as before`;
  if (!targets.length) return { change: `${reads} (\`${name}\` is declared elsewhere in the file)` };
  const others = callers.filter((c) => !passing.includes(c));
  const declared = `\`${name}\` is declared as an optional ${type} input of ${targets.map(callerName).join(', ')}`;
  const effect = targets === passing
    ? ' (the input schema gains it; the value was passed on already, so answers stay the same, except that a value of another type is now refused and arguments no input declares are no longer passed on)'
    : ` (shown in the input schema or OpenAPI; a call that gives \`${name}\` now has it passed on, where only declared inputs were)`;
  const left = targets === passing && others.length ? `; ${others.map(callerName).join(', ')} still cannot give it (declare it there to let ${others.length > 1 ? 'them' : 'it'})` : '';
  return { change: `${reads}; ${declared}${effect}${left}` };
}

/**
 * A template no caller can reach: nothing served runs its operation, so commenting the operation
 * out serves the same; the author restores it with a caller that declares the input.
 */
function uncalled(editor: YamlEditor, path: Path, scope: CalleeScope | undefined, name: string, compiled: Compiled): ReturnType<StrictRewrite> {
  const ops = path.lastIndexOf('operations');
  const what = scope ? `\`${scope.namespace}${scope.operation ? `.${scope.operation}` : ''}\`` : 'this unit';
  const cannot = `no tool, REST operation or function calls ${what}, so no caller can give \`${name}\`; call it from one (then run \`fix --strict\` again) or remove the template`;
  if (!scope?.operation || ops < 0 || typeof path[ops + 1] !== 'number' || calledByResource(compiled, scope)) return cannot;
  const why = commentOutStrict(editor, path.slice(0, ops + 2), 'undeclared-input');
  if (why) return why;
  return { change: `consumed operation ${what} is commented out: nothing served calls it, so nothing served changes; no caller could give the \`${name}\` its template reads: restore it with a tool or REST operation that calls it and declares \`${name}\`` };
}

/** A `with` value `<namespace>.x` naming an input the unit does not declare: declared, optional. */
function withReference(editor: YamlEditor, path: Path, compiled: Compiled): ReturnType<StrictRewrite> {
  const node = editor.doc.getIn(path, true);
  const value = isScalar(node) ? String(node.value) : '';
  const name = value.slice(value.indexOf('.') + 1);
  const unit = unitAt(editor, compiled, path);
  if (!unit || !name) return 'the unit of this `with` was not found';
  const why = cannotDeclare(editor, [unit]);
  if (why) return why;
  declareOn(editor, unit, name);
  const ns = scopeNamespace(editor, path) ?? scalar(editor, path.slice(0, 3), 'namespace');
  const answers = `a call that gives \`${name}\` now has it passed on, where it was dropped (${callerName(unit)} passes on declared inputs only); a non-string value is refused`;
  return { change: `\`${ns}.${name}\` now names a declared input: \`${name}\` is declared as an optional string input of ${callerName(unit)}, so its input schema gains it; ${answers}` };
}

/** The rewrite for `undeclared-input`. */
export const declareUndeclared: StrictRewrite = (editor, path, d, compiled) => {
  // A template inside a Capstan extension key goes with the key (its own strict removal): wait for it.
  if (path.some((p) => typeof p === 'string' && (p.startsWith('x-capstan-') || p === 'resiliency' || p === 'cacheControl'))) return false;
  if (d.code === 'unknown-input-ref') return withReference(editor, path, compiled);
  const variable = /`\{\{([^}]+)\}\}`/.exec(d.message)?.[1]?.trim();
  if (!variable) return 'the template variable was not found in the finding';
  if (path.includes('authentication') && isBindVariable(variable)) return bindFromEnvironment(editor, variable);
  return templateInput(editor, path, variable, compiled);
};
