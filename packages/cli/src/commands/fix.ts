/** `capstan fix`: rewrite de-facto forms into the official ones, keeping the rest of the file as written. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '@capstan/spec';
import { EXIT, UsageError, type Io } from '../io.js';

export const FIX_HELP = `Usage: capstan fix FILE... [--dry-run]

Rewrites every de-facto form that \`capstan validate\` warns about into its official
form (info.title → info.label, missing descriptions added, extra keys on consumed
inputs and adapter descriptions removed, whole-answer pass-through outputs dropped,
unknown keys turned into comments, loosely spelled inputs respelled, defaults Capstan
derives written out), editing only those lines: comments, key order and formatting
elsewhere stay as they are. What the capability serves does not change: a form with
no official equivalent (an auth scheme outside the official list, a templated baseUri,
…) is kept and reported as "no official form".

Options:
  --dry-run     print what would change, write nothing
  -h, --help    show this help

Exit status: 0 every de-facto form fixed, 1 some could not be fixed (each is printed
with why), 2 usage error or unreadable file.
`;

export async function fixCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(FIX_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('give at least one capability file to fix');
  const { fixFile } = await import('@capstan/authoring');
  let status: number = EXIT.ok;
  for (const file of positionals) {
    let result;
    try {
      result = fixFile(file);
    } catch (err) {
      io.stderr.write(`capstan fix: cannot read ${file}: ${(err as Error).message}\n`);
      status = EXIT.usage;
      continue;
    }
    for (const d of result.fixed) io.stdout.write(`${d.file}:${d.line}:${d.column}: fixed [${d.code}] ${d.message}\n`);
    for (const { diagnostic, reason } of result.left) io.stdout.write(`${formatDiagnostic(diagnostic)}\n  not fixed: ${reason}\n`);
    if (result.changed && !values['dry-run']) writeFileSync(file, result.text);
    const verb = values['dry-run'] ? 'would fix' : 'fixed';
    io.stdout.write(`${result.left.length ? '✗' : '✓'} ${file}: ${verb} ${result.fixed.length}, left ${result.left.length}\n`);
    if (result.left.length && status === EXIT.ok) status = EXIT.failed;
  }
  return status;
}
