/**
 * Mints JWTs per caller (how Paragon User Tokens are made: `sub` = the user, RS256, `iat`,
 * `exp`) with `jose`. A token is reused for the same rendered claims until shortly before it
 * expires, so the cache key is the claims themselves: two callers can never share a token.
 */
import type { importPKCS8, JWK } from 'jose';
import { jose } from '../jose.js';
import type { MintSpec } from './spec.js';

/** Most cached tokens; the oldest is dropped beyond it. */
const MAX_CACHED = 10_000;

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

/** Signs tokens for one consumed API. */
export class JwtMinter {
  private key: Promise<SigningKey> | undefined;
  private readonly cache = new Map<string, { token: string; renewAtMs: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly spec: MintSpec,
    /** The private key's text (PEM or JWK JSON), read when first needed. */
    private readonly keyText: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the key now, so a bad key fails start-up instead of the first call. */
  async ready(): Promise<void> {
    await this.signingKey();
  }

  /** A token for these claims (cached until 1/5 of its life, at most a minute, remains). */
  async token(claims: Record<string, unknown>): Promise<string> {
    const id = JSON.stringify(Object.keys(claims).sort().map((k) => [k, claims[k]]));
    const hit = this.cache.get(id);
    if (hit && this.now() < hit.renewAtMs) return hit.token;
    let minting = this.pending.get(id);
    if (!minting) {
      minting = this.sign(id, claims).finally(() => this.pending.delete(id));
      this.pending.set(id, minting);
    }
    return minting;
  }

  private async sign(id: string, claims: Record<string, unknown>): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const ttl = this.spec.ttlSeconds;
    const { SignJWT } = await jose();
    const token = await new SignJWT(claims).setProtectedHeader({ alg: this.spec.algorithm, typ: 'JWT' }).setIssuedAt(iat).setExpirationTime(iat + ttl).sign(await this.signingKey());
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.delete(id);
    this.cache.set(id, { token, renewAtMs: (iat + ttl - Math.min(60, ttl / 5)) * 1000 });
    return token;
  }

  private signingKey(): Promise<SigningKey> {
    this.key ??= this.importKey().catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  private async importKey(): Promise<SigningKey> {
    const text = this.keyText().trim();
    if (!text) throw new Error('the signing key is empty');
    const { importJWK, importPKCS8 } = await jose();
    try {
      if (text.startsWith('{')) return (await importJWK(JSON.parse(text) as JWK, this.spec.algorithm)) as SigningKey;
      // Keys kept in one-line env variables often carry `\n` escapes instead of newlines.
      return await importPKCS8(text.includes('\n') ? text : text.replace(/\\n/g, '\n'), this.spec.algorithm);
    } catch {
      // jose's message may quote key material: say only what is expected.
      throw new Error(`the signing key is not a ${this.spec.algorithm} private key in PKCS#8 PEM or JWK form`);
    }
  }
}
