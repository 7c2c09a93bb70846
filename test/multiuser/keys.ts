/** Key pairs and caller tokens for the multi-user suites (generated per run: no key material in the repository). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/** An RSA key pair with its PEM forms. */
export interface TestKeys {
  privatePem: string;
  publicPem: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** A fresh RSA-2048 key pair. */
export function rsaKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey,
    privateKey,
  };
}

/** A caller's bearer JWT, as the application's own login would issue it. */
export function callerToken(keys: TestKeys, sub: string, claims: Record<string, unknown> = {}, issuer = 'https://app.example'): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256' }).setSubject(sub).setIssuer(issuer).setIssuedAt().setExpirationTime('10m').sign(keys.privateKey);
}
