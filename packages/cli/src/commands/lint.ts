/** `capstan lint`: Capstan's Spectral ruleset (reference rules and agent rules) over capability files. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LintFinding, LintSeverity } from '@capstan/authoring';
import { expandSpecArgs } from '../files.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { capstanVersion } from '../version.js';

export const LINT_HELP = `Usage: capstan lint FILE|DIR... [--ruleset R] [--format text|json|sarif] [--fail-severity S]

Runs Capstan's Spectral ruleset over capability files: the reference Naftiko rules
(naftiko-*: unique namespaces, semantics against hints and methods, control port,
descriptions, https for OAuth2, no <script>/eval in Markdown, ...) and rules for
agent-ready capabilities (capstan-*: tool names clients accept, unique and specific
tools, hints matching methods, no inlined secrets, shaped outputs). A folder means
every *.yaml/*.yml in it. Each finding names its rule and its file:line:col.

Options:
  --ruleset R            a Spectral ruleset file (YAML, JSON or JS) that extends
                         Capstan's: add rules, or set a rule's severity (off, info, ...)
  --format text|json|sarif
                         text (default), a JSON array, or SARIF 2.1.0
  --fail-severity S      error (default), warn, info or hint: exit 1 when a finding
                         is at least this severe
  -h, --help             show this help

Exit status: 0 nothing at or above the fail severity, 1 otherwise, 2 usage error,
unreadable file or unusable ruleset.
`;

const SEVERITY_NAMES: Record<string, LintSeverity> = { error: 'error', warn: 'warning', warning: 'warning', info: 'info', hint: 'hint' };
const SEVERITY_ORDER: readonly LintSeverity[] = ['error', 'warning', 'info', 'hint'];

export async function lintCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ruleset: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'fail-severity': { type: 'string', default: 'error' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(LINT_HELP);
    return EXIT.ok;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not \`${format}\``);
  const threshold = SEVERITY_NAMES[values['fail-severity']];
  if (!threshold) throw new UsageError(`--fail-severity must be one of error, warn, info, hint, not \`${values['fail-severity']}\``);
  if (positionals.length === 0) throw new UsageError('give at least one capability file or folder to lint');
  // Loaded on use: Spectral is not needed by the other commands (and `run` starts faster without it).
  const { findingToJson, formatFinding, lintFile, loadRuleset, reaches, RulesetError, toSarif } = await import('@capstan/authoring');
  let ruleset;
  try {
    ruleset = await loadRuleset(values.ruleset);
  } catch (err) {
    if (!(err instanceof RulesetError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    io.stderr.write(`capstan lint: cannot use the ruleset: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const all: LintFinding[] = [];
  for (const file of expandSpecArgs(positionals)) {
    const findings = await lintFile(file, ruleset);
    all.push(...findings);
    if (format !== 'text') continue;
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    for (const f of findings) io.stdout.write(`${formatFinding(f, text)}\n\n`);
    const counts = SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    io.stdout.write(`${counts.some(([s]) => reaches(s, threshold)) ? '✗' : '✓'} ${file}: ${counts.length ? counts.map(([s, n]) => `${n} ${s}${n > 1 ? 's' : ''}`).join(', ') : 'no findings'}\n`);
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(all.map(findingToJson), null, 2)}\n`);
  if (format === 'sarif') io.stdout.write(`${toSarif(all, ruleset, capstanVersion())}\n`);
  if (all.some((f) => f.rule === 'unreadable-file')) return EXIT.usage;
  return all.some((f) => reaches(f.severity, threshold)) ? EXIT.failed : EXIT.ok;
}
