/**
 * The beta5 front end: a parsed `ikanos:` document → its diagnostics (in its own keys and paths)
 * and the same document in the alpha2 model, whose positions still point into the author's file.
 * The compiler, runtime and adapters only ever see the alpha2 model.
 */
import type { LineCounter } from 'yaml';
import { yamlLib } from '../../yaml-lib.js';
import type { Diagnostic } from '../../diagnostics.js';
import { documentFromTree, type SourceDocument } from '../../source.js';
import { beta5ToAlpha2 } from './to-alpha2.js';
import { validateBeta5 } from './validate.js';

/** The result of reading a beta5 document. */
export interface Beta5Loaded {
  /** The document in the alpha2 model (positions in the beta5 file). */
  document: SourceDocument;
  diagnostics: Diagnostic[];
}

/** Validates a beta5 document and normalises it to the alpha2 model. */
export function loadBeta5(raw: SourceDocument): Beta5Loaded {
  const diagnostics = validateBeta5(raw);
  const lineCounter = new (yamlLib().LineCounter)();
  const tree = yamlLib().parseDocument(raw.text, { lineCounter, uniqueKeys: false });
  beta5ToAlpha2(tree);
  return { document: documentFromTree(raw.file, raw.absPath, raw.text, tree, lineCounter), diagnostics };
}
