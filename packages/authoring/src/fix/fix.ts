/**
 * `fix`: rewrites the de-facto forms the validator reports (`defacto-*` warnings with a path)
 * into their official forms, editing only the lines concerned.
 */
import { readFileSync } from 'node:fs';
import { checkSpec, READ_KEY_CODES, type Diagnostic } from '@capstan/spec';
import { YamlEditor } from './edits.js';
import type { Compiled } from './compiled.js';
import { FIXERS } from './fixers.js';
import { kindOf, type NoOfficialKind } from './no-official.js';
import { SCHEMA_FIXERS } from './schema-fixers.js';
import { keptReason, keptUnlessRewritten } from './kept.js';
import { rejectionKey, removeIgnored, type Rejected } from './verified.js';

/** What `fix` did to one file. */
export interface FixResult {
  file: string;
  /** The new text (the old one when nothing changed). */
  text: string;
  changed: boolean;
  /** The findings rewritten. */
  fixed: Diagnostic[];
  /**
   * Findings that stay, each with why; `noOfficialForm` when no official form serves the same
   * (the construct is kept on purpose), false when `fix` could not apply one.
   */
  left: Left[];
}

/** A finding `fix` leaves, with why. */
export interface Left {
  diagnostic: Diagnostic;
  reason: string;
  /** True when no official form serves the same: the construct is kept on purpose. */
  noOfficialForm: boolean;
  /** Which construct with no official form (see `NO_OFFICIAL_KINDS`), when `noOfficialForm`. */
  kind?: NoOfficialKind;
}

function leftOf(diagnostic: Diagnostic, reason: string): Left {
  const kind = kindOf(reason);
  return kind ? { diagnostic, reason, noOfficialForm: true, kind } : { diagnostic, reason, noOfficialForm: false };
}

const PREFIX = 'defacto-';
/** Rewrites can reveal or enable others (a prefix respelled, then its case); a few passes settle them. */
const MAX_PASSES = 8;

/** Plans and applies the fixes for `file`; nothing is written. */
export function fixFile(file: string): FixResult {
  const text = readFileSync(file, 'utf8');
  const result: FixResult = { file, text, changed: false, fixed: [], left: [] };
  const rejected: Rejected = new Map();
  for (let pass = 0; ; pass++) {
    const removed = removeIgnored(file, result.text, rejected);
    result.fixed.push(...removed.fixed);
    result.text = removed.text;
    const next = fixPass(file, result.text, rejected);
    result.left = next.left;
    if (next.text === result.text) {
      if (removed.fixed.length && pass < MAX_PASSES) continue; // a removal can enable another (an emptied list, then its owner)
      break;
    }
    if (pass === MAX_PASSES) {
      result.left.push(...next.fixed.map((diagnostic) => ({ diagnostic, reason: 'it waits on other rewrites: run `capstan fix` again', noOfficialForm: false })));
      break;
    }
    if (breaks(file, result.text, next.text)) {
      // Never hand back a file that loads worse than before: keep the last good text.
      result.left.push(...next.fixed.map((diagnostic) => ({ diagnostic, reason: 'rewriting it together with the others would break the file; fix it by hand', noOfficialForm: false })));
      break;
    }
    result.fixed.push(...next.fixed);
    result.text = next.text;
  }
  result.changed = result.text !== text;
  return result;
}

/** True when `after` has load errors `before` did not. */
function breaks(file: string, before: string, after: string): boolean {
  const errors = (text: string) => checkSpec(file, { text }).diagnostics.filter((d) => d.severity === 'error').length;
  return errors(after) > errors(before);
}

/** One pass: every finding of `text` with a fix is rewritten unless its edits collide with another's. */
function fixPass(file: string, text: string, rejected: Rejected): Pick<FixResult, 'text' | 'fixed' | 'left'> {
  const out: Pick<FixResult, 'text' | 'fixed' | 'left'> = { text, fixed: [], left: [] };
  const editor = new YamlEditor(text);
  // One fix per node and code: a form reported twice is rewritten once.
  const done = new Set<string>();
  const checked = checkSpec(file, { text });
  const compiled: Compiled = { ...(checked.graph ? { graph: checked.graph } : {}), ...(checked.loaded.document ? { locate: checked.loaded.document.locate } : {}) };
  for (const d of checked.diagnostics) {
    if (d.file !== file) {
      if (d.severity === 'warning') out.left.push({ diagnostic: d, reason: `in ${d.file}; run \`capstan fix\` on that file`, noOfficialForm: false });
      continue;
    }
    if (d.severity !== 'warning') continue; // errors are not de-facto forms (`validate` explains them); info lines are notes
    const kept = keptReason(d) ?? rejected.get(rejectionKey(d)) ?? keptUnlessRewritten(d);
    if (kept) {
      out.left.push(leftOf(d, kept));
      continue;
    }
    // A key Capstan reads outside the schema (READ_KEY_CODES) is an unknown key to the official schema.
    const fixer = READ_KEY_CODES.has(d.code) ? SCHEMA_FIXERS['unknown-key'] : d.code.startsWith(PREFIX) ? FIXERS[d.code.slice(PREFIX.length)] : SCHEMA_FIXERS[d.code];
    if (!fixer || !d.path) {
      out.left.push({ diagnostic: d, reason: `no automatic fix for \`${d.code}\`; ${d.fix ?? 'see `capstan validate`'}`, noOfficialForm: false });
      continue;
    }
    const key = `${d.code}:${JSON.stringify(d.path)}`;
    if (done.has(key)) continue;
    done.add(key);
    const path = d.path;
    const why = editor.transaction(() => fixer(editor, path, d.message, compiled));
    if (why === false) continue; // collides with another rewrite of this pass: the next pass does it
    if (why) out.left.push(leftOf(d, why));
    else out.fixed.push(d);
  }
  out.text = editor.result();
  return out;
}
