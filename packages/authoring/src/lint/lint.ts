/** Runs Capstan's Spectral ruleset over capability files and positions each finding like `validate`. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, Spectral, type ISpectralDiagnostic, type Ruleset } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { Resolver } from '@stoplight/spectral-ref-resolver';
import { parseSource, type SourceSpan } from '@capstan/spec';

/** How bad a lint finding is, from Spectral's four levels. */
export type LintSeverity = 'error' | 'warning' | 'info' | 'hint';
/** Lint severities from most to least severe. */
export const LINT_SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'info', 'hint'];

/** One rule's finding at one place in one file. */
export interface LintFinding extends SourceSpan {
  file: string;
  severity: LintSeverity;
  /** The rule's name, e.g. `naftiko-namespaces-unique`. */
  rule: string;
  message: string;
  /** Where in the document the finding points. */
  path: (string | number)[];
}

// The parsers package is CommonJS without named-export hints.
const { Yaml } = spectralParsers;
const FROM_SPECTRAL: Record<number, LintSeverity> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'hint' };

/** Lints one document's text. YAML that does not parse gives one `parser` error. */
export async function lintText(file: string, text: string, ruleset: Ruleset): Promise<LintFinding[]> {
  const parsed = parseSource(file, resolve(file), text);
  const source = parsed.document;
  if (!source) {
    return parsed.diagnostics.map((d) => ({ ...d, severity: 'error' as const, rule: 'parser', path: [] }));
  }
  // No resolver: linting must never read other files or the network for a `$ref`.
  const spectral = new Spectral({ resolver: new Resolver({ resolvers: {} }) });
  spectral.setRuleset(ruleset);
  const results = await spectral.run(new Document(text, Yaml, file));
  return results
    .filter((r) => r.code !== 'parser' && r.code !== 'invalid-ref')
    .map((r: ISpectralDiagnostic) => {
      const path = normalisePath(source.value, r.path);
      return { file, ...source.locate(path, 'key'), severity: FROM_SPECTRAL[r.severity] ?? 'error', rule: String(r.code), message: r.message, path };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/** The path with list indices as numbers (Spectral may give them as strings). */
function normalisePath(root: unknown, path: readonly (string | number)[]): (string | number)[] {
  let node = root;
  return path.map((p) => {
    const segment = Array.isArray(node) && typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : p;
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(segment)] : undefined;
    return segment;
  });
}

/** Lints one file on disk; an unreadable file is one `unreadable-file` error. */
export async function lintFile(file: string, ruleset: Ruleset): Promise<LintFinding[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return [{ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', rule: 'unreadable-file', message: `cannot read the file: ${(err as Error).message}`, path: [] }];
  }
  return lintText(file, text, ruleset);
}

/** True when a finding is at least as severe as `threshold`. */
export function reaches(severity: LintSeverity, threshold: LintSeverity): boolean {
  return LINT_SEVERITIES.indexOf(severity) <= LINT_SEVERITIES.indexOf(threshold);
}
