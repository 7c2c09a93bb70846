/** `capstan schema`: print the published JSON Schema of a document generation. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { publishedSchema, type Generation } from '@capstan/spec';
import { EXIT, UsageError, type Io } from '../io.js';

export const SCHEMA_HELP = `Usage: capstan schema [--generation alpha2|beta5] [--editor] [-o FILE]

Prints Capstan's JSON Schema (draft 2020-12) for capability files: the official forms plus the
de-facto forms Capstan runs with a warning. The default is standard JSON Schema that Ajv
compiles in strict mode (add ajv-formats for \`format\`). --editor adds a markdownDescription
beside every description, which VS Code's YAML and JSON support shows as Markdown in hovers.
Point an editor at it with a first line \`# yaml-language-server: $schema=WHERE\`: WHERE is the
schema's \`$id\` URL (what \`capstan create\` and \`capstan import openapi\` write), or a local copy
written with -o, such as \`./naftiko.schema.json\`.

Options:
  --generation G      alpha2 (\`naftiko: 1.0.0-alpha2\`, default) or beta5 (\`ikanos: 1.0.0-beta5\`)
  --editor            add markdownDescription for editors
  -o, --output FILE   write to FILE instead of standard output
  -h, --help          show this help
`;

const GENERATIONS: readonly Generation[] = ['alpha2', 'beta5'];

export async function schemaCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      generation: { type: 'string', default: 'alpha2' },
      editor: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(SCHEMA_HELP);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
  const generation = values.generation as Generation;
  if (!GENERATIONS.includes(generation)) throw new UsageError(`--generation must be ${GENERATIONS.join(' or ')}, not \`${values.generation}\``);
  const text = `${JSON.stringify(publishedSchema(generation, values.editor ? 'editor' : 'standard'), null, 2)}\n`;
  if (values.output === undefined || values.output === '-') {
    io.stdout.write(text);
    return EXIT.ok;
  }
  try {
    writeFileSync(values.output, text);
  } catch (err) {
    io.stderr.write(`capstan schema: cannot write ${values.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`wrote ${values.output}\n`);
  return EXIT.ok;
}
