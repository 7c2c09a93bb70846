/**
 * Gateway-level caller identity, for adapters whose capability file declares none (a published
 * file served unmodified) or as an extra layer over it. Three ways, tried in this order:
 * - `forwarded`: an identity header set by a front proxy, honoured only when the peer's address
 *   lies in a configured trusted network;
 * - `jwt`: a signed JWT (bearer, or a named header) verified with a public key or a JWKS;
 * - `apiKeys`: a per-user API key looked up in a key file (key → user id).
 * A credential that is presented and wrong is refused, never ignored; without any, the caller
 * is refused unless identity is `optional`.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BlockList, isIPv4 } from 'node:net';
import type { JWTVerifyGetKey } from 'jose';
import { jose } from '../jose.js';
import { header, type AuthDecision, type InboundAuthenticator, type InboundRequest } from '../inbound-auth/types.js';
import type { Caller } from './caller.js';
import { parseYaml } from '@capstan/spec';

/** Identity settings (the `identity` block of a `--credentials` file). */
export interface IdentitySpec {
  forwarded?: { header: string; trustedNetworks: string[] };
  jwt?: { header?: string; publicKey?: string; jwks?: string; issuer?: string; audience?: string; algorithms?: string[] };
  apiKeys?: { header: string; keys: string };
  /** Let callers without identity through (their calls to per-caller upstreams still fail). */
  optional?: boolean;
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const hash = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Verifies the caller's identity for every request of a gateway. */
export class IdentityResolver implements InboundAuthenticator {
  readonly scheme: string;
  private readonly trusted = new BlockList();
  private jwtKey: KeyObject | JWTVerifyGetKey | undefined;
  /** The JWKS location, turned into a key getter on the first token (jose loads lazily). */
  private readonly jwksUrl: URL | undefined;
  private readonly keys = new Map<string, string>();

  /** `resolvePath` turns a `file:` location of the settings into a path. */
  constructor(private readonly spec: IdentitySpec, resolvePath: (location: string) => string) {
    const ways: string[] = [];
    if (spec.forwarded) {
      for (const cidr of spec.forwarded.trustedNetworks) {
        const [address = '', bits] = cidr.split('/');
        const type = isIPv4(address) ? 'ipv4' : 'ipv6';
        try {
          if (bits === undefined) this.trusted.addAddress(address, type);
          else this.trusted.addSubnet(address, Number(bits), type);
        } catch {
          throw new Error(`identity.forwarded.trustedNetworks: \`${cidr}\` is not an address or CIDR range`);
        }
      }
      ways.push(`forwarded ${spec.forwarded.header}`);
    }
    if (spec.jwt) {
      if (spec.jwt.jwks) this.jwksUrl = new URL(spec.jwt.jwks);
      else if (spec.jwt.publicKey) this.jwtKey = publicKey(readSetting(spec.jwt.publicKey, resolvePath));
      else throw new Error('identity.jwt needs `publicKey` or `jwks`');
      ways.push('jwt');
    }
    if (spec.apiKeys) {
      const data = parseYaml(readSetting(spec.apiKeys.keys, resolvePath)) as unknown;
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('identity.apiKeys.keys must be a map from API key to user id');
      for (const [key, user] of Object.entries(data)) this.keys.set(hash(key), String(user));
      ways.push(`apikey ${spec.apiKeys.header}`);
    }
    if (!ways.length) throw new Error('identity needs at least one of `forwarded`, `jwt` and `apiKeys`');
    this.scheme = `identity (${ways.join(', ')})${spec.optional ? ', optional' : ''}`;
  }

