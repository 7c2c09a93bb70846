/**
 * `fix --strict` for `unshaped-output`: `type: object`/`array` + `mapping` without
 * `properties`/`items` (the mapped node passed through whole). The official schema requires
 * `properties` and `items` but sets no minimum; Capstan reads `properties: {}` like none and an
 * `items` of `{type: object, properties: {}}` like none (conformance row A66), so the official
 * form written here serves exactly what the construct did.
 */
import type { Node, YAMLMap } from 'yaml';
import type { YamlEditor } from '../edits.js';
import type { StrictRewrite } from '../strict.js';
import { scalar } from '../fixers.js';

/** The free-form shape the official schema accepts, by output type. */
const FREE_FORM: Record<string, { key: string; value: string; change: (mapping: string) => string }> = {
  object: {
    key: 'properties',
    value: '{}',
    change: (m) => `nothing Capstan serves changes: an empty \`properties\` passes the node at \`${m}\` whole, as before; list its fields under \`properties\` to shape it`,
  },
  array: {
    key: 'items',
    value: '{ type: object, properties: {} }',
    change: (m) => `nothing Capstan serves changes: \`items\` of \`{type: object, properties: {}}\` passes each element of \`${m}\` as found, as before; describe the element under \`items\` to shape it`,
  },
};

/**
 * Adds `line` after the output's `mapping` line. The edit rewrites that line (not just a point
 * after it), so a rewrite that moves the whole output in the same pass (several named outputs
 * becoming one object) collides with it and one of them waits for the next pass.
 */
function insertAfterMapping(editor: YamlEditor, output: YAMLMap, line: string): void {
  const mapping = editor.pair(output, 'mapping');
  const firstKey = (output.items[0]?.key as Node | undefined)?.range?.[0];
  if (output.flow || !mapping?.value?.range || firstKey === undefined) return editor.insertKey(output, line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2), mapping, true);
  const start = mapping.value.range[0];
  const end = editor.lineEnd(mapping.value.range[1] - 1);
  const indent = ' '.repeat(firstKey - editor.lineStart(firstKey));
  editor.replaceRange(start, end, `${editor.text.slice(start, end)}${editor.lineBreak}${indent}${line}`);
}

export const freeFormOutput: StrictRewrite = (editor, path) => {
  const outputPath = path.at(-1) === 'mapping' ? path.slice(0, -1) : path;
  const output = editor.mapAt(outputPath);
  const type = scalar(editor, outputPath, 'type');
  const form = type ? FREE_FORM[type] : undefined;
  if (!output || !form) return 'no `type: object`/`array` output found there';
  if (editor.pair(output, form.key)) return `the output already has \`${form.key}\``;
  insertAfterMapping(editor, output, `${form.key}: ${form.value}`);
  return { change: form.change(scalar(editor, outputPath, 'mapping') ?? '$') };
};
