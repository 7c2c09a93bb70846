/**
 * `fix --strict` for `unnamed-outputs`: several outputs of a `call`, not all named, or named
 * with a name twice. The official outputs have no `name`.
 * - Not all named: Capstan answers the first output that resolves, names unused; the names are
 *   commented out and the answers stay the same.
 * - All named, a name twice: Capstan answers an object keyed by name, the later output of a name
 *   giving its value; the earlier ones are commented out, then plain `fix` makes the outputs,
 *   now uniquely named, one `type: object` output: the same values under the same keys.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { YamlEditor } from '../edits.js';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

const nameOf = (editor: YamlEditor, item: unknown): string | undefined => {
  const v = isMap(item) ? editor.pair(item as YAMLMap, 'name')?.value : undefined;
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
};

export const unnamedOutputs: StrictRewrite = (editor, path) => {
  const index = path.at(-2);
  const seq = editor.doc.getIn(path.slice(0, -2), true);
  if (path.at(-1) !== 'name' || typeof index !== 'number' || !isSeq(seq)) return 'no named output in a list found there';
  const names = seq.items.map((item) => nameOf(editor, item));
  const name = names[index];
  if (name === undefined) return 'the output has no name';
  if (names.some((n) => n === undefined)) {
    commentOutStrict(editor, path, 'unnamed-outputs');
    const key = index === 0 ? 'value' : `value${index}`;
    return { change: `the answers stay the same (the first output that resolves; its name named nothing in them); the OpenAPI response schema calls this output \`${key}\` instead of \`${name}\`` };
  }
  if (names.lastIndexOf(name) > index) {
    commentOutStrict(editor, path.slice(0, -1), 'unnamed-outputs');
    return { change: `the same values: this output of name \`${name}\` was shadowed by a later one of that name (Capstan's answer holds the later one's value); the key \`${name}\` may move to where the later output stands` };
  }
  return 'it waits for the earlier outputs of the same name to be removed: run `capstan fix --strict` again';
};