  async check(req: InboundRequest): Promise<AuthDecision> {
    const { forwarded, jwt, apiKeys } = this.spec;
    const fwd = forwarded ? header(req, forwarded.header) : undefined;
    if (fwd !== undefined) {
      if (!this.fromTrusted(req.remoteAddress)) return this.refuse(`the \`${forwarded!.header}\` identity header is honoured only from trusted networks`);
      if (!fwd.trim()) return this.refuse(`the \`${forwarded!.header}\` identity header is empty`);
      return this.accept({ sub: fwd.trim(), scheme: 'forwarded', claims: {} });
    }
    const token = jwt ? this.jwtToken(req) : undefined;
    if (token) return this.verifyJwt(token);
    const key = apiKeys ? header(req, apiKeys.header) : undefined;
    if (key !== undefined) {
      const user = this.keys.get(hash(key));
      return user ? this.accept({ sub: user, scheme: 'apikey', claims: {} }) : this.refuse('the API key is not valid');
    }
    return this.spec.optional ? { ok: true } : this.refuse('the request carries no caller identity');
  }

  private jwtToken(req: InboundRequest): string | undefined {
    const name = this.spec.jwt!.header ?? 'authorization';
    const value = header(req, name);
    if (!value) return undefined;
    return name.toLowerCase() === 'authorization' ? (/^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '').trim() : undefined) : value.trim();
  }

  private async verifyJwt(token: string): Promise<AuthDecision> {
    const { issuer, audience, algorithms } = this.spec.jwt!;
    const { createRemoteJWKSet, errors: joseErrors, jwtVerify } = await jose();
    try {
      this.jwtKey ??= createRemoteJWKSet(this.jwksUrl!, { cacheMaxAge: 5 * 60_000, cooldownDuration: 30_000 });
      const key = this.jwtKey;
      const options = { algorithms: algorithms ?? ALGORITHMS, clockTolerance: 30, ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      if (typeof payload.sub !== 'string' || !payload.sub) return this.refuse('the token names no subject (`sub`)');
      return this.accept({ sub: payload.sub, scheme: 'jwt', claims: payload as Record<string, unknown> });
    } catch (err) {
      return this.refuse(err instanceof joseErrors.JWTExpired ? 'the token has expired' : err instanceof joseErrors.JOSEError ? `the token is not valid (${err.code})` : 'the token could not be verified');
    }
  }

  private fromTrusted(address: string | undefined): boolean {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
    return this.trusted.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  }

  private accept(caller: Caller): AuthDecision {
    return { ok: true, caller };
  }

  private refuse(detail: string): AuthDecision {
    const challenge = this.spec.jwt ? 'Bearer realm="capstan"' : `ApiKey realm="capstan"${this.spec.apiKeys ? `, in="header", name="${this.spec.apiKeys.header}"` : ''}`;
    return { ok: false, status: 401, headers: { 'www-authenticate': challenge }, detail };
  }
}

/** A setting that is either inline text or a `file:` location. */
function readSetting(value: string, resolvePath: (location: string) => string): string {
  if (!/^file:/i.test(value.trim())) return value;
  const path = resolvePath(value.trim());
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function publicKey(text: string): KeyObject {
  try {
    const trimmed = text.trim();
    return trimmed.startsWith('{') ? createPublicKey({ key: JSON.parse(trimmed) as import('node:crypto').JsonWebKey, format: 'jwk' }) : createPublicKey(trimmed);
  } catch {
    throw new Error('identity.jwt.publicKey is not a public key in PEM or JWK form');
  }
}

/** An authenticator that runs the adapter's own check, then the gateway's identity; the caller is the identity's, else the adapter's. */
export function withIdentity(auth: InboundAuthenticator | undefined, identity: IdentityResolver | undefined): InboundAuthenticator | undefined {
  if (!identity) return auth;
  if (!auth) return identity;
  return {
    scheme: `${auth.scheme} + ${identity.scheme}`,
    async check(req) {
      const first = await auth.check(req);
      if (!first.ok) return first;
      const second = await identity.check(req);
      if (!second.ok) return second;
      const caller = second.caller ?? first.caller;
      return caller ? { ok: true, caller } : { ok: true };
    },
  };
}
