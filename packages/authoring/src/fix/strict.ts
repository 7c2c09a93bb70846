/**
 * `fix --strict`: constructs with no official form that serves the same (the kinds of
 * `no-official.ts`) and findings `fix` cannot rewrite safely are rewritten into the nearest
 * official form anyway, so the file passes `--strict`. Each such rewrite changes what is
 * served; it says how, and the CLI prints it (`changed [kind] …`).
 */
import type { Diagnostic } from '@capstan/spec';
import type { Compiled } from './compiled.js';
import type { YamlEditor } from './edits.js';
import type { Path } from './fixers.js';
import type { NoOfficialKind } from './no-official.js';
import { integerAsNumber } from './strict/integer-type.js';
import { misvaluedAsOfficial, unknownTypeAsString } from './strict/misvalued.js';
import { duplicateOperationOfficial } from './strict/duplicate-operation.js';
import { authSchemeOfficial } from './strict/auth-scheme.js';
import { templatedBaseUriOfficial } from './strict/templated-base-uri.js';
import { consumedRequired, restRequired } from './strict/required.js';
import { removeExtension } from './strict/extensions.js';
import { declareUndeclared } from './strict/undeclared-input.js';
import { withKeyForTemplates } from './strict/with-key.js';
import { nameAsWrittenOfficial } from './strict/name-as-written.js';
import { skillKeyRemoved } from './strict/skill-calls.js';
import { requiredKeyOfficial } from './strict/required-key.js';
import { valueReadOfficial } from './strict/value-read.js';
import { beta5KeyRemoved } from './strict/beta5-key.js';
import { freeFormOutput } from './strict/free-form-output.js';
import { outputDescription, outputMaxLength, outputValues } from './strict/output-keys.js';
import { unknownAnswerFormat } from './strict/answer-format.js';
import { unnamedOutputs } from './strict/unnamed-outputs.js';

/** A strict rewrite that was planned: what it changes in what is served, said to the author. */
export interface Rewritten {
  change: string;
}

/**
 * Plans the edits that make the construct at `path` official. Returns what the rewrite changes,
 * why it cannot be done (a string), or false when its edits collide with another rewrite of the
 * pass (the next pass retries).
 */
export type StrictRewrite = (editor: YamlEditor, path: Path, d: Diagnostic, compiled: Compiled) => Rewritten | string | false;

/** One rewrite per construct kind with no official form. */
export const STRICT_REWRITES: Partial<Record<NoOfficialKind, StrictRewrite>> = {
  'auth-scheme': authSchemeOfficial,
  'templated-base-uri': templatedBaseUriOfficial,
  'with-key-for-templates': withKeyForTemplates,
  'undeclared-input': declareUndeclared,
  'integer-type': integerAsNumber,
  'answer-format': unknownAnswerFormat,
  'consumed-required': consumedRequired,
  'rest-required': restRequired,
  'name-as-written': nameAsWrittenOfficial,
  'skill-calls': skillKeyRemoved,
  'required-key': requiredKeyOfficial,
  // An unknown `type` has no value-read form of its own: it gets the one `fix --strict` writes when `fix` leaves it.
  'value-read': (editor, path, d, compiled) => {
    const done = valueReadOfficial(editor, path, d, compiled);
    if (typeof done !== 'string') return done;
    const typed = unknownTypeAsString(editor, path, d, compiled);
    return typeof typed === 'string' ? done : typed;
  },
  'beta5-key': beta5KeyRemoved,
  'unshaped-output': freeFormOutput,
  'unnamed-outputs': unnamedOutputs,
  'output-description': outputDescription,
  'output-max-length': outputMaxLength,
  'output-values': outputValues,
};

/** Rewrites for findings `fix` leaves as "not fixed" (by diagnostic code). */
export const STRICT_REWRITES_BY_CODE: Record<string, StrictRewrite> = {
  'wrong-type': misvaluedAsOfficial,
  'bad-value': misvaluedAsOfficial,
  'duplicate-operation': duplicateOperationOfficial,
  'capstan-extension': removeExtension,
};

/** Which strict rewrite applies to a finding left with `kind` (or, without one, to its code). */
export function strictRewriteFor(d: Diagnostic, kind: NoOfficialKind | undefined): StrictRewrite | undefined {
  return kind ? STRICT_REWRITES[kind] : STRICT_REWRITES_BY_CODE[d.code];
}

/** Applies `rewrite` as one transaction of `editor`. */
export function planStrict(editor: YamlEditor, rewrite: StrictRewrite, d: Diagnostic, compiled: Compiled): Rewritten | string | false {
  let planned: Rewritten | string | false = 'no path to rewrite';
  if (!d.path) return planned;
  const path = d.path;
  const why = editor.transaction(() => {
    planned = rewrite(editor, path, d, compiled);
    return typeof planned === 'string' ? planned : undefined;
  });
  return why === false ? false : planned;
}
