/**
 * `capstan upgrade`: rewrites a document into the other generation with the `yaml` Document API,
 * so comments, key order and scalar styles survive wherever the shape allows.
 */
import { yamlLib } from '../yaml-lib.js';
import { alpha2ToBeta5 } from './alpha2/to-beta5.js';
import { dropBetaOnlyKeys, unsupportedImports } from './beta5/beta-only.js';
import { beta5ToAlpha2 } from './beta5/to-alpha2.js';
import { declaredGeneration, type Generation } from './index.js';
import { retargetModeline } from './modeline.js';

/** The outcome of rewriting one document. */
export interface UpgradeResult {
  from: Generation;
  to: Generation;
  /** The rewritten text (the input itself when nothing changed). */
  text: string;
  /** False when the document already is in the target generation. */
  changed: boolean;
  /** What could not be carried over, one line each. */
  notes: string[];
}

/** Thrown when the text is not a document `upgrade` can rewrite. */
export class UpgradeError extends Error {}

/** Rewrites `text` into generation `to` (default: the other one). */
export function upgradeDocument(text: string, to?: Generation): UpgradeResult {
  const doc = yamlLib().parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new UpgradeError(`the file is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const from = declaredGeneration(doc.toJS());
  if (!from || !yamlLib().isMap(doc.contents)) throw new UpgradeError('not a capability document: the first key must be `naftiko:` (alpha2) or `ikanos:` (beta5)');
  const target = to ?? (from === 'alpha2' ? 'beta5' : 'alpha2');
  if (target === from) return { from, to: target, text, changed: false, notes: [] };
  let notes: string[];
  if (target === 'beta5') {
    notes = alpha2ToBeta5(doc);
  } else {
    notes = unsupportedImports(doc.contents);
    beta5ToAlpha2(doc, { version: '1.0.0-alpha2' });
    notes.push(...dropBetaOnlyKeys(doc.contents));
  }
  const retargeted = retargetModeline(doc.toString({ lineWidth: 0 }), from, target);
  return { from, to: target, text: retargeted.text, changed: true, notes: [...notes, ...retargeted.notes] };
}
