/** Lint output: text like `validate`, a JSON array, or SARIF 2.1.0 for code-scanning tools. */
import { relative } from 'node:path';
import { formatDiagnostic } from '@capstan/spec';
import type { Ruleset } from '@stoplight/spectral-core';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { LintFinding } from './lint.js';

/** `file:line:col: severity[rule]: message`, the source line with a caret under the span. */
export function formatFinding(f: LintFinding, sourceText?: string): string {
  const rendered = formatDiagnostic({ ...f, severity: f.severity === 'error' ? 'error' : 'warning', code: f.rule }, sourceText).split('\n');
  rendered[0] = `${f.file}:${f.line}:${f.column}: ${f.severity}[${f.rule}]: ${f.message}`;
  return rendered.join('\n');
}

/** The fields CI needs, in a stable order. */
export function findingToJson(f: LintFinding): Record<string, unknown> {
  return { file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: f.severity, rule: f.rule, message: f.message, path: f.path };
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** A SARIF 2.1.0 log: one run of `capstan lint` with every enabled rule and every finding. */
export function toSarif(findings: LintFinding[], ruleset: Ruleset, version: string): string {
  const run = new SarifRunBuilder().initSimple({ toolDriverName: 'capstan-lint', toolDriverVersion: version });
  for (const rule of Object.values(ruleset.rules)) {
    if (rule.enabled) run.addRule(new SarifRuleBuilder().initSimple({ ruleId: rule.name, shortDescriptionText: rule.description ?? rule.name }));
  }
  for (const f of findings) {
    run.addResult(new SarifResultBuilder().initSimple({
      level: SARIF_LEVEL[f.severity],
      messageText: f.message,
      ruleId: f.rule,
      fileUri: relative(process.cwd(), f.file).replace(/\\/g, '/'),
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
    }));
  }
  const log = new SarifBuilder();
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true });
}
