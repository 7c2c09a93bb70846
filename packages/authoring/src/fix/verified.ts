/**
 * The pass that removes (or respells) constructs Capstan ignores, each kept only when the
 * compiled graph is unchanged. All candidates are tried together first; when the graph moves,
 * each is tried alone, and the ones that move it are remembered as read by Capstan.
 */
import { checkSpec, type Diagnostic } from '@capstan/spec';
import { YamlEditor } from './edits.js';
import { REMOVALS } from './ignored.js';
import { AUTH_KEPT, keptReason } from './kept.js';
import { kindOf, noOfficial } from './no-official.js';
import { compiledKey, graphKey } from './same-graph.js';

/** Findings whose removal would change the graph, by `rejectionKey`, with why they stay. */
export type Rejected = Map<string, string>;

/** Identifies a finding across passes (removals comment lines out, so lines stay put). */
export const rejectionKey = (d: Diagnostic): string => `${d.code}|${d.line}|${d.column}|${d.message}`;

const READ = noOfficial('value-read', 'Capstan reads this value (removing it would change what is served) and the official schema has no value that says the same');

/** One removal pass over `text`: the new text and the findings it removed. */
export function removeIgnored(file: string, text: string, rejected: Rejected): { text: string; fixed: Diagnostic[] } {
  const checked = checkSpec(file, { text });
  if (!checked.graph) return { text, fixed: [] };
  const before = graphKey(checked.graph);
  const candidates = checked.diagnostics.filter((d) => d.file === file && d.severity === 'warning' && d.path && REMOVALS[d.code] && !keptReason(d) && !rejected.has(rejectionKey(d)));
  const plan = (ds: Diagnostic[]) => {
    const editor = new YamlEditor(text);
    const planned = ds.filter((d) => {
      const why = editor.transaction(() => REMOVALS[d.code]!(editor, d.path!, d.message, checked.graph));
      // A construct the removal knows has no official form is kept with that reason.
      if (why && kindOf(why)) rejected.set(rejectionKey(d), why);
      return why === undefined;
    });
    return { text: editor.result(), planned };
  };
  const all = plan(candidates);
  if (!all.planned.length) return { text, fixed: [] };
  if (compiledKey(file, all.text) === before) return { text: all.text, fixed: all.planned };
  // Some removal changes the graph: find which, one at a time.
  const safe: Diagnostic[] = [];
  for (const d of all.planned) {
    const one = plan([d]);
    if (one.planned.length && compiledKey(file, one.text) === before) safe.push(d);
    else rejected.set(rejectionKey(d), d.code === 'defacto-consumed-auth-scheme' ? AUTH_KEPT : READ);
  }
  const some = plan(safe);
  if (some.planned.length && compiledKey(file, some.text) === before) return { text: some.text, fixed: some.planned };
  // Together they interfere: keep the first alone; the next pass tries the rest again.
  const first = plan(safe.slice(0, 1));
  return first.planned.length ? { text: first.text, fixed: first.planned } : { text, fixed: [] };
}
