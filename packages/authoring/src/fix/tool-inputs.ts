/**
 * An MCP tool that declares no inputs gets the inputs Capstan derives from the operation it calls:
 * the consumed parameters' `type`, `description` and `required`. Before `fix` drops those keys
 * from a consumed parameter (they are de-facto there), such tools declare the derived inputs
 * explicitly, so their input schema stays the same.
 */
import { inputSchemaOf } from '@capstan/mcp';
import { isSeq } from 'yaml';
import type { McpToolNode } from '@capstan/spec';
import type { Compiled } from './compiled.js';
import { flowText, type YamlEditor } from './edits.js';
import { scalar, type Path } from './fixers.js';
import { noOfficial } from './no-official.js';

/** Tools already given their inputs, per editor (several parameters of one operation lead to one tool). */
const declared = new WeakMap<YamlEditor, Set<string>>();

/** Types an official tool input can have (`integer` is Capstan's own). */
const OFFICIAL_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array']);

/**
 * Declares the derived inputs of every input-less tool calling the consumed operation at
 * `opPath`; returns why not when one of them cannot be written officially.
 */
export function declareDerivedInputs(editor: YamlEditor, compiled: Compiled, opPath: Path): string | undefined {
  const namespace = scalar(editor, opPath.slice(0, 3), 'namespace');
  const operation = scalar(editor, opPath, 'name');
  if (!compiled.graph || !namespace || !operation) return undefined;
  for (const [i, adapter] of compiled.graph.adapters.entries()) {
    if (adapter.type !== 'mcp') continue;
    for (const tool of adapter.tools) {
      const h = tool.handler;
      if (tool.inputParameters.length || h.kind !== 'call' || h.operation.namespace !== namespace || h.operation.name !== operation) continue;
      const toolPath = findTool(editor, adapter.namespace, tool.name, i);
      if (!toolPath || !writeDerivedInputs(editor, toolPath, tool)) return noOfficial('integer-type', `tool \`${tool.name}\` derives an \`integer\` input from this parameter; official tool inputs have no \`integer\``);
    }
  }
  return undefined;
}

/**
 * Writes out the inputs the input-less tool at `toolPath` derives (once per editor: several
 * rewrites may need them); false when one of them has no official type.
 */
export function writeDerivedInputs(editor: YamlEditor, toolPath: Path, tool: McpToolNode): boolean {
  const done = declared.get(editor) ?? new Set<string>();
  declared.set(editor, done);
  if (done.has(JSON.stringify(toolPath))) return true;
  const items = derivedItems(tool);
  if (!items) return false;
  done.add(JSON.stringify(toolPath));
  for (const item of items) editor.addListItem(toolPath, 'inputParameters', item);
  return true;
}

/** True when every input the input-less `tool` derives has an official type (so they can be written out). */
export const derivesOfficially = (tool: McpToolNode): boolean => derivedItems(tool) !== undefined;

/** The derived inputs as flow mappings, or undefined when one has no official type. */
function derivedItems(tool: McpToolNode): string[] | undefined {
  const schema = inputSchemaOf(tool);
  const items: string[] = [];
  for (const [name, p] of Object.entries(schema.properties)) {
    const type = String(p.type);
    if (!OFFICIAL_TYPES.has(type)) return undefined;
    const required = schema.required?.includes(name) ?? false;
    items.push(flowText({ name, type, ...(p.description ? { description: p.description } : {}), ...(required ? {} : { required: false }) }));
  }
  return items;
}

/** The document path of tool `name` in the MCP adapter `namespace` (`hint`: the adapter's index, tried first). */
function findTool(editor: YamlEditor, namespace: string, name: string, hint: number): Path | undefined {
  const exposes = editor.doc.getIn(['capability', 'exposes'], true);
  const count = isSeq(exposes) ? exposes.items.length : 0;
  for (const i of [hint, ...Array.from({ length: count }, (_, k) => k)]) {
    if (scalar(editor, ['capability', 'exposes', i], 'namespace') !== namespace) continue;
    const tools = editor.doc.getIn(['capability', 'exposes', i, 'tools'], true);
    const t = isSeq(tools) ? tools.items.findIndex((_, k) => scalar(editor, ['capability', 'exposes', i, 'tools', k], 'name') === name) : -1;
    if (t >= 0) return ['capability', 'exposes', i, 'tools', t];
  }
  return undefined;
}
