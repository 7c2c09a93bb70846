/**
 * Consumed-API authentication. Credential fields are Mustache templates rendered against the
 * request scope (parameters, then binds), so `{{REGISTRY_TOKEN}}` reads a bind. Digest needs the
 * upstream's challenge first, so it is only prepared here and answered by the executor.
 */
import type { AuthSpec } from '../graph.js';
import { InputError } from './errors.js';
import { render, type Scope } from './mustache.js';

/** What authentication adds to one request. */
export interface AuthParts {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  /** Credentials for a digest challenge/response. */
  digest?: { username: string; password: string };
}

// eslint-disable-next-line no-control-regex
const HEADER_UNSAFE = /[\r\n\u0000]/;

function headerValue(name: string, value: string): string {
  if (HEADER_UNSAFE.test(value)) throw new InputError([{ name, message: 'credential contains CR, LF or NUL' }]);
  return value;
}

/** Renders the credentials of a consumed API for one request. `oauth2` on consumes does nothing (as the engine). */
export function authParts(auth: AuthSpec | undefined, scope: Scope): AuthParts {
  const parts: AuthParts = { headers: {}, query: [] };
  if (!auth) return parts;
  const r = (t: string | undefined): string => (t === undefined ? '' : render(t, scope));
  switch (auth.type) {
    case 'bearer': {
      const token = r(auth.token);
      if (token) parts.headers.authorization = headerValue('authentication.token', `Bearer ${token}`);
      break;
    }
    case 'basic': {
      const credentials = Buffer.from(`${r(auth.username)}:${r(auth.password)}`, 'utf8').toString('base64');
      parts.headers.authorization = `Basic ${credentials}`;
      break;
    }
    case 'apikey': {
      const key = r(auth.key);
      const value = r(auth.value);
      if (!key) break;
      // The schema's default placement is header (the engine throws when it is missing).
      if (auth.placement === 'query') parts.query.push([key, value]);
      else if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw new InputError([{ name: 'authentication.key', message: 'not a valid header name' }]);
      else parts.headers[key.toLowerCase()] = headerValue('authentication.value', value);
      break;
    }
    case 'digest':
      parts.digest = { username: r(auth.username), password: r(auth.password) };
      break;
    default:
      break;
  }
  return parts;
}
