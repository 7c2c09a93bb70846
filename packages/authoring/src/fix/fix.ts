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
import { planStrict, strictRewriteFor } from './strict.js';

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
  /**
   * With `strict`: findings rewritten into the nearest official form although it serves
   * differently, each with what changes.
   */
  altered: Altered[];
}

/** Options of `fixFile`. */
export interface FixOptions {
  /**
   * Reach the official schema's letter: constructs with no official form that serves the same
   * are rewritten into the nearest official form too (each reported in `altered`).
   */
  strict?: boolean;
}

/** A finding rewritten by `fix --strict` into an official form that serves differently. */
export interface Altered {
  diagnostic: Diagnostic;
  /** The construct's kind, when it is one with no official form. */
  kind?: NoOfficialKind;
  /** What the rewrite changes in what is served, for the author. */
  change: string;
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
/** The strict check's code for a Capstan extension key (`x-capstan-*`, `resiliency`, `cacheControl`). */
const EXTENSION_CODE = 'capstan-extension';
/** Rewrites can reveal or enable others (a prefix respelled, then its case); a few passes settle them. */
const MAX_PASSES = 8;

/** Plans and applies the fixes for `file`; nothing is written. */
export function fixFile(file: string, options: FixOptions = {}): FixResult {
  const text = readFileSync(file, 'utf8');
  const result: FixResult = { file, text, changed: false, fixed: [], left: [], altered: [] };
  const rejected: Rejected = new Map();
  for (let pass = 0; ; pass++) {
    const removed = removeIgnored(file, result.text, rejected);
    result.fixed.push(...removed.fixed);
    result.text = removed.text;
    const next = fixPass(file, result.text, rejected, options);
    result.left = next.left;
    if (next.text === result.text) {
      if (removed.fixed.length && pass < MAX_PASSES) continue; // a removal can enable another (an emptied list, then its owner)
      break;
    }
    if (pass === MAX_PASSES) {
      result.left.push(...[...next.fixed, ...next.altered.map((a) => a.diagnostic)].map((diagnostic) => ({ diagnostic, reason: 'it waits on other rewrites: run `capstan fix` again', noOfficialForm: false })));
      break;
    }
    if (breaks(file, result.text, next.text)) {
      // Never hand back a file that loads worse than before: keep the last good text.
      result.left.push(...[...next.fixed, ...next.altered.map((a) => a.diagnostic)].map((diagnostic) => ({ diagnostic, reason: 'rewriting it together with the others would break the file; fix it by hand', noOfficialForm: false })));
      break;
    }
    result.fixed.push(...next.fixed);
    result.altered.push(...next.altered);
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

type Pass = Pick<FixResult, 'text' | 'fixed' | 'left' | 'altered'>;

/** One pass: every finding of `text` with a fix is rewritten unless its edits collide with another's. */
function fixPass(file: string, text: string, rejected: Rejected, options: FixOptions): Pass {
  const out: Pass = { text, fixed: [], left: [], altered: [] };
  const editor = new YamlEditor(text);
  // One fix per node and code: a form reported twice is rewritten once.
  const done = new Set<string>();
  const checked = checkSpec(file, { text });
  const compiled: Compiled = { ...(checked.graph ? { graph: checked.graph } : {}), ...(checked.loaded.document ? { locate: checked.loaded.document.locate } : {}) };
  /** A finding `fix` would leave: with `strict`, rewritten into the nearest official form when a rewrite exists. */
  const leave = (d: Diagnostic, left: Left) => {
    const rewrite = options.strict ? strictRewriteFor(d, left.kind) : undefined;
    if (!rewrite) return void out.left.push(left);
    const planned = planStrict(editor, rewrite, d, compiled);
    if (planned === false) return; // collides with another rewrite of this pass: the next pass does it
    if (typeof planned === 'string') out.left.push({ diagnostic: d, reason: `${left.reason}; \`--strict\` cannot rewrite it: ${planned}`, noOfficialForm: false });
    else out.altered.push({ diagnostic: d, ...(left.kind ? { kind: left.kind } : {}), change: planned.change });
  };
  // Capstan extensions are silent in the default mode: only the strict check reports them.
  const extensions = options.strict ? checkSpec(file, { text, strict: true }).diagnostics.filter((d) => d.file === file && d.code === EXTENSION_CODE) : [];
  for (const d of extensions) leave(d, { diagnostic: d, reason: 'a Capstan extension, not part of the official schema', noOfficialForm: false });
  for (const d of checked.diagnostics) {
    if (d.file !== file) {
      if (d.severity === 'warning') out.left.push({ diagnostic: d, reason: `in ${d.file}; run \`capstan fix\` on that file`, noOfficialForm: false });
      continue;
    }
    if (d.severity !== 'warning') continue; // errors are not de-facto forms (`validate` explains them); info lines are notes
    const kept = keptReason(d) ?? rejected.get(rejectionKey(d)) ?? keptUnlessRewritten(d);
    if (kept) {
      leave(d, leftOf(d, kept));
      continue;
    }
    // A key Capstan reads outside the schema (READ_KEY_CODES) is an unknown key to the official schema.
    const fixer = READ_KEY_CODES.has(d.code) ? SCHEMA_FIXERS['unknown-key'] : d.code.startsWith(PREFIX) ? FIXERS[d.code.slice(PREFIX.length)] : SCHEMA_FIXERS[d.code];
    if (!fixer || !d.path) {
      leave(d, { diagnostic: d, reason: `no automatic fix for \`${d.code}\`; ${d.fix ?? 'see `capstan validate`'}`, noOfficialForm: false });
      continue;
    }
    const key = `${d.code}:${JSON.stringify(d.path)}`;
    if (done.has(key)) continue;
    done.add(key);
    const path = d.path;
    const why = editor.transaction(() => fixer(editor, path, d.message, compiled));
    if (why === false) continue; // collides with another rewrite of this pass: the next pass does it
    if (why) leave(d, leftOf(d, why));
    else out.fixed.push(d);
  }
  out.text = editor.result();
  return out;
}
