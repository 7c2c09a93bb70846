/**
 * The constructs Capstan runs that no official alpha2 form serves the same: `fix` keeps each and
 * reports it under one of these kinds (docs/authoring.md lists them with what the author can do).
 */

/** Each kind: the construct, and what the author can do about it. */
export const NO_OFFICIAL_KINDS = {
  'auth-scheme': 'a consumed `authentication` type outside the official list (basic, apikey, bearer, digest, oauth2)',
  'templated-base-uri': 'a `baseUri` with `{{VAR}}` or `{x}` placeholders',
  'with-key-for-templates': 'a `with` key the consumed operation does not read, which an output template reads or which makes an input of a unit that declares none',
  'undeclared-input': 'a `{{x}}` template or a tool `with` value naming an input nothing declares (the caller may still supply it)',
  'integer-type': 'an `integer` type where the official schema has only `number` (outputs, tool inputs)',
  'answer-format': 'an `outputRawFormat` outside the official list (read as text)',
  'consumed-required': '`required: true` on a consumed parameter that makes the REST input feeding it required',
  'rest-required': '`required: true` on a REST input that nothing else makes required',
  'unshaped-output': 'an output `type: object|array` with a `mapping` and no `properties`/`items` (passed through whole)',
  'unnamed-outputs': 'several outputs not all named (the first that resolves answers)',
  'name-as-written': 'a name outside the official pattern that is sent upstream or served as written',
  'skill-calls': 'a de-facto skill form that calls operations directly (`call`, inputs, outputs on skills), which Capstan ignores',
  'required-key': 'a key the official schema requires that Capstan runs without (no value serves the same)',
  'value-read': 'a value outside the official type or list that Capstan reads (e.g. `method: HEAD`)',
  'output-description': 'a `description` on an exposed output (served in the MCP output schema)',
  'output-max-length': 'a `maxLength` on an exposed output (string values are cut to it)',
  'output-values': 'a `values` shape on an exposed output (every entry of the mapped object is shaped by it)',
  'beta5-key': 'a beta5 key Capstan reads in an alpha2 file (`tunnel`, `maxBinarySize`, `outputMediaType`, `ttlMs`, `cacheScope`, `responseBinary`, `responses`)',
} as const;

export type NoOfficialKind = keyof typeof NO_OFFICIAL_KINDS;

const PREFIX = /^no official form \[([a-z0-9-]+)\]: /;

/** The reason text of a kept construct: its kind, then why it has no official form. */
export const noOfficial = (kind: NoOfficialKind, why: string): string => `no official form [${kind}]: ${why}`;

/** The kind of a reason made by `noOfficial`, or undefined. */
export function kindOf(reason: string): NoOfficialKind | undefined {
  const kind = PREFIX.exec(reason)?.[1];
  return kind && kind in NO_OFFICIAL_KINDS ? (kind as NoOfficialKind) : undefined;
}

/** The reason without its `no official form [kind]: ` lead. */
export const whyOf = (reason: string): string => reason.replace(PREFIX, '');
