/**
 * Parses YAML/JSON text into a plain value that can be mapped back to lines and columns.
 *
 * Two parsers, for speed: js-yaml (several times faster) reads the value and rejects duplicate
 * keys, tabs and multiple documents; the `yaml` package, which keeps node ranges, builds the
 * syntax tree only when a position is first asked for, and gives the precise diagnostics when
 * js-yaml rejects the text.
 */
import { CORE_SCHEMA, load as fastLoad } from 'js-yaml';
import type { LineCounter, Document, Node as YamlNode } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import type { Diagnostic, SourceSpan } from './diagnostics.js';
import { fastLocator } from './positions.js';

/** A step into a parsed value: a mapping key or a sequence index. */
export type PathSegment = string | number;

/** A parsed source file whose value can be located by path. */
export interface SourceDocument {
  /** The path as the user gave it (used in diagnostics). */
  readonly file: string;
  /** The absolute path (used to resolve relative locations). */
  readonly absPath: string;
  readonly text: string;
  /** The parsed plain value (objects, arrays, scalars). */
  readonly value: unknown;
  /**
   * The span of the node at `path`; with `part: 'key'`, the span of the mapping key that holds
   * it. A path that leads nowhere resolves to the deepest node that exists on it.
   */
  locate(path: readonly PathSegment[], part?: 'key' | 'value'): SourceSpan;
}

/** The outcome of parsing: a document when the text is usable, and the problems found. */
export interface ParseResult {
  document?: SourceDocument;
  diagnostics: Diagnostic[];
}

const YAML_FIXES: Record<string, { message?: (m: string) => string; fix: string }> = {
  DUPLICATE_KEY: { message: (m) => m.replace(/^Map keys must be unique.*/, 'duplicate key in the same mapping'), fix: 'keep one of the two entries; a later duplicate would silently replace the first in other tools' },
  TAB_AS_INDENT: { message: () => 'tab character used for indentation', fix: 'indent with spaces; YAML does not allow tabs for indentation' },
  BAD_INDENT: { fix: 'align this line with its siblings (use spaces, usually 2 per level)' },
  MISSING_CHAR: { fix: 'close the quote, bracket or brace that was opened' },
  BLOCK_AS_IMPLICIT_KEY: { fix: 'check the indentation of this line and the one before; a nested block must be indented under its key' },
  MULTILINE_IMPLICIT_KEY: { fix: 'a key must fit on one line; check for a missing `:` or lost indentation' },
  UNEXPECTED_TOKEN: { fix: 'check the indentation and the characters around this position' },
};

/**
 * Parses `text` (YAML 1.2, which also reads JSON). Syntax errors, duplicate keys, tabs,
 * several documents in one file and a root that is not a mapping are reported as positioned
 * errors; no document is returned in those cases.
 */
