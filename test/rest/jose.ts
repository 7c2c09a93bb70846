/**
 * `jose` as installed for @capstan/runtime (the tests add no dependency of their own): resolved
 * from packages/runtime, then imported as ESM.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type Key = unknown;

/** A JWT being built (jose's SignJWT). */
export interface Signer {
  setProtectedHeader(header: Record<string, unknown>): Signer;
  setIssuer(iss: string): Signer;
  setAudience(aud: string | string[]): Signer;
  setIssuedAt(at?: number): Signer;
  setExpirationTime(exp: number | string): Signer;
  setNotBefore(nbf: number | string): Signer;
  sign(key: Key): Promise<string>;
}

interface JoseSubset {
  generateKeyPair(alg: string, options?: { extractable?: boolean }): Promise<{ publicKey: Key; privateKey: Key }>;
  exportJWK(key: Key): Promise<Record<string, unknown>>;
  SignJWT: new (payload: Record<string, unknown>) => Signer;
}

const requireFromCore = createRequire(new URL('../../packages/runtime/package.json', import.meta.url));

/** The jose module used by the runtime. */
export const jose = (await import(pathToFileURL(requireFromCore.resolve('jose')).href)) as JoseSubset;
