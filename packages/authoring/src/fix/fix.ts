/**
 * `fix`: rewrites the de-facto forms the validator reports (`defacto-*` warnings with a path)
 * into their official forms, editing only the lines concerned.
 */
import { readFileSync } from 'node:fs';
import { checkSpec, type Diagnostic } from '@capstan/spec';
import { YamlEditor } from './edits.js';
import { FIXERS } from './fixers.js';

/** What `fix` did to one file. */
export interface FixResult {
  file: string;
  /** The new text (the old one when nothing changed). */
  text: string;
  changed: boolean;
  /** The findings rewritten. */
  fixed: Diagnostic[];
  /** Findings that stay, each with why. */
  left: Array<{ diagnostic: Diagnostic; reason: string }>;
}

const PREFIX = 'defacto-';

/** Plans and applies the fixes for `file`; nothing is written. */
export function fixFile(file: string): FixResult {
  const text = readFileSync(file, 'utf8');
  const loaded = checkSpec(file);
  const result: FixResult = { file, text, changed: false, fixed: [], left: [] };
  const editor = new YamlEditor(text);
  // One fix per node and code: a form reported twice is rewritten once.
  const done = new Set<string>();
  for (const d of loaded.diagnostics) {
    if (d.file !== file) {
      if (d.severity === 'warning') result.left.push({ diagnostic: d, reason: `in ${d.file}; run \`capstan fix\` on that file` });
      continue;
    }
    if (d.severity !== 'warning') continue; // errors are not de-facto forms (`validate` explains them); info lines are notes
    const fixer = d.code.startsWith(PREFIX) ? FIXERS[d.code.slice(PREFIX.length)] : undefined;
    if (!fixer || !d.path) {
      result.left.push({ diagnostic: d, reason: `no automatic fix for \`${d.code}\`; ${d.fix ?? 'see `capstan validate`'}` });
      continue;
    }
    const key = `${d.code}:${JSON.stringify(d.path)}`;
    if (done.has(key)) continue;
    done.add(key);
    const why = fixer(editor, d.path, d.message);
    if (why) result.left.push({ diagnostic: d, reason: why });
    else result.fixed.push(d);
  }
  result.text = editor.result();
  result.changed = result.text !== text;
  return result;
}
