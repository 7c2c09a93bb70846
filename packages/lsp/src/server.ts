/**
 * `capstan lsp`: a language server over stdio. Publishes Capstan's full diagnostics (schema,
 * compiler, lint) as the document changes; hovers from the schema's descriptions; completes
 * `call:` targets, `with` keys and `<namespace>.` references; jumps from a `call` to the
 * consumed operation it names.
 */
import { fileURLToPath } from 'node:url';
import { lintText, loadRuleset } from '@capstan/authoring';
import { checkSpec, declaredGeneration, type Diagnostic as CapstanDiagnostic } from '@capstan/spec';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind, createConnection, DiagnosticSeverity, MarkupKind, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CompletionItem, type Connection, type Diagnostic,
} from 'vscode-languageserver/node';
import { OpenDocument } from './document.js';
import { describePath } from './schema-docs.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;
/** Wait this long after the last keystroke before re-checking. */
const DEBOUNCE_MS = 150;

const toLsp = (d: { line: number; column: number; endLine: number; endColumn: number; severity: keyof typeof SEVERITY; message: string }, code: string, extra = ''): Diagnostic => ({
  range: { start: { line: d.line - 1, character: d.column - 1 }, end: { line: d.endLine - 1, character: d.endColumn - 1 } },
  severity: SEVERITY[d.severity],
  code,
  source: 'capstan',
  message: `${d.message}${extra}`,
});

/** Starts the server on this process's stdin/stdout; resolves never (the client ends it). */
export function startLanguageServer(): Connection {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const documents = new TextDocuments(TextDocument);
  const rulesetReady = loadRuleset();
  const timers = new Map<string, NodeJS.Timeout>();

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      completionProvider: { triggerCharacters: [' ', '.', ':'] },
    },
    serverInfo: { name: 'capstan' },
  }));

  const publish = async (doc: TextDocument) => {
    const file = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
    const text = doc.getText();
    const checked = checkSpec(file, { text }).diagnostics.filter((d: CapstanDiagnostic) => d.file === file);
    const linted = checked.some((d) => d.severity === 'error' && d.code.startsWith('yaml')) ? [] : await lintText(file, text, await rulesetReady);
    const diagnostics = [
      ...checked.map((d) => toLsp(d, d.code, d.fix ? ` (fix: ${d.fix})` : '')),
      ...linted.filter((f) => f.rule !== 'parser').map((f) => toLsp(f, f.rule)),
    ];
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };
  documents.onDidChangeContent(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.set(document.uri, setTimeout(() => void publish(document).catch((err: Error) => connection.console.error(err.stack ?? err.message)), DEBOUNCE_MS));
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  const open = (uri: string) => {
    const doc = documents.get(uri);
    return doc ? { doc, parsed: new OpenDocument(doc.getText()) } : undefined;
  };

  connection.onHover(({ textDocument, position }) => {
    const o = open(textDocument.uri);
    if (!o) return null;
    const { path } = o.parsed.cursor(o.parsed.offsetOf(position));
    const text = path.length ? describePath(path, declaredGeneration(o.parsed.valueAt([])) ?? 'alpha2') : undefined;
    return text ? { contents: { kind: MarkupKind.Markdown, value: text } } : null;
  });

  connection.onCompletion(({ textDocument, position }) => {
    const o = open(textDocument.uri);
    if (!o) return [];
    const line = o.doc.getText({ start: { line: position.line, character: 0 }, end: position });
    const operations = o.parsed.consumedOperations();
    if (/^\s*(?:-\s*)?call:\s*\S*$/.test(line)) {
      return operations.map<CompletionItem>((op) => ({ label: op.target, kind: CompletionItemKind.Function, detail: `inputs: ${op.inputs.join(', ') || 'none'}` }));
    }
    const { path } = o.parsed.cursor(o.parsed.offsetOf(position));
    const withAt = path.lastIndexOf('with');
    if (withAt < 0 && !/^\s+[\w-]*$/.test(line)) return [];
    const unitPath = withAt >= 0 ? path.slice(0, withAt) : path.slice(0, -1);
    const unit = o.parsed.valueAt(unitPath) as Record<string, unknown> | undefined;
    const target = operations.find((op) => op.target === unit?.call);
    const adapterNs = o.parsed.valueAt(path.slice(0, 3).concat('namespace'));
    if (/:\s*\S*$/.test(line) && typeof adapterNs === 'string') {
      // A `with` value: the caller's inputs, as `<adapter-namespace>.<input>`.
      const inputs = Array.isArray(unit?.inputParameters) ? (unit.inputParameters as Array<{ name?: unknown }>).map((p) => String(p.name)) : [];
      return inputs.map<CompletionItem>((name) => ({ label: `${adapterNs}.${name}`, kind: CompletionItemKind.Variable }));
    }
    return (target?.inputs ?? []).map<CompletionItem>((name) => ({ label: name, kind: CompletionItemKind.Field, insertText: `${name}: ` }));
  });

  connection.onDefinition(({ textDocument, position }) => {
    const o = open(textDocument.uri);
    if (!o) return null;
    const { path } = o.parsed.cursor(o.parsed.offsetOf(position));
    if (path.at(-1) !== 'call' && path.at(-1) !== 'ref') return null;
    const target = o.parsed.valueAt(path);
    const op = o.parsed.consumedOperations().find((c) => c.target === target);
    return op ? { uri: textDocument.uri, range: op.range } : null;
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
