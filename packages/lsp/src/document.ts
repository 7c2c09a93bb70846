/**
 * What the language server reads from one open capability: the node under the cursor (as a
 * path), the consumed operations with their positions, and the inputs each one takes.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** A 0-based line/character position (LSP). */
export interface Position {
  line: number;
  character: number;
}
/** A 0-based range (LSP). */
export interface Range {
  start: Position;
  end: Position;
}

/** The node under the cursor: its path, and whether the cursor is on a mapping key. */
export interface Cursor {
  path: (string | number)[];
  onKey: boolean;
  node?: Node;
}

/** A consumed operation: `namespace.name`, where it is declared and the inputs it takes. */
export interface ConsumedOperation {
  target: string;
  range: Range;
  inputs: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** One open document, parsed once per version. */
export class OpenDocument {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();
  readonly value: unknown;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false });
    this.value = this.doc.toJS();
  }

  offsetOf(p: Position): number {
    const start = this.lines.lineStarts[p.line] ?? this.text.length;
    return Math.min(start + p.character, this.text.length);
  }

  rangeOf(start: number, end: number): Range {
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(end);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  }

  /** The deepest node whose range holds `offset`, with its path. */
  cursor(offset: number): Cursor {
    const path: (string | number)[] = [];
    let node: unknown = this.doc.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && within(p.key as Node, offset, p.value as Node | null));
        if (!pair || !isScalar(pair.key)) return { path, onKey: false, node: node as Node };
        path.push(String(pair.key.value));
        if (inRange(pair.key as Node, offset)) return { path, onKey: true, node: pair.key as Node };
        if (!pair.value) return { path, onKey: false };
        node = pair.value;
      } else if (isSeq(node)) {
        const i = node.items.findIndex((item) => inRange(item as Node, offset));
        if (i < 0) return { path, onKey: false, node: node as Node };
        path.push(i);
        node = node.items[i];
      } else {
        return { path, onKey: false, node: node as Node };
      }
    }
  }

  /** Every consumed operation declared in this file. */
  consumedOperations(): ConsumedOperation[] {
    const root = this.value;
    const out: ConsumedOperation[] = [];
    const apis: Array<[unknown, (string | number)[]]> = [
      [isObj(root) ? root.consumes : undefined, ['consumes']],
      [isObj(root) && isObj(root.capability) ? root.capability.consumes : undefined, ['capability', 'consumes']],
    ];
    for (const [entries, base] of apis) {
      list(entries).forEach((api, a) => {
        if (!isObj(api) || typeof api.namespace !== 'string') return;
        list(api.resources).forEach((res, r) => {
          if (!isObj(res)) return;
          const placeholders = [...String(res.path ?? '').matchAll(/\{\{?([^{}]+)\}?\}/g)].map((m) => m[1]!);
          list(res.operations).forEach((op, o) => {
            if (!isObj(op) || typeof op.name !== 'string') return;
            const names = [...list(api.inputParameters), ...list(res.inputParameters), ...list(op.inputParameters)].flatMap((p) => (isObj(p) && typeof p.name === 'string' ? [p.name] : []));
            const key = this.doc.getIn([...base, a, 'resources', r, 'operations', o, 'name'], true) as Node | undefined;
            const range = key?.range ? this.rangeOf(key.range[0], key.range[1]) : this.rangeOf(0, 0);
            out.push({ target: `${api.namespace}.${op.name}`, range, inputs: [...new Set([...placeholders, ...names])] });
          });
        });
      });
    }
    return out;
  }

  /** The value at `path` in the parsed document. */
  valueAt(path: readonly (string | number)[]): unknown {
    return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[String(k)] : undefined), this.value);
  }
}

function inRange(node: Node | null | undefined, offset: number): boolean {
  return !!node?.range && offset >= node.range[0] && offset <= node.range[1];
}

/** A pair holds `offset` from its key's start to its value's end. */
function within(key: Node, offset: number, value: Node | null): boolean {
  const start = key.range?.[0] ?? Infinity;
  const end = value?.range?.[1] ?? key.range?.[1] ?? -1;
  return offset >= start && offset <= end;
}
