/** `capstan create`: scaffold a minimal capability to start from. */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Io } from '../io.js';

export const CREATE_HELP = `Usage: capstan create NAME [-o FILE] [--force]

Writes a minimal capability called NAME (to NAME.yaml, kebab-cased, or FILE): one
consumed API, a REST operation and an MCP tool calling it, and a bind for its token.
It passes \`capstan validate --strict\` and \`capstan lint\`; edit it from there.

Options:
  -o, --output FILE   where to write (default: ./<name>.yaml); \`-\` for standard output
  --force             overwrite an existing file
  -h, --help          show this help
`;

export async function createCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(CREATE_HELP);
    return EXIT.ok;
  }
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('give the capability a name: `capstan create NAME`');
  const { scaffoldCapability } = await import('@capstan/authoring');
  const yaml = scaffoldCapability(name);
  const file = values.output ?? `${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'capability'}.yaml`;
  if (file === '-') {
    io.stdout.write(yaml);
    return EXIT.ok;
  }
  if (existsSync(file) && !values.force) {
    io.stderr.write(`capstan create: ${file} exists; choose another name with -o or pass --force\n`);
    return EXIT.failed;
  }
  writeFileSync(file, yaml);
  io.stdout.write(`created ${file}\n`);
  return EXIT.ok;
}
