/**
 * Findings that are kept whole by their code or value: forms Capstan runs that no official form
 * serves the same (the kinds are in `no-official.ts`).
 */
import type { Diagnostic } from '@capstan/spec';
import { noOfficial } from './no-official.js';

/** De-facto forms by code. */
const KEPT: Record<string, string> = {
  'defacto-templated-base-uri': noOfficial('templated-base-uri', 'an official `baseUri` has no placeholders; Capstan fills them per request'),
  'unknown-template-variable': noOfficial(
    'undeclared-input',
    'the variable names nothing declared, yet callers can still supply it (inputs pass down whole); no official spelling renders the same, and which value was meant is for the author to say',
  ),
  'unknown-input-ref': noOfficial(
    'undeclared-input',
    'the tool does not declare this input, yet callers can still supply it and Capstan passes it on; declaring it would change the tool\'s input schema',
  ),
};

/** Schema values Capstan serves that no official value says the same way. */
const KEPT_VALUES: Array<[RegExp, string]> = [
  [/^`type` must be one of .* got `integer`/, noOfficial('integer-type', 'official types have no `integer` here; `number` would change the served schema')],
  [/^`outputRawFormat` must be one of .* got `/, noOfficial('answer-format', 'Capstan reads an unknown answer format as text, which no official format says')],
];

/** Why a consumed authentication is kept: Capstan performs a scheme the official list lacks. */
export const AUTH_KEPT = noOfficial('auth-scheme', 'the official schema has no such authentication scheme; Capstan performs it');

/** Why `d` is kept when the verified pass did not rewrite it (its official form did not serve the same). */
export const keptUnlessRewritten = (d: Diagnostic): string | undefined => (d.code === 'defacto-consumed-auth-scheme' ? AUTH_KEPT : undefined);

/** Why `d` is kept (a form with no official equivalent, as a `noOfficial` reason), or undefined. */
export function keptReason(d: Diagnostic): string | undefined {
  return KEPT[d.code] ?? (d.code === 'bad-value' ? KEPT_VALUES.find(([re]) => re.test(d.message))?.[1] : undefined);
}