export function parseSource(file: string, absPath: string, text: string): ParseResult {
  let value: unknown;
  try {
    value = fastLoad(text, { schema: CORE_SCHEMA, filename: file });
  } catch {
    return parseSlowly(file, absPath, text);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return parseSlowly(file, absPath, text);
  let tree: { doc: Document.Parsed; spanOf: (start: number, end: number) => SourceSpan } | undefined;
  const lazyTree = () => {
    if (!tree) {
      const lineCounter = new (yamlLib().LineCounter)();
      const doc = yamlLib().parseAllDocuments(text, { lineCounter, uniqueKeys: false }) as Document.Parsed[];
      tree = { doc: doc[0]!, spanOf: spanFunction(lineCounter) };
    }
    return tree;
  };
  const document = makeDocument(file, absPath, text, value, lazyTree);
  let fast: ReturnType<typeof fastLocator> | null = null;
  // Positions from js-yaml's node events, built on first use; the `yaml` tree when they do not fit.
  const locate: SourceDocument['locate'] = (path, part = 'value') => {
    if (fast === null) fast = fastLocator(file, text, value);
    return fast ? fast(path, part) : document.locate(path, part);
  };
  return { document: { ...document, locate }, diagnostics: [] };
}

function spanFunction(lineCounter: LineCounter): (start: number, end: number) => SourceSpan {
  return (start, end) => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start + 1, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
}

/** Full parse with the `yaml` package: precise diagnostics for whatever is wrong with the text. */
function parseSlowly(file: string, absPath: string, text: string): ParseResult {
  const lineCounter = new (yamlLib().LineCounter)();
  const docs = yamlLib().parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const spanOf = spanFunction(lineCounter);
  const diagnostics: Diagnostic[] = [];
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    for (const err of doc.errors) {
      const firstLine = err.message.split('\n')[0] ?? err.message;
      const span = spanOf(err.pos[0], err.pos[1]);
      if (/Implicit map keys need to be followed by map values/.test(firstLine)) {
        // Typical of a file whose lines were cut or whose indentation was lost.
        const token = text.slice(err.pos[0], err.pos[1]).trim();
        diagnostics.push({
          file, ...span, severity: 'error', code: 'yaml-key-without-value',
          message: `\`${token.length > 40 ? `${token.slice(0, 40)}…` : token}\` stands where a \`key: value\` line is expected, but no \`:\` follows it`,
          fix: 'complete the line as `key: value` (it may have been cut short), or remove it',
        });
        continue;
      }
      const known = YAML_FIXES[err.code];
      diagnostics.push({
        file,
        ...span,
        severity: 'error',
        code: `yaml-${err.code.toLowerCase().replace(/_/g, '-')}`,
        message: known?.message ? known.message(firstLine) : `YAML syntax: ${firstLine.replace(/ at line \d+, column \d+.*$/, '')}`,
        fix: known?.fix ?? 'fix the YAML syntax at this position',
      });
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  if (list.length > 1) {
    const second = list[1]!;
    const start = second.range?.[0] ?? 0;
    return {
      diagnostics: [{
        file, ...spanOf(start, start + 3), severity: 'error', code: 'multiple-documents',
        message: `the file holds ${list.length} YAML documents; a capability file holds exactly one`,
        fix: 'remove the `---` document separator, or split the documents into separate files',
      }],
    };
  }
  const doc = list[0];
  const root = doc?.contents;
  if (!doc || !root || (yamlLib().isScalar(root) && (root.value === null || root.value === ''))) {
    return { diagnostics: [{ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'empty-document', message: 'the file is empty', fix: 'start the file with `naftiko: 1.0.0-alpha2` and a `capability:` block' }] };
  }
  if (!yamlLib().isMap(root)) {
    const range = (root as YamlNode).range ?? [0, 1, 1];
    return {
      diagnostics: [{
        file, ...spanOf(range[0], range[1]), severity: 'error', code: 'root-not-mapping',
        message: `the document root is a ${yamlLib().isSeq(root) ? 'list' : 'scalar value'}; it must be a mapping`,
        expected: 'a mapping with `naftiko` and `capability` (or `consumes`) keys',
        fix: 'start the file with `naftiko: 1.0.0-alpha2` followed by a `capability:` block',
      }],
    };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return { document: makeDocument(file, absPath, text, value, () => ({ doc, spanOf })), diagnostics: [] };
}

/**
 * A document over an already parsed (and possibly reshaped) `yaml` syntax tree: its value is the
 * tree's current value, and `locate` follows the tree, whose nodes keep the ranges they were
 * parsed with. Front ends for other document generations reshape a tree this way and keep
 * positions in the author's file.
 */
export function documentFromTree(file: string, absPath: string, text: string, doc: Document.Parsed, lineCounter: LineCounter): SourceDocument {
  const spanOf = spanFunction(lineCounter);
  return makeDocument(file, absPath, text, doc.toJS({ maxAliasCount: 100 }) as unknown, () => ({ doc, spanOf }));
}

function makeDocument(
  file: string,
  absPath: string,
  text: string,
  value: unknown,
  tree: () => { doc: Document.Parsed; spanOf: (start: number, end: number) => SourceSpan },
): SourceDocument {
  return {
    file,
    absPath,
    text,
    value,
    locate(path, part = 'value') {
      const { doc, spanOf } = tree();
      const spanOfNode = (node: unknown): SourceSpan | undefined => {
        const range = (node as YamlNode | null)?.range;
        return range ? spanOf(range[0], range[1]) : undefined;
      };
      let node: unknown = doc.contents;
      let keyNode: unknown;
      let best: SourceSpan = spanOfNode(node) ?? { line: 1, column: 1, endLine: 1, endColumn: 2 };
      for (const segment of path) {
        let next: unknown;
        keyNode = undefined;
        if (yamlLib().isMap(node)) {
          const pair = node.items.find((p) => yamlLib().isPair(p) && yamlLib().isScalar(p.key) && String(p.key.value) === String(segment));
          if (pair) {
            keyNode = pair.key;
            next = pair.value ?? pair.key;
          }
        } else if (yamlLib().isSeq(node) && typeof segment === 'number') {
          next = node.items[segment];
        }
        if (next === undefined) return best;
        node = next;
        best = spanOfNode(node) ?? spanOfNode(keyNode) ?? best;
      }
      return (part === 'key' && keyNode ? spanOfNode(keyNode) : undefined) ?? best;
    },
  };
}
