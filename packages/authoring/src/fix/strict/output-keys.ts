/**
 * `fix --strict` for the keys Capstan reads on an exposed output that the official schema has
 * no place for: `description` (served in the MCP output schema), `maxLength` (string values cut)
 * and `values` (every entry of the mapped object shaped). No official key does what they do, so
 * each is commented out as a strict removal; the change says what the served capability loses.
 */
import { toolDefinitions } from '@capstan/mcp';
import { isMap } from 'yaml';
import type { Compiled } from '../compiled.js';
import type { YamlEditor } from '../edits.js';
import { scalar, type Path } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

/** The output a finding is about, and the key it names (the path may end at either). */
function outputAndKey(editor: YamlEditor, path: Path, key: string): { output: Path; found: boolean } {
  const output = path.at(-1) === key ? path.slice(0, -1) : path;
  const map = editor.mapAt(output);
  return { output, found: !!map && !!editor.pair(map, key) };
}

/** The unit an output path sits in (`…tools[i]`, `…functions[i]`, `…operations[i]`). */
function unitOf(path: Path): Path | undefined {
  const i = path.lastIndexOf('outputParameters');
  return i > 0 ? path.slice(0, i) : undefined;
}

/**
 * The MCP tools whose served output schema carries `text` as a description and that serve the
 * output at `path`: the tool itself, or the tools that `ref` the function it is in.
 */
function toolsDescribing(compiled: Compiled, path: Path, text: string): string[] {
  const unit = unitOf(path);
  if (!compiled.graph || !compiled.locate || !unit) return [];
  const at = compiled.locate(unit);
  const here = (o: { line: number; column: number }) => o.line === at.line && o.column === at.column;
  const needle = `"description":${JSON.stringify(text)}`;
  const names = new Set<string>();
  for (const a of compiled.graph.adapters) {
    if (a.type !== 'mcp') continue;
    const served = a.tools.filter((t) => here(t.origin) || (t.handler.kind === 'ref' && here(t.handler.fn.origin)));
    for (const t of served) if (JSON.stringify(toolDefinitions({ ...a, tools: [t] }, 'mcp')[0]?.outputSchema ?? {}).includes(needle)) names.add(t.name);
  }
  return [...names];
}

const quoted = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;

export const outputDescription: StrictRewrite = (editor, path, _d, compiled) => {
  const { output, found } = outputAndKey(editor, path, 'description');
  if (!found) return 'no `description` on the output found there';
  const text = scalar(editor, output, 'description') ?? '';
  const tools = toolsDescribing(compiled, output, text);
  commentOutStrict(editor, [...output, 'description'], 'output-description');
  if (!tools.length) return { change: `nothing Capstan serves changes: no MCP output schema carried this description (only a tool with a declared output shape serves one); the text stays in the comment` };
  return { change: `the MCP output schema of ${tools.map((t) => `\`${t}\``).join(', ')} no longer describes this field (${quoted(text)}); put the text in the tool's \`description\` to keep it in front of agents` };
};

export const outputMaxLength: StrictRewrite = (editor, path) => {
  const { output, found } = outputAndKey(editor, path, 'maxLength');
  if (!found) return 'no `maxLength` on the output found there';
  const limit = scalar(editor, output, 'maxLength');
  commentOutStrict(editor, [...output, 'maxLength'], 'output-max-length');
  return { change: `string values of this output are no longer cut to ${limit} characters: answers carry the whole upstream value (no official key cuts them)` };
};

export const outputValues: StrictRewrite = (editor, path) => {
  const { output, found } = outputAndKey(editor, path, 'values');
  if (!found) return 'no `values` on the output found there';
  const map = editor.mapAt(output)!;
  const mapping = scalar(editor, output, 'mapping') ?? '$';
  const type = scalar(editor, output, 'type');
  commentOutStrict(editor, [...output, 'values'], 'output-values');
  if (type !== 'object') return { change: `nothing Capstan serves changes: \`values\` shapes only an object output, and this one is \`${type}\`` };
  const properties = editor.pair(map, 'properties')?.value;
  if (isMap(properties) && properties.items.length) return { change: `the output's \`properties\` now shape the answer instead of \`values\`, which shaped every entry of the object at \`${mapping}\`` };
  // Without fields the output is free-form (`properties: {}`, written by the `unshaped-output` rewrite): the mapped object passes whole (conformance A66).
  return { change: `each entry of the object at \`${mapping}\` now passes whole instead of being shaped by \`values\`; list the entries under \`properties\` if their names are known` };
};
