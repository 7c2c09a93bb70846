/** `capstan fix`: rewrite de-facto forms into the official ones, keeping the rest of the file as written. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Diagnostic } from '@capstan/spec';
import type { Left } from '@capstan/authoring';
import { EXIT, UsageError, type Io } from '../io.js';

/** Exit status when all that is left are constructs with no official form (kept on purpose). */
export const EXIT_NO_OFFICIAL_FORM = 3;

export const FIX_HELP = `Usage: capstan fix FILE... [--strict] [--dry-run]

Rewrites every de-facto form that \`capstan validate\` warns about into its official
form (info.title → info.label, missing descriptions added, extra keys on consumed
inputs and adapter descriptions removed, whole-answer pass-through outputs dropped,
several named outputs made one object output, unknown keys and constructs Capstan
ignores turned into comments, loosely spelled inputs respelled, defaults Capstan
derives written out), editing only those lines: comments, key order and formatting
elsewhere stay as they are. What the capability serves does not change.

A construct with no official form that serves the same (an auth scheme outside the
official list, a templated baseUri, an unshaped output, …) is kept and printed on one
line: where, "no official form [kind]", what, and why. docs/authoring.md lists the
kinds and what you can do about each.

With --strict, those constructs, and the findings plain fix cannot rewrite safely (a
value of the wrong type or outside its list, an operation declared twice or unnamed),
are rewritten into the nearest official form too, so that the file passes
\`capstan validate --strict\`, Capstan extensions (x-capstan-*) included. The nearest
form keeps the answers to valid calls the same wherever an official form can. Each
such rewrite may change what the capability serves and is printed on one line: where,
"changed [kind]", what, and what now differs. A construct removed outright becomes a
comment (# capstan fix --strict removed (kind): …) that you can restore.

Options:
  --strict      reach the official schema's letter, even where that changes what is served
  --dry-run     print what would change, write nothing
  -h, --help    show this help

Exit status: 0 everything fixed (the file passes --strict; with --strict, every finding
fixed or changed), 3 only constructs with no official form are left (never with
--strict), 1 some finding is left (each is printed with why; with --strict, any
finding left), 2 usage error or unreadable file. With several files, the worst wins.
`;

/** What a finding is about: its message up to the first `;` (the rest says what Capstan does). */
const what = (d: Diagnostic): string => d.message.split('; ')[0]!;

/** One line per finding left: where, what kind, what, why (`whyOf` strips the reason's kind lead). */
function leftLine(l: Left, whyOf: (reason: string) => string): string {
  const at = `${l.diagnostic.file}:${l.diagnostic.line}:${l.diagnostic.column}`;
  if (l.kind) return `${at}: no official form [${l.kind}] ${what(l.diagnostic)}: ${whyOf(l.reason)}\n`;
  return `${at}: not fixed [${l.diagnostic.code}] ${what(l.diagnostic)}: ${l.reason}\n`;
}

export async function fixCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(FIX_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('give at least one capability file to fix');
  const { fixFile, whyOf } = await import('@capstan/authoring');
  let status: number = EXIT.ok;
  // Several files: the worst status wins (usage, then not fixed, then no official form).
  const rank = [EXIT.ok, EXIT_NO_OFFICIAL_FORM, EXIT.failed, EXIT.usage] as number[];
  const worse = (s: number) => {
    if (rank.indexOf(s) > rank.indexOf(status)) status = s;
  };
  for (const file of positionals) {
    let result;
    try {
      result = fixFile(file, { strict: values.strict });
    } catch (err) {
      io.stderr.write(`capstan fix: cannot read ${file}: ${(err as Error).message}\n`);
      worse(EXIT.usage);
      continue;
    }
    for (const d of result.fixed) io.stdout.write(`${d.file}:${d.line}:${d.column}: fixed [${d.code}] ${what(d)}\n`);
    for (const a of result.altered) io.stdout.write(`${a.diagnostic.file}:${a.diagnostic.line}:${a.diagnostic.column}: changed [${a.kind ?? a.diagnostic.code}] ${what(a.diagnostic)}: ${a.change}\n`);
    for (const l of result.left) io.stdout.write(leftLine(l, whyOf));
    if (result.changed && !values['dry-run']) writeFileSync(file, result.text);
    const verb = values['dry-run'] ? 'would fix' : 'fixed';
    const kept = result.left.filter((l) => l.noOfficialForm).length;
    const notFixed = result.left.length - kept;
    const altered = values.strict ? `, changed ${result.altered.length}` : '';
    io.stdout.write(`${result.left.length ? '✗' : '✓'} ${file}: ${verb} ${result.fixed.length}${altered}, left ${result.left.length} (${kept} with no official form, ${notFixed} not fixed)\n`);
    // With --strict a construct kept is a finding left like any other: the file does not pass.
    worse(notFixed || (values.strict && kept) ? EXIT.failed : kept ? EXIT_NO_OFFICIAL_FORM : EXIT.ok);
  }
  return status;
}
