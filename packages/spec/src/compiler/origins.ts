/**
 * Where graph nodes come from (`origin`: file, line, column). Positions are computed on first
 * read, from the parsed document. A compiled graph would keep every document it came from alive
 * through its origins (its text, the parsed value, the syntax tree once a position was asked
 * for); once the diagnostics are out, `releaseSource` lets them go: a position asked for later
 * is found by reading and parsing the file again.
 */
import type { SourceSpan } from '../diagnostics.js';
import { loadBeta5 } from '../generations/beta5/front-end.js';
import { declaredGeneration } from '../generations/index.js';
import type { CapabilityGraph, Origin } from '../graph.js';
import { readTextFile } from '../read-text.js';
import { parseSource, type PathSegment, type SourceDocument } from '../source.js';

/** One source document as the origins of one compilation see it. */
interface SourceHandle {
  readonly file: string;
  readonly absPath: string;
  /** The parsed document, until released. */
  doc: SourceDocument | undefined;
}

/** Makes the origins of one compilation; `release` drops their documents. */
export class OriginFactory {
  private readonly handles = new Map<SourceDocument, SourceHandle>();

  /** The origin of the node at `path` in `doc`. */
  origin(doc: SourceDocument, path: readonly PathSegment[]): Origin {
    let handle = this.handles.get(doc);
    if (!handle) {
      handle = { file: doc.file, absPath: doc.absPath, doc };
      this.handles.set(doc, handle);
    }
    return new LazyOrigin(handle, path);
  }

  /** Drops the parsed documents (origins keep each file's name). */
  release(): void {
    for (const handle of this.handles.values()) handle.doc = undefined;
    this.handles.clear();
  }
}

/**
 * An origin whose position is found on first read. A class rather than an object literal with
 * getters: a graph has one per node, and the literal costs about ten times the memory. Frozen
 * like the rest of the graph; the position cache is a private field, which freezing leaves alone.
 */
class LazyOrigin implements Origin {
  readonly file: string;
  readonly #source: SourceHandle;
  readonly #path: readonly PathSegment[];
  #span: SourceSpan | undefined;

  constructor(source: SourceHandle, path: readonly PathSegment[]) {
    this.file = source.file;
    this.#source = source;
    this.#path = path;
    Object.freeze(this);
  }

  get line(): number {
    return this.#at().line;
  }

  get column(): number {
    return this.#at().column;
  }

  #at(): SourceSpan {
    return (this.#span ??= locate(this.#source, this.#path));
  }
}

const factories = new WeakMap<CapabilityGraph, OriginFactory>();

/** Records which factory made a graph's origins, for `releaseSource`. */
export function trackOrigins(graph: CapabilityGraph, factory: OriginFactory): void {
  factories.set(graph, factory);
}

/**
 * Lets a compiled graph's source documents go once its diagnostics are out (what `capstan run`
 * does): origins still answer, by parsing the kept text again on a later read.
 */
export function releaseSource(graph: CapabilityGraph): void {
  factories.get(graph)?.release();
  factories.delete(graph);
}

function locate(source: SourceHandle, path: readonly PathSegment[]): SourceSpan {
  const doc = source.doc ?? reparse(source);
  // A file gone or unreadable since: its first line, rather than no answer.
  return doc ? doc.locate(path) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** The document the loader makes of the file: alpha2 as parsed, beta5 in the alpha2 model. */
function reparse(source: SourceHandle): SourceDocument | undefined {
  let text: string;
  try {
    text = readTextFile(source.absPath);
  } catch {
    return undefined;
  }
  const doc = parseSource(source.file, source.absPath, text).document;
  if (!doc) return undefined;
  return declaredGeneration(doc.value) === 'beta5' ? loadBeta5(doc).document : doc;
}
