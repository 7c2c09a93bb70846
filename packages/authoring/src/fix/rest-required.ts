/**
 * `required` on a REST input (de-facto). Capstan requires a REST input when it says
 * `required: true`, when it is a path placeholder, or when it feeds a consumed parameter marked
 * `required: true`. The key can go, serving the same, when it says `false` (the default) or when
 * the input is required anyway: `fix` compiles the file once with every REST `required` removed
 * and keeps the flag only where that graph no longer requires the input.
 */
import { checkSpec } from '@capstan/spec';
import { isMap, isScalar, isSeq } from 'yaml';
import { YamlEditor } from './edits.js';
import { noOfficial } from './no-official.js';
import { scalar, scopeNamespace, type Fixer, type Path } from './fixers.js';

/** Per text: the REST inputs (by `restInputKey`) still required with every REST `required` removed. */
const requiredAnyway = new Map<string, Set<string>>();

const restInputKey = (namespace: string, path: string, method: string, name: string, where: string) => JSON.stringify([namespace, path, method.toUpperCase(), name, where]);

/** Removes a REST input's `required` when it says `false` or when the input is required anyway. */
export const restInputRequired: Fixer = (editor, path, _message, compiled) => {
  const inputPath = path.at(-1) === 'required' ? path.slice(0, -1) : path;
  const input = editor.mapAt(inputPath);
  const pair = input && editor.pair(input, 'required');
  if (!input || !pair || !isScalar(pair.value)) return 'the `required` key was not found';
  const value = pair.value.value;
  const opLevel = inputPath.at(-4) === 'operations';
  const where = scalar(editor, inputPath, 'in');
  let redundant = value === false || where === 'path';
  if (!redundant && value === true && opLevel) {
    const opPath = inputPath.slice(0, -2);
    const resourcePath = opPath.slice(0, -2);
    const key = restInputKey(scopeNamespace(editor, path) ?? '', scalar(editor, resourcePath, 'path') ?? '', scalar(editor, opPath, 'method') ?? 'GET', scalar(editor, inputPath, 'name') ?? '', where ?? '');
    redundant = !!compiled.graph && stillRequired(editor, compiled.graph.file).has(key);
  }
  if (!redundant) return noOfficial('rest-required', 'official REST inputs have no `required`; Capstan answers 400 when this input is missing, which no official form says');
  editor.deleteKey(input, pair);
  return undefined;
};

/** The REST inputs Capstan requires when no REST input says `required`. */
function stillRequired(editor: YamlEditor, file: string): Set<string> {
  const cached = requiredAnyway.get(editor.text);
  if (cached) return cached;
  const variant = new YamlEditor(editor.text);
  forEachRestInput(variant, (map) => {
    const pair = variant.pair(map, 'required');
    if (pair) variant.deleteKey(map, pair);
  });
  const graph = checkSpec(file, { text: variant.result() }).graph;
  const out = new Set<string>();
  for (const adapter of graph?.adapters ?? []) {
    if (adapter.type !== 'rest') continue;
    for (const res of adapter.resources) {
      for (const op of res.operations) for (const p of op.inputParameters) if (p.required) out.add(restInputKey(adapter.namespace, res.path, op.method, p.name, p.in));
    }
  }
  requiredAnyway.clear(); // one text at a time: passes move on
  requiredAnyway.set(editor.text, out);
  return out;
}

/** Calls `visit` with every operation-level REST input mapping. */
function forEachRestInput(editor: YamlEditor, visit: (map: NonNullable<ReturnType<YamlEditor['mapAt']>>) => void): void {
  const each = (path: Path, key: string, f: (p: Path) => void) => {
    const seq = editor.doc.getIn([...path, key], true);
    if (isSeq(seq)) seq.items.forEach((item, i) => isMap(item) && f([...path, key, i]));
  };
  each(['capability'], 'exposes', (a) => {
    if (scalar(editor, a, 'type') !== 'rest') return;
    each(a, 'resources', (r) => each(r, 'operations', (o) => each(o, 'inputParameters', (p) => visit(editor.mapAt(p)!))));
  });
}
