/**
 * Constructs Capstan ignores, which the official schema rejects: an exposed adapter of a type
 * Capstan does not serve, a second route or operation that a first one of the same name shadows,
 * a value of the wrong type that Capstan reads as absent, a list item that is not a mapping, a
 * `port` on a stdio MCP server, a consumed resource left without operations; and the value
 * Capstan assumes for a missing `path` or `method`, written out. Commenting them out
 * serves identically; `fix` keeps each removal only when the compiled graph stays the same
 * (see `same-graph.ts`), so a construct Capstan does read is never removed.
 */
import type { CapabilityGraph } from '@capstan/spec';
import { isMap, isScalar, isSeq } from 'yaml';
import { officialAuth } from './auth-form.js';
import type { YamlEditor } from './edits.js';
import type { Path } from './fixers.js';

/** Plans the removal for one finding; returns why not when the finding is not of that kind. */
export type Removal = (editor: YamlEditor, path: Path, message: string, graph?: CapabilityGraph) => string | undefined;

const NOTE = 'ignored by Capstan (capstan fix)';

/** Comments out the list item at `itemPath`. */
function commentOutItem(editor: YamlEditor, itemPath: Path, note: string): string | undefined {
  const index = itemPath.at(-1);
  const seq = editor.doc.getIn(itemPath.slice(0, -1), true);
  if (typeof index !== 'number' || !isSeq(seq)) return 'the list item was not found';
  editor.commentOutItem(seq, index, note);
  return undefined;
}

/** The path up to and including the last list index on it. */
function itemOf(path: Path): Path | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'number') return path.slice(0, i + 1);
  return undefined;
}

/** Comments out the key at `path`, or the item when `path` ends at a list item. */
function commentOutNode(editor: YamlEditor, path: Path, note: string): string | undefined {
  if (typeof path.at(-1) === 'number') return commentOutItem(editor, path, note);
  const map = editor.mapAt(path.slice(0, -1));
  const pair = map ? editor.pair(map, String(path.at(-1))) : undefined;
  if (!map || !pair) return 'the key was not found';
  editor.commentOutKey(map, pair, note);
  return undefined;
}

/** An adapter type Capstan does not serve: the whole adapter goes. */
const skippedAdapter: Removal = (editor, path) => (path.at(-1) === 'type' ? commentOutItem(editor, path.slice(0, -1), 'adapter type Capstan does not serve, skipped (capstan fix)') : 'not an adapter type');

/** A second route or operation of one name: the first answers, this one goes. */
const shadowed: Removal = (editor, path) => {
  const item = itemOf(path);
  return item ? commentOutItem(editor, item, 'shadowed by an earlier one of the same name, never used (capstan fix)') : 'not in a list';
};

/**
 * A mistyped or out-of-list value: removed when Capstan reads it as absent. A `port` beside
 * `transport: stdio` (a stdio server listens on no port) and a parameter with an unknown `in`
 * are the removals tried for those two values.
 */
const badValue: Removal = (editor, path, message) => {
  if (path.at(-1) === 'transport' && /got `stdio`/.test(message)) {
    const map = editor.mapAt(path.slice(0, -1));
    const port = map && editor.pair(map, 'port');
    if (!map || !port) return 'no `port` beside `transport: stdio`';
    editor.commentOutKey(map, port, 'a stdio MCP server listens on no port, ignored (capstan fix)');
    return undefined;
  }
  if (path.at(-1) === 'type' && path.at(-3) === 'exposes') return 'an adapter type (its own finding removes the adapter)';
  if (path.at(-1) === 'in' && path.at(-3) === 'inputParameters') return commentOutItem(editor, path.slice(0, -1), NOTE);
  return commentOutNode(editor, path, NOTE);
};

/** A consumed resource left without operations (a shadowed one removed): nothing reaches it, so it goes. */
const emptyResource: Removal = (editor, path, message) => {
  const map = editor.mapAt(path);
  if (!/missing required key `operations`/.test(message) || path[1] !== 'consumes' || path.at(-2) !== 'resources' || !map) return 'not an empty consumed resource';
  const ops = editor.pair(map, 'operations')?.value;
  const empty = !ops || (isScalar(ops) && ops.value === null) || (isSeq(ops) && !ops.items.some((o) => isMap(o)));
  if (!empty) return 'the resource has operations';
  return commentOutItem(editor, path, 'a consumed resource with no operations, unused (capstan fix)');
};

/**
 * A missing key the official schema requires whose value Capstan assumes: a consumed
 * resource's `path` (nothing is appended to `baseUri`) and an operation's `method` (`GET`, the
 * schema's documented default), written out.
 */
const assumedDefault: Removal = (editor, path, message) => {
  const key = /missing required key `(path|method)`/.exec(message)?.[1];
  const map = editor.mapAt(path);
  if (!key || !map) return 'not a key with an assumed default';
  const anchor = editor.pair(map, 'name');
  editor.insertKey(map, key, key === 'path' ? '' : 'GET', anchor);
  return undefined;
};

/** A missing key: the emptied consumed resource goes, or the value Capstan assumes is written. */
const missingKey: Removal = (editor, path, message) => {
  // Each plans no edit when it does not apply.
  return emptyResource(editor, path, message) === undefined ? undefined : assumedDefault(editor, path, message);
};

/** Removals by diagnostic code. */
export const REMOVALS: Record<string, Removal> = {
  'unknown-adapter-type': skippedAdapter,
  'duplicate-operation': shadowed,
  'duplicate-route': shadowed,
  'wrong-type': badValue,
  'bad-value': badValue,
  'missing-key': missingKey,
  'defacto-consumed-auth-scheme': officialAuth,
};
