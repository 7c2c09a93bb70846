/**
 * How `capstan validate` prints findings. Text: every error in full; warnings of one kind (code)
 * grouped into one line with the count and the first location, unless verbose. JSON: one object
 * per diagnostic, written as it is produced (a large file's output is never held as one string).
 */
import { diagnosticToJson, formatDiagnostic, type Diagnostic } from '@capstan/spec';
import type { Io } from '../io.js';

/** Text for one file's diagnostics: errors in full, then warnings grouped by kind (or each, verbose). */
export function writeText(io: Io, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, verbose: boolean): void {
  const full = (d: Diagnostic) => io.stdout.write(`${formatDiagnostic(d, sources.get(d.file))}\n\n`);
  const warnings = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.severity === 'error' || verbose) full(d);
    else warnings.set(d.code, [...(warnings.get(d.code) ?? []), d]);
  }
  for (const [code, group] of warnings) {
    const first = group[0]!;
    if (group.length === 1) full(first);
    else io.stdout.write(`${first.file}:${first.line}:${first.column}: warning[${code}] ×${group.length} (first here; --verbose lists each): ${first.message}\n${first.fix ? `  fix: ${first.fix}\n` : ''}\n`);
  }
}

/** A JSON array written one diagnostic at a time across files. */
export class JsonStream {
  private count = 0;

  constructor(private readonly io: Io) {
    io.stdout.write('[');
  }

  write(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) this.io.stdout.write(`${this.count++ ? ',' : ''}\n${JSON.stringify(diagnosticToJson(d))}`);
  }

  end(): void {
    this.io.stdout.write(`${this.count ? '\n' : ''}]\n`);
  }
}
