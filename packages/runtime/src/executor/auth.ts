/**
 * Consumed-API authentication: the one dispatch point. Credential fields are Mustache templates
 * rendered against the request scope (parameters, then binds), so `{{REGISTRY_TOKEN}}` reads a
 * bind. Static credentials (basic, bearer, API keys) are headers or query pairs added while the
 * request is built; signing schemes (oauth1, aws-sig-v4, Veracode hmac) sign the finished request;
 * digest needs the upstream's challenge first and is answered by the executor; client
 * certificates live on the upstream's connection pool (auth/certificate.ts). A scheme Capstan
 * cannot perform fails the call with a configuration error naming it, never an unauthenticated
 * request.
 */
import type { ConsumedAuth } from '@capstan/spec';
import { credentialHeader, keyParts } from './auth/keys.js';
import { signOAuth1 } from './auth/oauth1.js';
import { signVeracode } from './auth/veracode-hmac.js';
import { UpstreamError } from './errors.js';
import type { OutboundRequest } from './http.js';
import { render, type Scope } from './mustache.js';

/** What authentication adds to one request. */
export interface AuthParts {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  /** Credentials for a digest challenge/response. */
  digest?: { username: string; password: string };
  /** Signs the finished request (adds headers); run after every other change to it. */
  sign?: (request: OutboundRequest) => Promise<void>;
}

/** Which call is being authenticated, for error messages. */
export interface AuthIds {
  namespace: string;
  operation: string;
}

/** A signer whose failure (a key that is not PEM, a secret that is not hex) becomes a configuration error naming the scheme. */
function guarded(scheme: string, ids: AuthIds, signer: (request: OutboundRequest) => Promise<void>): (request: OutboundRequest) => Promise<void> {
  return async (request) => {
    try {
      await signer(request);
    } catch (err) {
      // Crypto errors name the problem, never the key material; messages are redacted again on the way out.
      throw new UpstreamError('configuration', ids.namespace, ids.operation, `${ids.namespace}.${ids.operation} was not called: cannot sign with \`${scheme}\` (${(err as Error).message})`);
    }
  };
}

/** Renders the credentials of a consumed API for one request. `oauth2` on consumes does nothing (as the engine). */
export function authParts(auth: ConsumedAuth | undefined, scope: Scope, ids: AuthIds): AuthParts {
  const parts: AuthParts = { headers: {}, query: [] };
  if (!auth) return parts;
  const r = (t: string | undefined): string => (t === undefined ? '' : render(t, scope));
  switch (auth.type) {
    case 'bearer': {
      const token = r(auth.token);
      if (token) parts.headers.authorization = credentialHeader('authentication.token', `Bearer ${token}`);
      break;
    }
    case 'basic': {
      const credentials = Buffer.from(`${r(auth.username)}:${r(auth.password)}`, 'utf8').toString('base64');
      parts.headers.authorization = `Basic ${credentials}`;
      break;
    }
    case 'apikey':
      keyParts(auth.placement === 'query' ? [] : [[auth.key ?? '', auth.value ?? '']], auth.placement === 'query' ? [[auth.key ?? '', auth.value ?? '']] : [], r, parts);
      break;
    case 'keys':
      keyParts(auth.headers, auth.query, r, parts);
      // A cookie credential joins the request's other cookies (request.ts merges the header).
      if (auth.cookies?.length) parts.headers.cookie = auth.cookies.map(([k, v]) => `${encodeURIComponent(r(k))}=${encodeURIComponent(r(v))}`).join('; ');
      break;
    case 'digest':
      parts.digest = { username: r(auth.username), password: r(auth.password) };
      break;
    case 'oauth1':
      parts.sign = guarded('oauth1', ids, async (request) => signOAuth1(auth, r, request));
      break;
    case 'aws-sig-v4':
      // The AWS signer is loaded on first use: most capabilities never need it, and it is not small.
      parts.sign = guarded('aws-sig-v4', ids, async (request) => (await import('./auth/aws-sigv4.js')).signAwsV4(auth, r, request));
      break;
    case 'veracode-hmac':
      parts.sign = guarded('hmac', ids, async (request) => signVeracode(auth, r, request));
      break;
    case 'unsupported':
      throw new UpstreamError('configuration', ids.namespace, ids.operation, `${ids.namespace}.${ids.operation} was not called: ${auth.reason} (authentication of consumed API \`${ids.namespace}\`)`);
    default:
      // oauth2 (does nothing on consumes, as the engine) and certificate (on the connection).
      break;
  }
  return parts;
}
