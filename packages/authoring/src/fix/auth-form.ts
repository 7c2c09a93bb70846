/**
 * A consumed `authentication` written another way (`type: apiKey`, `type: header`, `in`/`name`
 * instead of `placement`/`key`, …) that Capstan performs as one of the official schemes: the
 * official object is written from what Capstan compiled (basic, digest, bearer or apikey with
 * their official keys). The verified pass keeps it only when the compiled graph is unchanged.
 */
import { isMap } from 'yaml';
import { flowText, scalarText } from './edits.js';
import type { Removal } from './ignored.js';
import { scalar } from './fixers.js';
import { AUTH_KEPT } from './kept.js';

/** Official schemes and their keys, in the order they are written. */
const OFFICIAL: Record<string, readonly string[]> = {
  basic: ['username', 'password'],
  digest: ['username', 'password'],
  bearer: ['token'],
  apikey: ['key', 'value', 'placement'],
};

/** Rewrites the `authentication` at `path` into the official form of its compiled scheme. */
export const officialAuth: Removal = (editor, path, _message, graph) => {
  const namespace = scalar(editor, path.slice(0, -1), 'namespace');
  const auth = namespace ? (graph?.consumes.get(namespace)?.auth as Record<string, unknown> | undefined) : undefined;
  const keys = auth ? OFFICIAL[String(auth.type)] : undefined;
  const node = editor.doc.getIn(path, true);
  // A scheme outside the official list, or one carrying more than the official keys, is kept.
  if (!auth || !keys || !isMap(node) || !node.range || Object.keys(auth).some((k) => k !== 'type' && !keys.includes(k))) return AUTH_KEPT;
  const official: Record<string, unknown> = { type: auth.type, ...Object.fromEntries(keys.filter((k) => auth[k] !== undefined).map((k) => [k, auth[k]])) };
  if (node.flow) {
    editor.replaceRange(node.range[0], node.range[1], flowText(official));
    return undefined;
  }
  const start = node.range[0];
  const column = start - editor.lineStart(start);
  const lines = Object.entries(official).map(([k, v], i) => `${i ? ' '.repeat(column) : ''}${k}: ${scalarText(v)}`);
  editor.replaceRange(start, editor.lineEnd(node.range[1] - 1), lines.join(editor.lineBreak));
  return undefined;
};
