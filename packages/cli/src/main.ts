/** The `capstan` command line: dispatches to one command per verb. */
import { CREATE_HELP, createCommand } from './commands/create.js';
import { EXPORT_HELP, exportCommand } from './commands/export.js';
import { FIX_HELP, fixCommand } from './commands/fix.js';
import { IMPORT_HELP, importCommand } from './commands/import.js';
import { LINT_HELP, lintCommand } from './commands/lint.js';
import { LSP_HELP, lspCommand } from './commands/lsp.js';
import { RUN_HELP, runCommand } from './commands/run.js';
import { SCHEMA_HELP, schemaCommand } from './commands/schema.js';
import { TOOLS_HELP, toolsCommand } from './commands/tools.js';
import { UPGRADE_HELP, upgradeCommand } from './commands/upgrade.js';
import { VALIDATE_HELP, validateCommand } from './commands/validate.js';
import { EXIT, UsageError, type Io } from './io.js';
import { capstanVersion } from './version.js';

type Command = { summary: string; help: string; run: (argv: string[], io: Io) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  run: { summary: 'serve capabilities: REST and MCP adapters, against their upstreams', help: RUN_HELP, run: runCommand },
  validate: { summary: 'check capability files and report positioned, fixable problems', help: VALIDATE_HELP, run: validateCommand },
  lint: { summary: 'check capabilities against the Naftiko reference rules and agent-readiness rules (Spectral)', help: LINT_HELP, run: lintCommand },
  fix: { summary: 'rewrite de-facto forms into the official ones, keeping comments and layout', help: FIX_HELP, run: fixCommand },
  lsp: { summary: 'run the language server for editors (stdio)', help: LSP_HELP, run: lspCommand },
  schema: { summary: 'print the JSON Schema of capability files, for editors and validators', help: SCHEMA_HELP, run: schemaCommand },
  tools: { summary: "print an MCP adapter's tools as MCP, JSON Schema, OpenAI or Anthropic definitions", help: TOOLS_HELP, run: toolsCommand },
  export: { summary: 'write the OpenAPI 3.1 document of a REST adapter', help: EXPORT_HELP, run: exportCommand },
  import: { summary: 'start a capability from an OpenAPI 3.x or Swagger 2 description', help: IMPORT_HELP, run: importCommand },
  create: { summary: 'scaffold a minimal capability to edit from', help: CREATE_HELP, run: createCommand },
  upgrade: { summary: 'rewrite capability files between alpha2 (naftiko) and beta5 (ikanos) documents', help: UPGRADE_HELP, run: upgradeCommand },
};


function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `Capstan ${capstanVersion()}: a runtime for Naftiko capability specs (naftiko 1.0.0-alpha2, ikanos 1.0.0-beta1 to -beta5)

Usage: capstan <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help (or \`capstan <command> --help\`)
  -V, --version  print the version

Run \`capstan <command> --help\` for a command's options.
`;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  // A leading `--` keeps Node 20 from reading `--env-file` itself (it scans arguments after the script).
  const [name, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-V' || name === '--version') {
    io.stdout.write(`${capstanVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`capstan: unknown command \`${name}\`\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`capstan ${name}: ${(err as Error).message}\nRun \`capstan ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
