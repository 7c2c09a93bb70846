/** Static credentials: API keys and header maps, as headers or query pairs. */
import type { CredentialPairs } from '@capstan/spec';
import { InputError } from '../errors.js';

// eslint-disable-next-line no-control-regex
const HEADER_UNSAFE = /[\r\n\u0000]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A credential header value; CR, LF and NUL are refused (header injection). */
export function credentialHeader(name: string, value: string): string {
  if (HEADER_UNSAFE.test(value)) throw new InputError([{ name, message: 'credential contains CR, LF or NUL' }]);
  return value;
}

/** Adds rendered header and query credentials; a pair whose name renders empty is skipped (as the engine). */
export function keyParts(headers: CredentialPairs, query: CredentialPairs, r: (t: string) => string, parts: { headers: Record<string, string>; query: Array<[string, string]> }): void {
  for (const [nameTemplate, valueTemplate] of headers) {
    const name = r(nameTemplate);
    if (!name) continue;
    if (!TOKEN.test(name)) throw new InputError([{ name: 'authentication.key', message: 'not a valid header name' }]);
    parts.headers[name.toLowerCase()] = credentialHeader('authentication.value', r(valueTemplate));
  }
  for (const [nameTemplate, valueTemplate] of query) {
    const name = r(nameTemplate);
    if (name) parts.query.push([name, r(valueTemplate)]);
  }
}
