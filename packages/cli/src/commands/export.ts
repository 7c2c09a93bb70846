/** `capstan export openapi`: the OpenAPI 3.1 document of a REST adapter. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RestAdapterNode } from '@capstan/spec';
import { buildOpenApi } from '@capstan/rest';
import { stringify } from 'yaml';
import { loadGraph, pickAdapter } from '../load.js';
import { EXIT, UsageError, type Io } from '../io.js';

export const EXPORT_HELP = `Usage: capstan export openapi FILE [--adapter NS] [--format yaml|json] [-o OUT]

Writes the OpenAPI 3.1 document of a capability's REST adapter (the same document the
running adapter serves at /openapi.json). Types are kept as declared (integer stays
integer); the adapter's authentication becomes the security scheme.

Options:
  --adapter NS       the REST adapter's namespace (default: the first REST adapter)
  --format yaml|json output format (default yaml)
  -o, --output OUT   write to OUT instead of standard output
  -h, --help         show this help
`;

export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      adapter: { type: 'string' },
      format: { type: 'string', default: 'yaml' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(EXPORT_HELP);
    return EXIT.ok;
  }
  const [what, file, ...extra] = positionals;
  if (what !== 'openapi') throw new UsageError(what ? `cannot export \`${what}\`; only \`openapi\` is supported` : 'say what to export: `capstan export openapi FILE`');
  if (!file || extra.length) throw new UsageError('give exactly one capability file');
  if (values.format !== 'yaml' && values.format !== 'json') throw new UsageError('--format must be yaml or json');
  const graph = loadGraph(file, io);
  if (!graph) return EXIT.failed;
  const picked = pickAdapter(graph.adapters.filter((a): a is RestAdapterNode => a.type === 'rest'), values.adapter, 'rest');
  if (typeof picked === 'string') {
    io.stderr.write(`capstan export: ${picked}\n`);
    return EXIT.failed;
  }
  const host = !picked.address || picked.address === '0.0.0.0' || picked.address === '::' ? 'localhost' : picked.address;
  const doc = buildOpenApi(picked, { info: graph.info, serverUrl: `http://${host}:${picked.port}` });
  const text = values.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
  if (values.output) writeFileSync(values.output, text);
  else io.stdout.write(text);
  return EXIT.ok;
}
