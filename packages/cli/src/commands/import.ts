/** `capstan import openapi`: start a capability from an API's OpenAPI (3.0, 3.1) or Swagger 2 description. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Io } from '../io.js';

export const IMPORT_HELP = `Usage: capstan import openapi SPEC [-o FILE] [--namespace NS] [--rest-port P] [--mcp-port P] [--strict]

Writes a capability for the API described by SPEC (OpenAPI 3.0/3.1 or Swagger 2, YAML
or JSON, a file or URL; every $ref resolved): a consumed HTTP adapter with every
operation, parameter and body; a REST adapter with the same paths; an MCP adapter with
one tool per operation (names of at most 64 characters, unique; hints from the HTTP
method; input schemas from the parameters; outputs shaped from the 2xx response);
binds for the security scheme; the API's enums as \`x-capstan-enum\` on the consumed
parameters (the REST and MCP inputs inherit them: any other value is refused before the
upstream is called). With --strict, official schema forms only (no enums): the result
passes \`capstan validate --strict\`.

Options:
  -o, --output FILE   write to FILE instead of standard output
  --namespace NS      namespace of the consumed API (default: from the API title)
  --rest-port P       port of the REST adapter (default 8080)
  --mcp-port P        port of the MCP adapter (default 9090)
  --strict            official schema forms only: leave out Capstan extensions (enums)
  -h, --help          show this help

Exit status: 0 written, 1 the description cannot be read, 2 usage error.
`;

export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      namespace: { type: 'string' },
      'rest-port': { type: 'string' },
      'mcp-port': { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(IMPORT_HELP);
    return EXIT.ok;
  }
  const [what, source, ...extra] = positionals;
  if (what !== 'openapi') throw new UsageError(what ? `cannot import \`${what}\`; only \`openapi\` is supported` : 'say what to import: `capstan import openapi SPEC`');
  if (!source || extra.length) throw new UsageError('give exactly one OpenAPI or Swagger file');
  const port = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--${flag} must be a port number (1-65535), not \`${v}\``);
    return n;
  };
  const options = { namespace: values.namespace, restPort: port('rest-port', values['rest-port']), mcpPort: port('mcp-port', values['mcp-port']), strict: values.strict };
  const { importOpenApi } = await import('@capstan/authoring');
  let result;
  try {
    result = await importOpenApi(source, options);
  } catch (err) {
    io.stderr.write(`capstan import: cannot read ${source}: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
  for (const w of result.warnings) io.stderr.write(`capstan import: warning: ${w}\n`);
  if (values.output) writeFileSync(values.output, result.yaml);
  else io.stdout.write(result.yaml);
  return EXIT.ok;
}
