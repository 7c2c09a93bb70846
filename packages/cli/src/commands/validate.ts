/** `capstan validate`: schema and compiler checks with positioned, fixable diagnostics. */
import { parseArgs } from 'node:util';
import { checkSpec, diagnosticToJson, formatDiagnostic, type Diagnostic } from '@capstan/core';
import { expandSpecArgs } from '../files.js';
import { EXIT, UsageError, type Io } from '../io.js';

export const VALIDATE_HELP = `Usage: capstan validate FILE|DIR... [--strict] [--format text|json]

Checks capability files (and the consumes files they import) against the Naftiko
1.0.0-alpha2 schema (\`ikanos: 1.0.0-beta…\` files: Capstan's beta5 schema) and Capstan's
compiler checks: references, namespaces, ports, parameter sources and template
variables. A folder means every *.yaml/*.yml in it.

Options:
  --strict              report de-facto forms and other warnings as errors
  --format text|json    text (default) shows each problem with its source line;
                        json prints an array with one object per diagnostic:
                        file, line, column, endLine, endColumn, severity, code,
                        message, expected, fix
  -h, --help            show this help

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.
`;

export async function validateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return EXIT.ok;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not \`${values.format}\``);
  if (positionals.length === 0) throw new UsageError('give at least one capability file or folder to validate');
  const files = expandSpecArgs(positionals);
  const all: Diagnostic[] = [];
  let unreadable = false;
  for (const file of files) {
    const result = checkSpec(file, { strict: values.strict });
    all.push(...result.diagnostics);
    if (result.diagnostics.some((d) => d.code === 'unreadable-file')) unreadable = true;
    if (values.format === 'text') {
      for (const d of result.diagnostics) io.stdout.write(`${formatDiagnostic(d, result.loaded.sources.get(d.file))}\n\n`);
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = result.diagnostics.length - errors;
      const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`].filter(Boolean).join(', ');
      io.stdout.write(errors ? `✗ ${file}: ${counts}\n` : `✓ ${file}: valid${counts ? ` (${counts})` : ''}\n`);
    }
  }
  if (values.format === 'json') {
    io.stdout.write(`[${all.map((d) => `\n${JSON.stringify(diagnosticToJson(d))}`).join(',')}${all.length ? '\n' : ''}]\n`);
  }
  if (unreadable) return EXIT.usage;
  return all.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok;
}
