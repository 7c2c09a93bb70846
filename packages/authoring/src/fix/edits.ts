/**
 * Minimal text edits on a YAML file, placed with the `yaml` Document API's node ranges: rename a
 * key, delete a key, add a key after another. Only the edited lines change, so comments, key
 * order, quoting and layout elsewhere stay exactly as written (re-printing the whole document
 * would not keep them).
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** Replace `[start, end)` of the text by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A parsed YAML file and the edits planned on it. */
export class YamlEditor {
  readonly doc: Document.Parsed;
  private readonly edits: TextEdit[] = [];
  private readonly pendingLists = new Map<string, { mapPath: readonly (string | number)[]; key: string; items: string[] }>();
  private readonly pendingMaps = new Map<string, { mapPath: readonly (string | number)[]; key: string; after?: string; entries: Record<string, unknown> }>();
  /** The file's line ending, kept in inserted lines. */
  private readonly eol: string;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { uniqueKeys: false });
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The mapping at `path`, if that is one. */
  mapAt(path: readonly (string | number)[]): YAMLMap | undefined {
    const node = path.length ? this.doc.getIn(path, true) : this.doc.contents;
    return isMap(node) ? node : undefined;
  }

  /** The pair of `map` whose key is `key`. */
  pair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
    return map.items.find((p): p is Pair<Node, Node | null> => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  }

  /** Renames a key in place. */
  renameKey(pair: Pair<Node, Node | null>, to: string): void {
    const [start, end] = pair.key.range!;
    this.edits.push({ start, end, text: to });
  }

  /** Removes a key and its value (a first key on a `- ` line hands the line to the next key). */
  deleteKey(map: YAMLMap, pair: Pair<Node, Node | null>): void {
    const start = pair.key.range![0];
    const valueEnd = (pair.value?.range ?? pair.key.range!)[1];
    if (map.flow) {
      // Take the comma before the pair (the one after only for a first pair), so that deleting
      // neighbouring pairs never claims the same comma twice.
      const before = /,\s*$/.exec(this.text.slice(0, start));
      const after = /^\s*,\s*/.exec(this.text.slice(valueEnd));
      if (before) this.edits.push({ start: start - before[0].length, end: valueEnd, text: '' });
      else this.edits.push({ start, end: valueEnd + (after ? after[0].length : 0), text: '' });
      return;
    }
    const lineStart = this.lineStart(start);
    const end = this.lineEnd(valueEnd - 1);
    if (/^\s*$/.test(this.text.slice(lineStart, start))) {
      this.edits.push({ start: lineStart, end: Math.min(this.text.length, end + this.eol.length), text: '' });
      return;
    }
    const next = map.items[map.items.indexOf(pair) + 1];
    if (next && isScalar(next.key)) this.edits.push({ start, end: next.key.range![0], text: '' });
    else this.edits.push({ start, end, text: '{}' });
  }

  /**
   * Turns a key and its value into comment lines where they were, under a one-line `note`: the
   * data loses the key, the reader keeps its text. A key in a flow mapping is only removed.
   */
  commentOutKey(map: YAMLMap, pair: Pair<Node, Node | null>, note: string): void {
    if (map.flow) return this.deleteKey(map, pair);
    const start = pair.key.range![0];
    const lineStart = this.lineStart(start);
    const end = this.lineEnd((pair.value?.range ?? pair.key.range!)[1] - 1);
    const ownLine = /^\s*$/.test(this.text.slice(lineStart, start));
    // On a `- ` line the comment goes above the item, at the dash.
    const column = ownLine ? start - lineStart : this.text.slice(lineStart, start).search(/\S/);
    const lines = this.commentLines(start, end, column, note);
    if (ownLine) {
      this.edits.push({ start: lineStart, end, text: lines });
      return;
    }
    this.edits.push({ start: lineStart, end: lineStart, text: `${lines}${this.eol}` });
    this.deleteKey(map, pair);
  }

  /**
   * Turns item `index` of a sequence into comment lines where it was, under a one-line `note`
   * (an item of a flow sequence is only removed).
   */
  commentOutItem(seq: YAMLSeq, index: number, note: string): void {
    const item = seq.items[index] as Node | undefined;
    if (!item?.range) return;
    if (seq.flow) {
      const before = /,\s*$/.exec(this.text.slice(0, item.range[0]));
      const after = /^\s*,\s*/.exec(this.text.slice(item.range[1]));
      if (before) this.edits.push({ start: item.range[0] - before[0].length, end: item.range[1], text: '' });
      else this.edits.push({ start: item.range[0], end: item.range[1] + (after ? after[0].length : 0), text: '' });
      return;
    }
    const dash = this.text.lastIndexOf('-', item.range[0]);
    const lineStart = this.lineStart(dash);
    const end = this.lineEnd(item.range[1] - 1);
    if (!/^\s*$/.test(this.text.slice(lineStart, dash))) return; // a nested `- - x` item: left as is
    this.edits.push({ start: lineStart, end, text: this.commentLines(dash, end, dash - lineStart, note) });
  }

  /** The text `[start, end)` as comment lines at `column`, the first one led by `note`. */
  private commentLines(start: number, end: number, column: number, note: string): string {
    const pad = ' '.repeat(column);
    return this.text.slice(start, end).split(/\r?\n/).map((line, i) => {
      if (i === 0) return `${pad}# ${note}: ${line.trimEnd()}`;
      const body = line.slice(Math.min(column, line.search(/\S|$/)));
      return body.trim() ? `${pad}#   ${body.trimEnd()}` : `${pad}#`;
    }).join(this.eol);
  }

  /** Adds `key: value` after `anchor` (or as the last key) of `map`, at the map's indentation. */
  insertKey(map: YAMLMap, key: string, value: unknown, anchor?: Pair<Node, Node | null>, raw = false): void {
    const text = `${key}: ${raw ? String(value) : scalarText(value)}`;
    const after = anchor ?? (map.items.at(-1) as Pair<Node, Node | null> | undefined);
    if (map.flow || !after) {
      const at = after ? (after.value?.range ?? after.key.range!)[1] : map.range![0] + 1;
      this.edits.push({ start: at, end: at, text: after ? `, ${text}` : ` ${text} ` });
      return;
    }
    const firstKey = (map.items[0]!.key as Node).range![0];
    const indent = firstKey - this.lineStart(firstKey);
    const at = this.lineEnd((after.value?.range ?? after.key.range!)[1] - 1);
    this.edits.push({ start: at, end: at, text: `${this.eol}${' '.repeat(indent)}${text}` });
  }

  /** Replaces a scalar value in place. */
  replaceValue(node: Node, value: unknown): void {
    const [start, end] = node.range!;
    this.edits.push({ start, end, text: scalarText(value) });
  }

  /** Adds an item (written as one flow line) at the end of a sequence. */
  appendItem(seq: YAMLSeq, item: string): void {
    if (seq.flow || seq.items.length === 0) {
      const close = seq.range![1] - 1;
      this.edits.push({ start: close, end: close, text: seq.items.length ? `, ${item}` : item });
      return;
    }
    const first = (seq.items[0] as Node).range![0];
    const dash = this.text.lastIndexOf('-', first);
    const indent = dash - this.lineStart(dash);
    const at = this.lineEnd(((seq.items.at(-1) as Node).range ?? seq.range!)[1] - 1);
    this.edits.push({ start: at, end: at, text: `${this.eol}${' '.repeat(indent)}- ${item}` });
  }

  /** Adds an item to the list under `key` of the mapping at `mapPath`, creating the list once if needed. */
  addListItem(mapPath: readonly (string | number)[], key: string, item: string): void {
    const id = JSON.stringify([...mapPath, key]);
    const pending = this.pendingLists.get(id) ?? { mapPath, key, items: [] };
    pending.items.push(item);
    this.pendingLists.set(id, pending);
  }

  /**
   * Adds `entry: value` to the mapping under `key` of the mapping at `mapPath`, creating that
   * mapping once (in flow style, after the key `after`) if needed.
   */
  addMapEntry(mapPath: readonly (string | number)[], key: string, entry: string, value: unknown, after?: string): void {
    const id = JSON.stringify([...mapPath, key]);
    const pending = this.pendingMaps.get(id) ?? { mapPath, key, after, entries: {} };
    pending.entries[entry] = value;
    this.pendingMaps.set(id, pending);
  }

  private flushMaps(): void {
    for (const { mapPath, key, after, entries } of this.pendingMaps.values()) {
      const target = this.doc.getIn([...mapPath, key], true);
      const map = this.mapAt(mapPath);
      if (isMap(target)) for (const [k, v] of Object.entries(entries)) this.insertKey(target, k, v);
      else if (map) this.insertKey(map, key, flowText(entries), after ? this.pair(map, after) : undefined, true);
    }
    this.pendingMaps.clear();
  }

  private flushLists(): void {
    for (const { mapPath, key, items } of this.pendingLists.values()) {
      const seq = this.doc.getIn([...mapPath, key], true);
      const map = this.mapAt(mapPath);
      if (isSeq(seq)) for (const item of items) this.appendItem(seq, item);
      else if (map) this.insertKey(map, key, `[${items.join(', ')}]`, undefined, true);
    }
    this.pendingLists.clear();
  }

  /**
   * Runs `plan` (which adds edits) as one unit: when one of its edits overlaps an edit planned
   * before, its edits are dropped and false is returned (the caller retries on the next pass,
   * over the edited text).
   */
  transaction(plan: () => string | undefined): string | undefined | false {
    const before = this.edits.length;
    const why = plan();
    const earlier = this.edits.slice(0, before);
    const overlaps = this.edits.slice(before).some((a) => earlier.some((b) => (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end && a.start !== a.end)));
    if (!overlaps) return why;
    this.edits.length = before;
    return false;
  }

  /** The text with every planned edit applied (later offsets first, so earlier ones stay valid). */
  result(): string {
    this.flushLists();
    this.flushMaps();
    let out = this.text;
    let applied = Infinity;
    for (const e of [...this.edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
      const end = Math.min(e.end, applied); // an overlap with a later edit is already done
      out = out.slice(0, e.start) + e.text + out.slice(end);
      applied = e.start;
    }
    return out;
  }

  /** Replaces `[start, end)` of the original text (offsets from the Document API's ranges). */
  replaceRange(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  /** The line ending kept in inserted lines. */
  get lineBreak(): string {
    return this.eol;
  }

  /** Offset of the start of the line that holds `offset`. */
  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset of the line ending after the line that holds `offset` (or the end of the text). */
  lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', Math.max(0, offset));
    if (i < 0) return this.text.length;
    return this.text[i - 1] === '\r' ? i - 1 : i;
  }
}

/** A scalar as it would be written in block YAML (quoted only when needed). */
export function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** A mapping written on one line in flow style, e.g. `{ name: id, in: query }`. */
export function flowText(value: Record<string, unknown>): string {
  // Plain text with a flow indicator (`,`, `[`, `{`, `: `, ` #`) would end the value early: quote it.
  const text = (v: unknown) => (typeof v === 'string' && /[,[\]{}]|: | #|^[\s"'&*!|>%@`-]|\s$/.test(v) ? JSON.stringify(v) : stringify(v, { lineWidth: 0, flowCollectionPadding: false }).trimEnd());
  return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${text(v)}`).join(', ')} }`;
}
