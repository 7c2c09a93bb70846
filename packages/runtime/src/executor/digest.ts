/**
 * HTTP Digest client authentication (RFC 7616): challenge parsing and the `Authorization`
 * answer, with qop=auth (or auth-int), nonce counting, a fresh cnonce per request, and the MD5,
 * SHA-256 and `-sess` algorithms. Hand-written on node:crypto because no maintained package
 * plugs digest into undici's dispatcher; the protocol is small and fully specified by the RFC.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseAuthHeader } from '../http/auth-params.js';

/** One `Digest` challenge from a `WWW-Authenticate` header. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
  /** Quality-of-protection options offered; empty for the RFC 2069 form. */
  qop: string[];
  stale: boolean;
}

const ALGORITHMS: Record<string, DigestChallenge['algorithm']> = { md5: 'MD5', 'md5-sess': 'MD5-sess', 'sha-256': 'SHA-256', 'sha-256-sess': 'SHA-256-sess' };

/** The strongest supported Digest challenge offered, if any (SHA-256 before MD5). */
export function pickDigestChallenge(header: string | readonly string[] | undefined): DigestChallenge | undefined {
  const candidates: DigestChallenge[] = [];
  for (const c of parseAuthHeader(header)) {
    if (c.scheme.toLowerCase() !== 'digest' || c.params.nonce === undefined) continue;
    const algorithm = ALGORITHMS[(c.params.algorithm ?? 'MD5').toLowerCase()];
    if (!algorithm) continue;
    const qop = (c.params.qop ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
    if (qop.length && !qop.includes('auth') && !qop.includes('auth-int')) continue;
    candidates.push({
      realm: c.params.realm ?? '',
      nonce: c.params.nonce,
      ...(c.params.opaque !== undefined ? { opaque: c.params.opaque } : {}),
      algorithm,
      qop,
      stale: (c.params.stale ?? '').toLowerCase() === 'true',
    });
  }
  return candidates.find((c) => c.algorithm.startsWith('SHA-256')) ?? candidates[0];
}

const quote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** A digest session with one upstream: the current challenge and its nonce count. */
export class DigestSession {
  private nc = 0;

  constructor(readonly challenge: DigestChallenge) {}

  /** The `Authorization` value for one request (each call counts one use of the nonce). */
  authorize(method: string, uri: string, username: string, password: string, body?: Buffer): string {
    const c = this.challenge;
    const hashName = c.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
    const h = (s: string | Buffer): string => createHash(hashName).update(s).digest('hex');
    const cnonce = randomBytes(16).toString('hex');
    this.nc += 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    let ha1 = h(`${username}:${c.realm}:${password}`);
    if (c.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${c.nonce}:${cnonce}`);
    const qop = c.qop.includes('auth') ? 'auth' : c.qop.includes('auth-int') ? 'auth-int' : undefined;
    const ha2 = qop === 'auth-int' ? h(`${method}:${uri}:${h(body ?? Buffer.alloc(0))}`) : h(`${method}:${uri}`);
    const response = qop ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
    const parts = [
      `username=${quote(username)}`,
      `realm=${quote(c.realm)}`,
      `nonce=${quote(c.nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${c.algorithm}`,
      `response=${quote(response)}`,
    ];
    if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
    return `Digest ${parts.join(', ')}`;
  }
}
