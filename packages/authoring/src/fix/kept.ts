/**
 * Forms Capstan runs that no official form serves the same: `fix` keeps them and reports each
 * (docs/authoring.md lists them with what the author can do).
 */
import type { Diagnostic } from '@capstan/spec';

/** De-facto forms by code. */
const KEPT: Record<string, string> = {
  'defacto-consumed-auth-scheme': 'the official schema has no such authentication scheme; Capstan performs it',
  'defacto-templated-base-uri': 'an official `baseUri` has no placeholders; Capstan fills them per request',
  'unknown-with-key': 'Capstan adds the entry to the parameter map that templates read; no official key says that',
  'unknown-template-variable':
    'the variable names nothing declared, yet callers can still supply it (inputs pass down whole); no official spelling renders the same, and which value was meant is for the author to say',
};

/** Schema values Capstan serves that no official value says the same way. */
const KEPT_VALUES: Array<[RegExp, string]> = [
  [/^`type` must be one of .* got `integer`/, 'official types have no `integer` here; `number` would change the served schema'],
  [/^`outputRawFormat` must be one of .* got `/, 'Capstan reads an unknown answer format as text, which no official format says'],
];

/** Why `d` is kept (a form with no official equivalent), or undefined. */
export function keptReason(d: Diagnostic): string | undefined {
  return KEPT[d.code] ?? (d.code === 'bad-value' ? KEPT_VALUES.find(([re]) => re.test(d.message))?.[1] : undefined);
}
