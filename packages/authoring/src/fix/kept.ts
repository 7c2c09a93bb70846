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
    'the unit does not declare this input, so it never has a value (only declared inputs reach the call); declaring it would change the served input schema',
  ),
  // Keys Capstan reads outside the official schema (`READ_KEY_CODES`): commenting one out would change what is served.
  'defacto-output-description': noOfficial('output-description', 'Capstan serves it as the field\'s description in the MCP output schema; the official schema has no description on an output'),
  'defacto-output-max-length': noOfficial('output-max-length', 'Capstan cuts string values to this length; no official key does'),
  'defacto-output-values': noOfficial('output-values', 'Capstan shapes every entry of the mapped object with it; official `properties` need the entries\' names'),
  'defacto-beta5-key': noOfficial('beta5-key', 'Capstan reads this beta5 key in alpha2 files; alpha2 has no such key (`capstan upgrade` makes the file a beta5 document, where it is official)'),
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
