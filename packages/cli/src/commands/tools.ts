/** `capstan tools`: a capability's MCP tools in vendor function-calling formats. */
import { parseArgs } from 'node:util';
import type { McpAdapterNode } from '@capstan/spec';
import { strictOpenAiTools, toolDefinitions, type ToolDefinitionFormat } from '@capstan/mcp';
import { loadGraph, pickAdapter } from '../load.js';
import { EXIT, UsageError, type Io } from '../io.js';

export const TOOLS_HELP = `Usage: capstan tools FILE [--adapter NS] [--format mcp|json-schema|openai|anthropic] [--strict]

Prints the tool definitions of a capability's MCP adapter as a JSON array, in the
function-calling format of each vendor, so any LLM application can use the tools
without MCP:
  mcp          the MCP tools/list entries (name, title, description, inputSchema, annotations)
  json-schema  {name, description, schema}
  openai       {type: "function", function: {name, description, parameters}}
  anthropic    {name, description, input_schema}

Options:
  --adapter NS   the MCP adapter's namespace (default: the first MCP adapter)
  --format F     output format (default mcp)
  --strict       with --format openai: strict-mode function schemas (strict: true,
                 additionalProperties false, every property required, optional ones
                 nullable, free-form objects and arrays asked for as JSON text)
  -h, --help     show this help
`;

const FORMATS = ['mcp', 'json-schema', 'openai', 'anthropic'];

export async function toolsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { adapter: { type: 'string' }, format: { type: 'string', default: 'mcp' }, strict: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout.write(TOOLS_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one capability file');
  if (!FORMATS.includes(values.format!)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (values.strict && values.format !== 'openai') throw new UsageError('--strict applies to --format openai only');
  const graph = loadGraph(positionals[0]!, io);
  if (!graph) return EXIT.failed;
  const picked = pickAdapter(graph.adapters.filter((a): a is McpAdapterNode => a.type === 'mcp'), values.adapter, 'mcp');
  if (typeof picked === 'string') {
    io.stderr.write(`capstan tools: ${picked}\n`);
    return EXIT.failed;
  }
  const tools = values.strict ? strictOpenAiTools(toolDefinitions(picked, 'openai')) : toolDefinitions(picked, values.format as ToolDefinitionFormat);
  io.stdout.write(`${JSON.stringify(tools, null, 2)}\n`);
  return EXIT.ok;
}
