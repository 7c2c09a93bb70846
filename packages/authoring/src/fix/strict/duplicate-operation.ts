/**
 * `fix --strict` for `duplicate-operation`: a consumed operation whose name an earlier one of the
 * namespace already has. Capstan serves only the first; every `call` reaches it.
 * - A named duplicate is never reached: it becomes a comment (nothing served changes).
 * - Unnamed operations (no `name`, e.g. an `id` written instead, which `fix` comments out as an
 *   unknown key) are all called `` by Capstan, and no official `call` reaches any of them. Each
 *   gets the name the author gave it as `id`/`operationId`, else one from its method and path
 *   (as `import openapi` names an operation without an operationId), unique in the namespace;
 *   `required-key` names the first one (its missing `name`) the same way.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { YamlEditor } from '../edits.js';
import type { Path } from '../fixers.js';
import { NameRegistry } from '../../openapi/names.js';
import { UNKNOWN_KEY_NOTE } from '../schema-fixers.js';
import type { Rewritten, StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

const ID_KEYS = ['id', 'operationId'];
/** The operations named so far by each pass's editor. */
const namedIn = new WeakMap<YamlEditor, WeakSet<YAMLMap>>();
const text = (map: YAMLMap, key: string): string | undefined => {
  const v = map.get(key, true);
  return isScalar(v) && v.value !== null && v.value !== '' ? String(v.value) : undefined;
};

/** The `id` the author wrote on an operation: still a key, or in the comment `fix` turned it into (after `from`). */
function authorId(editor: YamlEditor, op: YAMLMap, from: number): string | undefined {
  for (const key of ID_KEYS) if (text(op, key)) return text(op, key);
  const before = editor.text.slice(from, op.range![1]);
  const note = UNKNOWN_KEY_NOTE.replace(/[()]/g, '\\$&');
  return new RegExp(`# ${note}: (?:${ID_KEYS.join('|')}): ['"]?([^'"\\s#]+)`).exec(before)?.[1];
}

/** A name for every unnamed operation of the consumed namespace at `entryPath`, by its node. */
function namesForUnnamed(editor: YamlEditor, entryPath: Path): Map<YAMLMap, { name: string; source: string }> {
  const names = new NameRegistry(64);
  const unnamed: Array<{ op: YAMLMap; wanted: string; fallback: string }> = [];
  const resources = editor.doc.getIn([...entryPath, 'resources'], true);
  for (const res of isSeq(resources) ? resources.items : []) {
    if (!isMap(res)) continue;
    const opsPair = editor.pair(res, 'operations');
    const ops = opsPair?.value;
    // A comment `fix` left above an item sits between the previous item (or the key) and it.
    let from = opsPair ? opsPair.key.range![1] : 0;
    for (const op of isSeq(ops) ? ops.items : []) {
      if (!isMap(op)) continue;
      const name = text(op, 'name');
      if (name) names.take(name, name);
      else unnamed.push({ op, wanted: authorId(editor, op, from) ?? '', fallback: `${text(op, 'method') ?? 'GET'}-${text(res, 'path') ?? ''}-${text(op, 'path') ?? ''}` });
      from = op.range![1];
    }
  }
  return new Map(unnamed.map(({ op, wanted, fallback }) => [op, { name: names.take(wanted, fallback), source: wanted ? 'its `id`' : 'its method and path' }]));
}

/**
 * Names the unnamed consumed operation at `opPath` (from its `id`, else its method and path,
 * unique in the namespace). Capstan calls every unnamed operation ``, which no official `call`
 * reaches, so the name changes no answer; a `call` naming its `id` now reaches it.
 */
export function nameUnnamedOperation(editor: YamlEditor, opPath: Path): Rewritten | string | false {
  const op = editor.mapAt(opPath);
  const at = opPath.lastIndexOf('consumes');
  if (!op || at < 0 || opPath.at(-2) !== 'operations') return 'no consumed operation found there';
  if (text(op, 'name')) return 'the operation has a name';
  // Its missing `name` and its being a duplicate are two findings: the first names it, the other waits a pass.
  const named = namedIn.get(editor) ?? new WeakSet<YAMLMap>();
  namedIn.set(editor, named);
  if (named.has(op)) return false;
  const entryPath = opPath.slice(0, at + 2);
  const namespace = text(editor.mapAt(entryPath)!, 'namespace') ?? '';
  const given = namesForUnnamed(editor, entryPath).get(op);
  if (!given) return 'no name could be given to the operation';
  named.add(op);
  const anchor = [...ID_KEYS, 'method'].map((k) => editor.pair(op, k)).find((p) => p !== undefined);
  editor.insertKey(op, 'name', given.name, anchor);
  return {
    change: `the operation had no name (Capstan called it \`\` and no official \`call\` reached it); it is now \`${given.name}\` (from ${given.source}), so \`call: ${namespace}.${given.name}\` reaches it`,
  };
}

export const duplicateOperationOfficial: StrictRewrite = (editor, path) => {
  const opPath = path.at(-1) === 'name' ? path.slice(0, -1) : path;
  const op = editor.mapAt(opPath);
  const at = opPath.lastIndexOf('consumes');
  if (!op || at < 0 || opPath.at(-2) !== 'operations') return 'no consumed operation found there';
  const name = text(op, 'name');
  if (!name) return nameUnnamedOperation(editor, opPath);
  const namespace = text(editor.mapAt(opPath.slice(0, at + 2))!, 'namespace') ?? '';
  return commentOutStrict(editor, opPath, 'duplicate-operation') ?? {
    change: `none: every \`call: ${namespace}.${name}\` reached the earlier operation of that name and still does; this one is now a comment (give it its own \`name\` to serve it)`,
  };
};
