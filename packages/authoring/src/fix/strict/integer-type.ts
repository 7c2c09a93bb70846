/** `fix --strict` for `integer-type`: `type: integer` where the official schema has only `number`. */
import { isScalar } from 'yaml';
import type { StrictRewrite } from '../strict.js';

export const integerAsNumber: StrictRewrite = (editor, path) => {
  const node = editor.doc.getIn(path, true);
  if (!isScalar(node) || node.value !== 'integer') return 'no `type: integer` found there';
  editor.replaceValue(node, 'number');
  return { change: 'the served schema says `number` instead of `integer`; a fractional value is now accepted and converted as a number' };
};
