/**
 * A `with` key the called operation does not read (`unknown-with-key`: no parameter, path
 * placeholder or request template of the operation names it). It joins the parameter map, which
 * past the request only feeds the unit's output `value` templates; when none of those reads it
 * either, and the unit declares its inputs (an input-less unit derives them from its `with`
 * references), it does nothing, and it is commented out. Otherwise it stays (no official key
 * says "a value for templates only").
 */
import { templateVariables } from '@capstan/spec';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Fixer } from './fixers.js';
import { noOfficial } from './no-official.js';

const KEPT = noOfficial('with-key-for-templates', 'Capstan adds the entry to the parameter map that templates read; no official key says that');

/** Comments out a `with` entry of a REST operation or MCP tool that nothing reads. */
export const unreadWithKey: Fixer = (editor, path) => {
  const key = path.at(-1);
  const unitPath = path.slice(0, -2);
  const unit = editor.mapAt(unitPath);
  const withMap = editor.mapAt(path.slice(0, -1));
  const pair = withMap && typeof key === 'string' ? editor.pair(withMap, key) : undefined;
  // Only a simple-mode REST operation or MCP tool: a step's or a function's map goes further.
  const simple = path[1] === 'exposes' && (unitPath.at(-2) === 'operations' || unitPath.at(-2) === 'tools') && unit && editor.pair(unit, 'call') && !editor.pair(unit, 'steps');
  if (!simple || !withMap || !pair || typeof key !== 'string') return KEPT;
  // A unit that declares no inputs derives them from its `with` references: the entry shapes
  // the served inputs then. So does a reference to an input the unit does not declare.
  const inputs = editor.doc.getIn([...unitPath, 'inputParameters'], true);
  const declared = isSeq(inputs) ? inputs.items.flatMap((i) => (isMap(i) && typeof i.get('name') === 'string' ? [i.get('name') as string] : [])) : [];
  const value = isScalar(pair.value) ? String(pair.value.value) : '';
  const ref = /^[a-zA-Z0-9-]+\.([^\s{}]+)$/.exec(value)?.[1];
  if (!declared.length || (ref !== undefined && !declared.includes(ref))) return KEPT;
  const outputs = editor.doc.getIn([...unitPath, 'outputParameters']);
  const read = templateVariables(JSON.stringify(outputs ?? null)).some((v) => v.split('.')[0] === key);
  if (read) return KEPT;
  editor.commentOutKey(withMap, pair, 'read by nothing, ignored (capstan fix)');
  return undefined;
};
