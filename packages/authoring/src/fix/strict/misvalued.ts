/**
 * `fix --strict` for a value of the wrong type (`wrong-type`) or outside its official list
 * (`bad-value`) that `fix` leaves as "not fixed" (a file that does not load, so no compiled graph
 * says what Capstan reads); an unknown type is also the `value-read` rewrite's fallback. The
 * nearest official form:
 * - an unknown parameter `type` becomes `string`, the type the reference engine reads it as;
 * - a list item that is not a mapping, an empty value and a non-boolean MCP hint are read as
 *   absent (a hint is served only when it is a boolean): they become comments, nothing served changes;
 * - any other value becomes a comment, so Capstan uses what it assumes without the key.
 */
import { isScalar } from 'yaml';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

/** What a `wrong-type` or `bad-value` message says was given (`the text \`fa\``, `\`HEAD\``) and wanted (`a boolean`, `one of …`). */
function givenAndWanted(message: string): { given: string; wanted: string } {
  return { given: /; (?:found|got) ([^;]+)/.exec(message)?.[1] ?? 'the value', wanted: /must be ([^;]+?);/.exec(message)?.[1] ?? 'an official value' };
}

const PARAMETER_LISTS = new Set(['inputParameters', 'outputParameters', 'properties', 'items']);

/** The types JSON Schema knows: one of them outside its official list is a context problem, not an unknown type. */
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/**
 * An input or output `type` JSON Schema does not know (`type: b`) becomes `string`, the type the
 * reference engine reads it as; returns why not for any other finding (before any edit).
 */
export const unknownTypeAsString: StrictRewrite = (editor, path, d) => {
  const node = editor.doc.getIn(path, true);
  const inParameters = path.some((p) => typeof p === 'string' && PARAMETER_LISTS.has(p));
  if (path.at(-1) !== 'type' || d.code !== 'bad-value' || !/\bstring\b/.test(d.message) || !inParameters) return 'not an input or output type';
  if (!isScalar(node) || JSON_TYPES.has(String(node.value))) return 'not a type JSON Schema does not know';
  editor.replaceValue(node, 'string');
  // An MCP tool's input schema with an unknown type fails the SDK's schema check on every call.
  const calls = path.includes('tools') && path.includes('inputParameters') ? '; calls to the tool, which failed ("schema is invalid"), now reach the upstream' : '';
  return { change: `the served schema says \`string\` instead of \`${String(node.value)}\`, a type JSON Schema does not know${calls}; the reference engine reads an unknown type as \`string\` too` };
};

export const misvaluedAsOfficial: StrictRewrite = (editor, path, d, compiled) => {
  const key = path.at(-1);
  const node = editor.doc.getIn(path, true);
  if (typeof key === 'number') {
    const why = commentOutStrict(editor, path, d.code);
    return why ?? { change: 'none: Capstan skipped this list item (not a mapping), and it is now a comment' };
  }
  const typed = unknownTypeAsString(editor, path, d, compiled);
  if (typeof typed !== 'string') return typed;
  const why = commentOutStrict(editor, path, d.code);
  if (why) return why;
  if (isScalar(node) && (node.value === null || node.value === '')) return { change: `none: Capstan read the empty \`${String(key)}\` as absent, and it is now a comment` };
  if (path.at(-2) === 'hints') {
    return { change: `none served: an MCP client sees a \`${String(key)}Hint\` only for a boolean, so it saw none, as now; write \`true\` or \`false\` to set it` };
  }
  const { given, wanted } = givenAndWanted(d.message);
  return { change: `\`${String(key)}\` is now a comment: Capstan read what it could of ${given} and now uses what it assumes without the key; write ${wanted} to set it` };
};
