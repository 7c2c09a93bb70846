/**
 * A request body written in a de-facto form (`defacto-body-type`, `defacto-body-parts-map`),
 * rewritten into the official form Capstan serves it as (`readBodyForm` in @capstan/spec, the one
 * place that decides): an alias's official `type`; a multipart field map as the list of
 * `{name, value}` parts; form values as strings; an octet-stream body as a plain string `body:`
 * with a `Content-Type` header parameter; any other type as `type: json`. The compiled request is
 * the same before and after, so the upstream receives the same body.
 */
import { declaresContentType, isFieldMap, OCTET_HEADER, readBodyForm } from '@capstan/spec';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { flowText, scalarText, type YamlEditor } from './edits.js';
import type { Fixer, Path } from './fixers.js';

/** A scalar's text on one line: its source when it is a one-line string, else quoted. */
function inlineText(editor: YamlEditor, node: Node | null): string {
  if (!isScalar(node)) return '""';
  const source = node.range ? editor.text.slice(node.range[0], node.range[1]) : '';
  if (typeof node.value === 'string' && source && !/[\r\n]/.test(source)) return source;
  const text = String(node.value);
  return /[\r\n]/.test(text) ? JSON.stringify(text) : scalarText(text);
}

/** A field map → the official list of multipart parts, one `{name, value}` per entry, comments kept. */
function mapToParts(editor: YamlEditor, map: YAMLMap): void {
  const parts = map.items.map((p) => ({ name: String(isScalar(p.key) ? p.key.value : p.key), value: inlineText(editor, p.value as Node | null) }));
  if (map.flow || !map.items.length) {
    editor.replaceRange(map.range![0], map.range![1], `[${parts.map((p) => `{ ${flowText({ name: p.name }).slice(2, -2)}, value: ${p.value} }`).join(', ')}]`);
    return;
  }
  map.items.forEach((pair, i) => {
    const start = (pair.key as Node).range![0];
    const column = start - editor.lineStart(start);
    const end = (pair.value as Node).range![1];
    editor.replaceRange(start, end, `- name: ${scalarText(parts[i]!.name)}${editor.lineBreak}${' '.repeat(column + 2)}value: ${parts[i]!.value}`);
  });
}

/** Form field values that are not strings (`seed: 5`) → quoted: the official form map takes strings. */
function quoteFields(editor: YamlEditor, map: YAMLMap): void {
  for (const pair of map.items) {
    if (isScalar(pair.value) && typeof pair.value.value !== 'string') editor.replaceValue(pair.value, String(pair.value.value));
  }
}

/** The parameters that apply to the operation at `opPath` (adapter, resource, operation), as written. */
function declaredParams(editor: YamlEditor, opPath: Path): Array<{ name?: unknown; in?: unknown }> {
  const at = (p: Path) => editor.doc.getIn([...p, 'inputParameters']);
  const plain = (v: unknown) => (v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v);
  const resources = opPath.lastIndexOf('resources');
  return [opPath.slice(0, resources), opPath.slice(0, resources + 2), opPath].flatMap((p) => {
    const list = plain(at(p));
    return Array.isArray(list) ? list : [];
  });
}

/** An octet-stream body object → a plain string `body:` and the `Content-Type` header parameter. */
function octetBody(editor: YamlEditor, bodyPath: Path, body: YAMLMap): string | undefined {
  const opPath = bodyPath.slice(0, -1);
  const op = editor.mapAt(opPath);
  const pair = op && editor.pair(op, 'body');
  const data = editor.pair(body, 'data')?.value ?? null;
  if (!op || !pair || !body.range) return 'the operation of the body was not found';
  // A flow mapping ends at its `}` (a comment after it stays); a block one at the end of its last line.
  editor.replaceRange(pair.key.range![1], body.flow ? body.range[1] : editor.lineEnd(body.range[1] - 1), `: ${inlineText(editor, data)}`);
  if (!declaresContentType(declaredParams(editor, opPath))) editor.addListItem(opPath, 'inputParameters', flowText({ ...OCTET_HEADER }));
  return undefined;
}

/** Rewrites the body holding the finding at `path` (its `type` or `data`) into its official form. */
export const officialBody: Fixer = (editor, path) => {
  const bodyPath = path.slice(0, -1);
  const body = editor.mapAt(bodyPath);
  if (!body) return 'the body was not found';
  const type = editor.pair(body, 'type')?.value;
  const data = editor.pair(body, 'data')?.value ?? null;
  const plainData: unknown = data && 'toJSON' in data ? data.toJSON() : null;
  if (!isScalar(type)) return 'the body `type` was not found';
  const reading = readBodyForm(type.value, plainData);
  if (reading.official === 'raw') return octetBody(editor, bodyPath, body);
  if (type.value !== reading.official) editor.replaceValue(type, reading.official);
  if (isMap(data) && isFieldMap(plainData)) {
    if (reading.official === 'multipartForm') mapToParts(editor, data);
    if (reading.official === 'formUrlEncoded') quoteFields(editor, data);
  }
  return undefined;
};
