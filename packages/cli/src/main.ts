/** The `capstan` command line: dispatches to one command per verb. */
import { EXIT, UsageError, type Io } from './io.js';
import { capstanVersion } from './version.js';

type Run = (argv: string[], io: Io) => Promise<number>;
/** A command is loaded only when it runs: `capstan validate` never loads the runtime that `run` needs. */
type Command = { summary: string; load: () => Promise<Run> };

const COMMANDS: Record<string, Command> = {
  run: { summary: 'serve capabilities: REST and MCP adapters, against their upstreams', load: async () => (await import('./commands/run.js')).runCommand },
  validate: { summary: 'check capability files and report positioned, fixable problems', load: async () => (await import('./commands/validate.js')).validateCommand },
  lint: { summary: 'check capabilities against the Naftiko reference rules and agent-readiness rules (Spectral)', load: async () => (await import('./commands/lint.js')).lintCommand },
  fix: { summary: 'rewrite de-facto forms into the official ones, keeping comments and layout', load: async () => (await import('./commands/fix.js')).fixCommand },
  lsp: { summary: 'run the language server for editors (stdio)', load: async () => (await import('./commands/lsp.js')).lspCommand },
  schema: { summary: 'print the JSON Schema of capability files, for editors and validators', load: async () => (await import('./commands/schema.js')).schemaCommand },
  tools: { summary: "print an MCP adapter's tools as MCP, JSON Schema, OpenAI or Anthropic definitions", load: async () => (await import('./commands/tools.js')).toolsCommand },
  export: { summary: 'write the OpenAPI 3.1 document of a REST adapter', load: async () => (await import('./commands/export.js')).exportCommand },
  import: { summary: 'start a capability from an OpenAPI 3.x or Swagger 2 description', load: async () => (await import('./commands/import.js')).importCommand },
  create: { summary: 'scaffold a minimal capability to edit from', load: async () => (await import('./commands/create.js')).createCommand },
  upgrade: { summary: 'rewrite capability files between alpha2 (naftiko) and beta5 (ikanos) documents', load: async () => (await import('./commands/upgrade.js')).upgradeCommand },
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
    return await (await command.load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`capstan ${name}: ${(err as Error).message}\nRun \`capstan ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
