/**
 * Fast source positions for a parsed document. Building the `yaml` package's syntax tree of a
 * 2 MB file takes seconds; js-yaml reports where each node opens and closes while it reads, which
 * gives the same spans for a fraction of the cost. The tree built here is checked against the
 * parsed value (a mapping has one key and one value frame per entry, a list one frame per item);
 * when it does not fit (merge keys, unusual forms), the caller falls back to the `yaml` tree.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import type { SourceSpan } from './diagnostics.js';
import type { PathSegment } from './source.js';

/** A node as js-yaml read it: where it opened and closed, and its children in order. */
interface Frame {
  start: number;
  end: number;
  kind: string | null;
  /** The scalar's text (for mapping keys). */
  key?: string;
  children: Frame[];
}

/** Locates paths in `text`; undefined when the fast tree does not fit the document. */
export function fastLocator(file: string, text: string, value: unknown): ((path: readonly PathSegment[], part: 'key' | 'value') => SourceSpan) | undefined {
  const root: Frame = { start: 0, end: text.length, kind: null, children: [] };
  const stack: Frame[] = [root];
  let fits = true;
  try {
    load(text, {
      schema: CORE_SCHEMA,
      filename: file,
      listener(type, state) {
        if (type === 'open') {
          stack.push({ start: state.position, end: state.position, kind: null, children: [] });
          return;
        }
        const frame = stack.pop()!;
        frame.end = state.position;
        frame.kind = state.kind;
        const result: unknown = state.result;
        if (state.kind === 'mapping') fits &&= frame.children.length === 2 * Object.keys(result as object).length;
        else if (state.kind === 'sequence') fits &&= frame.children.length === (result as unknown[]).length;
        else if (typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean') frame.key = String(result);
        stack[stack.length - 1]!.children.push(frame);
      },
    });
  } catch {
    return undefined;
  }
  const top = root.children[0];
  if (!fits || !top || top.kind !== 'mapping' || !value) return undefined;
  const lines = lineStarts(text);
  const spanOf = (frame: Frame): SourceSpan => {
    const start = skipBlank(text, frame.start, frame.end);
    let end = frame.end;
    while (end > start + 1 && /\s/.test(text[end - 1]!)) end--;
    const a = position(lines, start);
    const b = position(lines, Math.max(start + 1, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  return (path, part) => {
    let node = top;
    let keyFrame: Frame | undefined;
    let best = spanOf(node);
    for (const segment of path) {
      let next: Frame | undefined;
      keyFrame = undefined;
      if (node.kind === 'mapping') {
        for (let i = 0; i + 1 < node.children.length; i += 2) {
          if (node.children[i]!.key === String(segment)) {
            keyFrame = node.children[i];
            next = node.children[i + 1];
            break;
          }
        }
      } else if (node.kind === 'sequence' && typeof segment === 'number') {
        next = node.children[segment];
      }
      if (!next) return best;
      node = next;
      best = spanOf(node);
    }
    return part === 'key' && keyFrame ? spanOf(keyFrame) : best;
  };
}

/** The first offset at or after `from` that is not blank, a comment, or `-`/`:` punctuation before a value. */
function skipBlank(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') while (i < to && text[i] !== '\n') i++;
    else break;
  }
  return i < to ? i : from;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset. */
function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
