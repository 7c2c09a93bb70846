/**
 * Inbound authentication for exposed adapters (REST, MCP over HTTP, skill, control):
 * bearer, apikey (header or query), basic, digest and OAuth 2.1 JWT. Expected secrets come
 * from `{{VAR}}` templates resolved from binds; every comparison is constant-time.
 */
import type { AuthSpec } from '@capstan/spec';
import { secretEquals } from './compare.js';
import { DigestVerifier } from './digest.js';
import { OAuth2Verifier } from './oauth2.js';
import { header, type AuthDecision, type InboundAuthenticator, type InboundRequest, type SecretResolver } from './types.js';

export type { AuthDecision, InboundAuthenticator, InboundRequest, SecretResolver } from './types.js';
export { OAuth2Verifier } from './oauth2.js';

const REALM = 'naftiko';

/** Options for building an authenticator. */
export interface InboundAuthOptions {
  /** For OAuth2 on MCP: the path of the RFC 9728 metadata document to announce in challenges. */
  resourceMetadataPath?: string;
}

/** Builds the authenticator for an adapter's `authentication`. */
export function createInboundAuth(spec: AuthSpec, resolve: SecretResolver, options: InboundAuthOptions = {}): InboundAuthenticator & { oauth2?: OAuth2Verifier } {
  switch (spec.type) {
    case 'bearer': {
      const expected = resolve(spec.token ?? '');
      return {
        scheme: 'bearer',
        async check(req) {
          const auth = header(req, 'authorization');
          const token = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
          if (secretEquals(token, expected)) return { ok: true };
          return refuse(`Bearer realm="${REALM}"${token ? ', error="invalid_token"' : ''}`, token ? 'the bearer token is not valid' : 'a bearer token is required');
        },
      };
    }
    case 'apikey': {
      const key = resolve(spec.key ?? '');
      const expected = resolve(spec.value ?? '');
      const inQuery = spec.placement === 'query';
      return {
        scheme: `apikey (${inQuery ? 'query' : 'header'} ${key})`,
        async check(req) {
          const given = inQuery ? queryValue(req, key) : header(req, key);
          if (secretEquals(given, expected)) return { ok: true };
          // RFC 9110 wants a challenge on every 401; API keys have no registered scheme, so name the key's place.
          return { ok: false, status: 401, headers: { 'www-authenticate': `ApiKey realm="${REALM}", in="${inQuery ? 'query' : 'header'}", name="${key}"` }, detail: given === undefined ? `the API key ${inQuery ? 'query parameter' : 'header'} \`${key}\` is required` : 'the API key is not valid' };
        },
      };
    }
    case 'basic': {
      const user = resolve(spec.username ?? '');
      const pass = resolve(spec.password ?? '');
      return {
        scheme: 'basic',
        async check(req) {
          const auth = header(req, 'authorization');
          const decoded = auth && /^basic\s+/i.test(auth) ? Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8') : undefined;
          const colon = decoded?.indexOf(':') ?? -1;
          const okUser = secretEquals(colon >= 0 ? decoded!.slice(0, colon) : undefined, user);
          const okPass = secretEquals(colon >= 0 ? decoded!.slice(colon + 1) : undefined, pass);
          if (okUser && okPass) return { ok: true, caller: { sub: user, scheme: 'basic', claims: {} } };
          return refuse(`Basic realm="${REALM}", charset="UTF-8"`, decoded === undefined ? 'basic credentials are required' : 'the credentials are not valid');
        },
      };
    }
    case 'digest': {
      const verifier = new DigestVerifier(REALM, resolve(spec.username ?? ''), resolve(spec.password ?? ''));
      return { scheme: 'digest', check: async (req) => verifier.verify(req) };
    }
    case 'oauth2': {
      const verifier = new OAuth2Verifier(spec, options.resourceMetadataPath);
      return { scheme: `oauth2 (${spec.authorizationServerUri})`, check: (req) => verifier.verify(req), oauth2: verifier };
    }
  }
}

function refuse(challenge: string, detail: string): AuthDecision {
  return { ok: false, status: 401, headers: { 'www-authenticate': challenge }, detail };
}

function queryValue(req: InboundRequest, key: string): string | undefined {
  const q = req.url.indexOf('?');
  return q < 0 ? undefined : (new URLSearchParams(req.url.slice(q + 1)).get(key) ?? undefined);
}
