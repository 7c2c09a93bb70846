/**
 * Diagnostics: the one shape every problem Capstan finds in a spec takes, from YAML syntax
 * to compiler checks, so the CLI, editors and CI all read the same thing.
 */

/**
 * How bad a finding is. `error` stops a capability from loading; `warning` does not (unless
 * `--strict`); `info` says what Capstan does beyond the reference engine, never promoted.
 */
export type Severity = 'error' | 'warning' | 'info';

/** A 1-based line/column span in a source file. */
export interface SourceSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One finding about one place in one file. */
export interface Diagnostic extends SourceSpan {
  /** Path of the file as the user gave it. */
  file: string;
  severity: Severity;
  /** Stable machine-readable code, e.g. `unknown-key`, `bad-call-target`. */
  code: string;
  /** One line saying what is wrong. */
  message: string;
  /** What was expected there, when knowable. */
  expected?: string;
  /** How to fix it, when knowable. */
  fix?: string;
  /**
   * Where in the parsed document the finding is (keys and list indices), when it is about one
   * node; with `code`, what tools such as `capstan fix` act on.
   */
  path?: (string | number)[];
}

/** Raised when a spec cannot be loaded or compiled; carries every diagnostic found. */
export class SpecError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n'));
    this.name = 'SpecError';
  }
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders diagnostics by file, then position, errors before warnings at the same place. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/** Turns every warning into an error (what `--strict` means). */
export function promoteWarnings(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' } : d));
}

/**
 * Renders a diagnostic for a terminal: `file:line:col: severity[code]: message`, the source
 * line with a caret under the span, then `expected:` and `fix:` lines.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const out = [`${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`];
  if (d.severity === 'info') return out[0]!; // a note, not a problem to point at
  const lineText = sourceText?.split(/\r?\n/)[d.line - 1];
  if (lineText !== undefined) {
    const gutter = String(d.line);
    const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, lineText.length - d.column + 1);
    out.push(`  ${gutter} | ${lineText}`);
    out.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(width)}`);
  }
  if (d.expected) out.push(`  expected: ${d.expected}`);
  if (d.fix) out.push(`  fix: ${d.fix}`);
  return out.join('\n');
}

/** The fields an editor or CI needs, in a stable order (what `--format json` prints). */
export function diagnosticToJson(d: Diagnostic): Record<string, unknown> {
  return {
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.expected !== undefined ? { expected: d.expected } : {}),
    fix: d.fix ?? null,
  };
}
