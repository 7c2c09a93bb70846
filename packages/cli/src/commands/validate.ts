/** `capstan validate`: schema and compiler checks with positioned, fixable diagnostics. */
import { parseArgs } from 'node:util';
import { checkSpec, type Diagnostic } from '@capstan/spec';
import { expandSpecArgs } from '../files.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { clashMessage, portClashes, type FileGraph } from '../overrides.js';
import { JsonStream, writeText } from './validate-report.js';

export const VALIDATE_HELP = `Usage: capstan validate FILE|DIR... [--strict] [--verbose] [--format text|json]

Checks capability files (and the consumes files they import) against the Naftiko
1.0.0-alpha2 schema (\`ikanos: 1.0.0-beta…\` files: Capstan's beta5 schema) and Capstan's
compiler checks: references, namespaces, ports, parameter sources and template
variables, in one pass. A folder means every *.yaml/*.yml in it. By default only
what Capstan cannot run is an error (YAML that does not parse, an unsupported
version, a call or ref to nothing, a path placeholder nothing fills, a port
clash); every other deviation from the official schema is a warning naming the
official form. With several files, adapters of different files that claim the same
port are warned about, since \`capstan run\` refuses them together (REST adapters
may share a port).

Options:
  --strict              the official schema's letter: every deviation is an error
  --verbose             text: list every warning (default: one line per kind,
                        with the count and the first location)
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
      verbose: { type: 'boolean', default: false },
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
  const json = values.format === 'json' ? new JsonStream(io) : undefined;
  let unreadable = false;
  let failed = false;
  const graphs: FileGraph[] = [];
  for (const file of files) {
    const result = checkSpec(file, { strict: values.strict });
    if (result.graph && result.loaded.kind === 'capability') graphs.push({ file, graph: result.graph });
    if (result.diagnostics.some((d) => d.code === 'unreadable-file')) unreadable = true;
    if (result.diagnostics.some((d) => d.severity === 'error')) failed = true;
    if (json) json.write(result.diagnostics);
    else {
      writeText(io, result.diagnostics, result.loaded.sources, values.verbose);
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
      const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`].filter(Boolean).join(', ');
      io.stdout.write(errors ? `✗ ${file}: ${counts}\n` : `✓ ${file}: valid${counts ? ` (${counts})` : ''}\n`);
    }
  }
  // A warning: files validated together are not always run together (alternative versions, a corpus).
  const clashes = portClashes(graphs).map((c): Diagnostic => {
    const { line, column } = c.second.adapter.origin;
    return { file: c.second.file, line, column, endLine: line, endColumn: column, severity: 'warning', code: 'port-collision', message: `if run together, ${clashMessage(c)}` };
  });
  if (json) json.write(clashes);
  else writeText(io, clashes, new Map(), true);
  json?.end();
  if (unreadable) return EXIT.usage;
  return failed ? EXIT.failed : EXIT.ok;
}
