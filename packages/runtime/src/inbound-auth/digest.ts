/**
 * Server side of HTTP Digest authentication (RFC 7616, qop=auth, MD5 and SHA-256). Nonces are
 * stateless (a timestamp signed with a per-process key) and expire after five minutes; the
 * highest nonce count seen per nonce is kept (bounded) so a captured response cannot be replayed.
 * Hand-written: no maintained library implements the server side for plain Node requests.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { parseAuthHeader } from '../http/auth-params.js';
import { secretEquals } from './compare.js';
import { header, type AuthDecision, type InboundRequest } from './types.js';

const NONCE_TTL_MS = 5 * 60_000;
const MAX_TRACKED_NONCES = 10_000;

/** Digest verifier for one user. */
export class DigestVerifier {
  private readonly key = randomBytes(32);
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly realm: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** The challenges to send with a 401 (SHA-256 first, MD5 for older clients). */
  challenges(stale = false): string {
    const nonce = this.nonce();
    const common = `realm="${this.realm}", qop="auth", nonce="${nonce}", opaque="${this.opaque()}"${stale ? ', stale=true' : ''}`;
    return `Digest ${common}, algorithm=SHA-256, Digest ${common}, algorithm=MD5`;
  }

  verify(request: InboundRequest): AuthDecision {
    const auth = header(request, 'authorization');
    const refuse = (detail: string, stale = false): AuthDecision => ({ ok: false, status: 401, headers: { 'www-authenticate': this.challenges(stale) }, detail });
    // One credential per Authorization header: the first entry must be Digest.
    const [credentials] = parseAuthHeader(auth);
    if (credentials?.scheme.toLowerCase() !== 'digest') return refuse('digest credentials required');
    const f = credentials.params;
    const algorithm = (f.algorithm ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5' && algorithm !== 'SHA-256') return refuse(`unsupported digest algorithm ${algorithm}`);
    if (f.qop !== 'auth' || !f.nonce || !f.nc || !f.cnonce || !f.uri || !f.response) return refuse('incomplete digest credentials');
    if (!this.nonceValid(f.nonce)) return refuse('stale nonce', true);
    if (f.uri !== request.url) return refuse('digest uri does not match the request');
    const h = (s: string) => createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(s).digest('hex');
    const ha1 = h(`${this.username}:${this.realm}:${this.password}`);
    const ha2 = h(`${request.method}:${f.uri}`);
    const expected = h(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:auth:${ha2}`);
    const userOk = secretEquals(f.username, this.username);
    if (!secretEquals(f.response, expected) || !userOk) return refuse('invalid credentials');
    const nc = parseInt(f.nc, 16);
    if (!(nc > (this.counts.get(f.nonce) ?? 0))) return refuse('replayed nonce count', true);
    if (this.counts.size >= MAX_TRACKED_NONCES) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(f.nonce, nc);
    return { ok: true, caller: { sub: this.username, scheme: 'digest', claims: {} } };
  }

  private nonce(): string {
    const ts = Date.now().toString(36);
    return `${ts}.${createHmac('sha256', this.key).update(ts).digest('base64url')}`;
  }

  private nonceValid(nonce: string): boolean {
    const [ts, sig] = nonce.split('.');
    if (!ts || !sig) return false;
    const good = createHmac('sha256', this.key).update(ts).digest('base64url');
    return secretEquals(sig, good) && Date.now() - parseInt(ts, 36) < NONCE_TTL_MS;
  }

  private opaque(): string {
    return createHmac('sha256', this.key).update('opaque').digest('hex').slice(0, 32);
  }
}
