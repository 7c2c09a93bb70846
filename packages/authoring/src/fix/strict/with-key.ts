/**
 * `fix --strict` for `with-key-for-templates`: a `with` key the called operation does not read,
 * kept by `fix` because the unit declares no inputs (its `with` references make them) or because
 * an output `value` template reads it. The nearest official forms serve the same:
 * - a tool that declares no inputs gets the ones it derives written out (same input schema);
 *   the entry, then read by nothing, is removed by `fix` on the next pass;
 * - an output template reading `{{key}}` reads what the entry carried instead (`{{x}}` for the
 *   caller's input `x`, the literal itself), and the entry is commented out.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { YamlEditor } from '../edits.js';
import type { Path } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { writeDerivedInputs, derivesOfficially } from '../tool-inputs.js';
import { callerName, unitAt } from './callers.js';
import { commentOutStrict } from './removed.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every scalar under `node`, for the output templates that may read the key. */
function scalars(node: unknown, out: Node[] = []): Node[] {
  if (isScalar(node)) out.push(node);
  else if (isMap(node)) for (const p of node.items) scalars(p.value, out);
  else if (isSeq(node)) for (const i of node.items) scalars(i, out);
  return out;
}

/** What `{{key}}` becomes: the input the entry named, or its literal value; undefined for a template. */
function replacement(editor: YamlEditor, value: unknown, unitPath: Path): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value.includes('{{')) return undefined;
  const ref = /^([a-zA-Z0-9-]+)\.([^\s{}]+)$/.exec(value);
  const declared = editor.doc.getIn([...unitPath, 'inputParameters'], true);
  const names = isSeq(declared) ? declared.items.map((i) => (isMap(i) ? i.get('name') : undefined)) : [];
  if (ref && names.includes(ref[2])) return `{{${ref[2]}}}`;
  return ref ? undefined : value;
}

export const withKeyForTemplates: StrictRewrite = (editor, path, _d, compiled) => {
  const key = path.at(-1);
  const unitPath = path.slice(0, -2);
  const unit = unitAt(editor, compiled, path);
  if (typeof key !== 'string' || !unit || path.at(-2) !== 'with') return 'the `with` entry or its unit was not found';
  const list = editor.doc.getIn([...unitPath, 'inputParameters'], true);
  const declares = isSeq(list) && list.items.length > 0;
  if (!declares) {
    if (unit.kind !== 'tool') return `${callerName(unit)} declares no inputs: \`fix\` declares the ones it implies first, then \`fix --strict\` goes on`;
    if (!derivesOfficially(unit.node)) return `${callerName(unit)} derives an \`integer\` input, which official tool inputs cannot say`;
    writeDerivedInputs(editor, unitPath, unit.node);
    return { change: `${callerName(unit)} now declares the inputs it derived from its \`with\` references: the same input schema and answers; \`with\` key \`${key}\`, which the operation does not read, goes once nothing else reads it` };
  }
  const value = editor.doc.getIn(path);
  const to = replacement(editor, value, unitPath);
  if (to === undefined) return `the entry carries \`${String(value)}\`, which an output template cannot read in its place: move it into the template by hand`;
  const re = new RegExp(`\\{\\{\\s*${escape(key)}\\s*\\}\\}`, 'g');
  const hits = scalars(editor.doc.getIn([...unitPath, 'outputParameters'], true)).filter((n) => n.range && editor.text.slice(n.range[0], n.range[1]).match(re));
  if (!hits.length) return 'no output template reading it was found';
  for (const n of hits) {
    const [start, end] = n.range!;
    for (const m of editor.text.slice(start, end).matchAll(re)) editor.replaceRange(start + m.index!, start + m.index! + m[0].length, to);
  }
  const why = commentOutStrict(editor, path, 'with-key-for-templates');
  if (why) return why;
  return { change: `\`with\` key \`${key}\` is removed and the output template reads \`${to}\` in its place: the same answers` };
};
