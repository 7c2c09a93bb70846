/**
 * How `fix --strict` removes a construct outright: it becomes comment lines where it was, under
 * `# capstan fix --strict removed (<kind>): <original text>`, so the author can read what went
 * and restore it. Every strict rewrite that removes something uses these.
 */
import { isSeq } from 'yaml';
import type { YamlEditor } from '../edits.js';
import type { Path } from '../fixers.js';

/** The note above a construct `fix --strict` removed (`kind`: its kind or diagnostic code). */
export const strictRemovalNote = (kind: string): string => `capstan fix --strict removed (${kind})`;

/**
 * Comments out what `path` names: the list item when it ends at an index, else the key and its
 * value. Returns why not when there is nothing there (plan it before any other edit).
 */
export function commentOutStrict(editor: YamlEditor, path: Path, kind: string): string | undefined {
  const last = path.at(-1);
  if (typeof last === 'number') {
    const seq = editor.doc.getIn(path.slice(0, -1), true);
    if (!isSeq(seq) || !seq.items[last]) return 'the list item was not found';
    editor.commentOutItem(seq, last, strictRemovalNote(kind));
    return undefined;
  }
  const map = editor.mapAt(path.slice(0, -1));
  const pair = map && last !== undefined ? editor.pair(map, last) : undefined;
  if (!map || !pair) return 'the key was not found';
  editor.commentOutKey(map, pair, strictRemovalNote(kind));
  return undefined;
}
