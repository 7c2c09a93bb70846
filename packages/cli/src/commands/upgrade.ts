/** `capstan upgrade`: rewrites capability files between the alpha2 and beta5 document generations. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { upgradeDocument, UpgradeError, type Generation } from '@capstan/spec';
import { expandSpecArgs } from '../files.js';
import { EXIT, UsageError, type Io } from '../io.js';

export const UPGRADE_HELP = `Usage: capstan upgrade FILE|DIR... [--to beta5|alpha2] [--dry-run]

Rewrites each file into the other document generation: alpha2 (\`naftiko: 1.0.0-alpha2\`,
named objects as lists with \`name:\`) to beta5 (\`ikanos: 1.0.0-beta5\`, named objects as
maps keyed by name, \`flows\`, \`display\`, \`target\`, imports with \`from\`), or back.
Comments, key order and quoting are kept where the shape allows. Rewrite imported
consumes files too (give them as arguments, or their folder).

Options:
  --to beta5|alpha2   target generation (default: the other one of each file)
  --dry-run           print the rewritten documents instead of writing the files
  -h, --help          show this help

Going to alpha2 removes keys alpha2 has no place for (tags, cache hints, tunnels,
binary settings); each removal is listed on stderr.

Exit status: 0 done, 1 a file could not be rewritten, 2 usage error.
`;

export async function upgradeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(UPGRADE_HELP);
    return EXIT.ok;
  }
  if (values.to !== undefined && values.to !== 'beta5' && values.to !== 'alpha2') throw new UsageError(`--to must be beta5 or alpha2, not \`${values.to}\``);
  if (positionals.length === 0) throw new UsageError('give at least one capability file or folder to upgrade');
  let failed = false;
  for (const file of expandSpecArgs(positionals)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      io.stderr.write(`capstan upgrade: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      failed = true;
      continue;
    }
    try {
      const result = upgradeDocument(text, values.to as Generation | undefined);
      for (const note of result.notes) io.stderr.write(`${file}: ${note}\n`);
      if (values['dry-run']) {
        io.stdout.write(`# ${file}: ${result.changed ? `${result.from} → ${result.to}` : `already ${result.to}`}\n${result.text}${result.text.endsWith('\n') ? '' : '\n'}`);
      } else if (result.changed) {
        writeFileSync(file, result.text);
        io.stdout.write(`${file}: ${result.from} → ${result.to}\n`);
      } else {
        io.stdout.write(`${file}: already ${result.to}, unchanged\n`);
      }
    } catch (err) {
      if (!(err instanceof UpgradeError)) throw err;
      io.stderr.write(`${file}: ${err.message}\n`);
      failed = true;
    }
  }
  return failed ? EXIT.failed : EXIT.ok;
}
