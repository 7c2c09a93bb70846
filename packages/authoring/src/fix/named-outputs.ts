/**
 * Several named outputs of a simple-mode (`call`) operation or tool. Capstan answers them as one
 * object keyed by output name, each value read against the whole answer (engine behaviour); the
 * official form of that answer is one `type: object` output without `mapping` whose
 * `properties` are the named outputs, which Capstan reads the same way (each property against
 * the whole answer, absent → null) and describes with the same OpenAPI and tool output schemas.
 * Each output keeps its lines (comments included), moved under `properties:` with its name as key.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { flowText, scalarText, type YamlEditor } from './edits.js';
import type { Path } from './fixers.js';
import { noOfficial } from './no-official.js';

/** Lists already rewritten, per editor (each output of a list has its own finding). */
const rewritten = new WeakMap<YamlEditor, Set<string>>();

/** Rewrites the output list that holds the named output at `namePath` (`…outputParameters[i].name`). */
export function namedOutputsToObject(editor: YamlEditor, namePath: Path): string | undefined {
  const listPath = namePath.slice(0, -2);
  const unit = editor.mapAt(listPath.slice(0, -1));
  const seq = editor.doc.getIn(listPath, true);
  if (!unit || !isSeq(seq) || seq.flow || !editor.pair(unit, 'call') || editor.pair(unit, 'steps')) return 'the outputs are not those of a simple-mode `call`';
  const done = rewritten.get(editor) ?? new Set<string>();
  rewritten.set(editor, done);
  const id = JSON.stringify(listPath);
  if (done.has(id)) return undefined;
  const items = seq.items.filter(isMap);
  const names = items.map((m) => nameOf(editor, m));
  if (items.length !== seq.items.length || names.some((n) => n === undefined) || new Set(names).size !== names.length) {
    return noOfficial('unnamed-outputs', 'some outputs have no name or share one; Capstan answers the first that resolves, which no official form says');
  }
  const text = objectOutputText(editor, items, names as string[]);
  if (!text) return 'an output could not be moved under `properties` as written';
  const first = items[0]!;
  const dash = editor.text.lastIndexOf('-', first.range![0]);
  editor.replaceRange(editor.lineStart(dash), editor.lineEnd(items.at(-1)!.range![1] - 1), text);
  done.add(id);
  return undefined;
}

function nameOf(editor: YamlEditor, map: YAMLMap): string | undefined {
  const v = editor.pair(map, 'name')?.value;
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
}

/** The replacement lines: `- type: object`, `properties:`, then each output under its name. */
function objectOutputText(editor: YamlEditor, items: YAMLMap[], names: string[]): string | undefined {
  const src = editor.text;
  const firstDash = src.lastIndexOf('-', items[0]!.range![0]);
  const column = firstDash - editor.lineStart(firstDash);
  const pad = (n: number) => ' '.repeat(n);
  const out = [`${pad(column)}- type: object`, `${pad(column)}  properties:`];
  let previousEnd: number | undefined;
  for (const [i, item] of items.entries()) {
    const dash = src.lastIndexOf('-', item.range![0]);
    const start = editor.lineStart(dash);
    // Comment lines between two outputs stay, moved with the next one.
    if (previousEnd !== undefined) out.push(...between(src, previousEnd, start).map((l) => (l.trim() ? `${pad(4)}${l}` : l)));
    const key = `${pad(column + 4)}${scalarText(names[i])}:`;
    if (item.flow) {
      const { name: _name, ...rest } = item.toJSON() as Record<string, unknown>;
      if (Object.values(rest).some((v) => v !== null && typeof v === 'object')) return undefined;
      out.push(`${key} ${flowText(rest)}`);
    } else {
      const lines = blockLines(editor, item, dash, start);
      if (!lines) return undefined;
      out.push(key, ...lines.map((l) => (l.trim() ? `${pad(column + 6 - lines.indent)}${l}` : l)));
    }
    previousEnd = editor.lineEnd(item.range![1] - 1);
  }
  return out.join(editor.lineBreak);
}

/** The lines strictly between the end of one item and the start of the next. */
function between(src: string, end: number, start: number): string[] {
  const text = src.slice(end, start).replace(/^\r?\n/, '').replace(/\r?\n$/, '');
  return text ? text.split(/\r?\n/) : [];
}

/**
 * The item's lines without its `name` line, with the dash blanked (so every line keeps its
 * column), and the column of its keys (`indent`).
 */
function blockLines(editor: YamlEditor, item: YAMLMap, dash: number, start: number): (string[] & { indent: number }) | undefined {
  const name = editor.pair(item, 'name') as Pair<Node, Node | null>;
  const nameStart = editor.lineStart(name.key.range![0]);
  const nameEnd = editor.lineEnd((name.value?.range ?? name.key.range!)[1] - 1);
  const firstKey = (item.items[0]!.key as Node).range![0];
  const indent = firstKey - editor.lineStart(firstKey);
  const src = editor.text;
  const end = editor.lineEnd(item.range![1] - 1);
  const text = `${src.slice(start, dash)} ${src.slice(dash + 1, end)}`;
  const lines: string[] = [];
  let offset = start;
  for (const line of text.split(/\r?\n/)) {
    const lineEnd = offset + line.length;
    const inName = offset >= nameStart && lineEnd <= nameEnd;
    // A name sharing its line with another key cannot be dropped by lines.
    if (!inName && offset <= name.key.range![0] && name.key.range![0] < lineEnd) return undefined;
    if (!inName) lines.push(line);
    offset = lineEnd + (src[lineEnd] === '\r' ? 2 : 1);
  }
  return Object.assign(lines, { indent });
}
