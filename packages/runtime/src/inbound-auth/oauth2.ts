/**
 * OAuth 2.1 resource server: validates JWT bearer tokens against the authorization server's
 * JWKS (found through RFC 8414 / OpenID discovery), with issuer, audience, expiry and scope
 * checks, using `jose`. Token introspection is not supported (answers 401, as the engine).
 */
import type { JWTVerifyGetKey } from 'jose';
import { jose } from '../jose.js';
import type { AuthSpec } from '@capstan/spec';
import { header, type AuthDecision, type InboundRequest } from './types.js';

type OAuth2Spec = Extract<AuthSpec, { type: 'oauth2' }>;

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** Validates bearer JWTs for one adapter. */
export class OAuth2Verifier {
  private jwks: Promise<JWTVerifyGetKey> | undefined;
  private readonly issuer: string;

  constructor(
    private readonly spec: OAuth2Spec,
    /** Path of the RFC 9728 metadata document, announced in challenges as an absolute URL on the request's host (MCP). */
    private readonly resourceMetadataPath?: string,
  ) {
    this.issuer = spec.authorizationServerUri.replace(/\/+$/, '');
  }

  /** RFC 9728 protected-resource metadata. */
  metadata(): Record<string, unknown> {
    return {
      resource: this.spec.resource,
      authorization_servers: [this.spec.authorizationServerUri],
      ...(this.spec.scopes?.length ? { scopes_supported: this.spec.scopes } : {}),
      bearer_methods_supported: ['header'],
    };
  }

  async verify(request: InboundRequest): Promise<AuthDecision> {
    const auth = header(request, 'authorization');
    const token = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
    if (!token) return this.refuse(request, 401, undefined, 'a bearer token is required');
    if (this.spec.tokenValidation === 'introspection') return this.refuse(request, 401, 'invalid_request', 'token introspection is not supported');
    let payload: Record<string, unknown>;
    const { jwtVerify, errors: joseErrors } = await jose();
    try {
      const keys = await this.keys();
      const result = await jwtVerify(token, keys, {
        algorithms: ALGORITHMS,
        audience: this.spec.audience ?? this.spec.resource,
        clockTolerance: 30,
      });
      payload = result.payload as Record<string, unknown>;
    } catch (err) {
      const detail = err instanceof joseErrors.JWTExpired ? 'the token has expired' : err instanceof joseErrors.JOSEError ? `the token is not valid (${err.code})` : 'the authorization server could not be reached to validate the token';
      return this.refuse(request, 401, 'invalid_token', detail);
    }
    if (String(payload.iss ?? '').replace(/\/+$/, '') !== this.issuer) return this.refuse(request, 401, 'invalid_token', 'the token was issued by another authorization server');
    const granted = new Set(String(payload.scope ?? '').split(/\s+/).filter(Boolean));
    const missing = (this.spec.scopes ?? []).filter((s) => !granted.has(s));
    if (missing.length) return this.refuse(request, 403, 'insufficient_scope', `the token lacks the scope ${missing.join(' ')}`);
    return { ok: true, ...(typeof payload.sub === 'string' && payload.sub ? { caller: { sub: payload.sub, scheme: 'oauth2', claims: payload } } : {}) };
  }

  private refuse(request: InboundRequest, status: 401 | 403, error: string | undefined, detail: string): AuthDecision {
    const parts = [`realm="capstan"`];
    if (error) parts.push(`error="${error}"`, `error_description="${detail.replace(/"/g, "'")}"`);
    if (status === 403 || this.spec.scopes?.length) parts.push(`scope="${(this.spec.scopes ?? []).join(' ')}"`);
    const host = header(request, 'host');
    if (this.resourceMetadataPath && host && /^[a-zA-Z0-9.:[\]-]+$/.test(host)) parts.push(`resource_metadata="http://${host}${this.resourceMetadataPath}"`);
    return { ok: false, status, headers: { 'www-authenticate': `Bearer ${parts.join(', ')}` }, detail };
  }

  /** Discovers the JWKS URI once (retried on failure); jose caches keys and refetches on an unknown `kid`. */
  private keys(): Promise<JWTVerifyGetKey> {
    this.jwks ??= this.discover().catch((err: unknown) => {
      this.jwks = undefined;
      throw err;
    });
    return this.jwks;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(`${this.issuer}${path}`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (!res?.ok) continue;
      const meta = (await res.json()) as { jwks_uri?: string };
      if (meta.jwks_uri) return (await jose()).createRemoteJWKSet(new URL(meta.jwks_uri), { cacheMaxAge: 5 * 60_000, cooldownDuration: 30_000 });
    }
    throw new Error('no jwks_uri found in the authorization server metadata');
  }
}
