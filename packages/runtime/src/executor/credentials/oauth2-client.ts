/**
 * OAuth2 access tokens for a consumed API (RFC 6749 §4.4 client credentials, §6 refresh
 * tokens). The token is fetched from the token endpoint with the bound client id and secret
 * (HTTP Basic, §2.3.1), kept until shortly before it expires, and shared: concurrent calls that
 * need a token wait on one fetch. A 401 from the API invalidates the token it was sent with, so
 * the caller can retry once with a fresh one. Tokens and secrets never appear in errors or logs.
 *
 * The grant itself is one form POST; it goes through the executor's HTTP client (timeouts, size
 * cap, pooled connections) rather than a separate OAuth library with its own transport.
 */
import { UpstreamError } from '../errors.js';
import type { AbortLike } from '../call-abort.js';
import type { CallIds, InboundResponse, OutboundRequest } from '../http.js';

/** Something that supplies bearer tokens for one consumed API (also the seam for per-caller sources). */
export interface TokenProvider {
  /** Names the credential (never the secret) so caches can keep answers per credential. */
  readonly identity: string;
  /** A valid access token, fetched when none is held or it is about to expire. */
  token(signal?: AbortLike): Promise<string>;
  /** Forgets `token` (the API refused it); the next `token()` fetches a new one. */
  invalidate(token: string): void;
}

/** Settings of a client-credentials (or refresh-token) client. */
export interface OAuth2ClientSettings {
  namespace: string;
  tokenEndpoint: URL;
  clientId: string;
  clientSecret: string;
  /** With a refresh token, the refresh_token grant is used (and a rotated refresh token kept). */
  refreshToken?: string;
  scopes?: readonly string[];
  audience?: string;
  /** RFC 8707 resource indicator. */
  resource?: string;
}

/** Sends the token request (the executor's HTTP client). */
export type TokenTransport = (req: OutboundRequest, ids: CallIds, signal?: AbortLike) => Promise<InboundResponse>;

/** Lifetime assumed when the token endpoint gives no `expires_in`, in seconds. */
const DEFAULT_LIFETIME_S = 300;
/** A token is renewed when less than this share of its lifetime is left (at most 60 s before expiry). */
const EARLY_SHARE = 0.1;

interface HeldToken {
  value: string;
  /** performance.now() after which the token is renewed. */
  renewAt: number;
}

/** A client-credentials / refresh-token provider for one consumed API. */
export class OAuth2ClientProvider implements TokenProvider {
  readonly identity: string;
  private held?: HeldToken;
  private inflight?: Promise<string>;
  private refreshToken: string | undefined;
  /** Token fetches made (for tests and metrics). */
  fetches = 0;

  constructor(
    private readonly settings: OAuth2ClientSettings,
    private readonly transport: TokenTransport,
  ) {
    this.identity = `oauth2:${settings.tokenEndpoint.href}:${settings.clientId}`;
    this.refreshToken = settings.refreshToken;
  }

  token(signal?: AbortLike): Promise<string> {
    if (this.held && performance.now() < this.held.renewAt) return Promise.resolve(this.held.value);
    // One fetch for every caller waiting (single-flight); it is not tied to one caller's signal.
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return signal ? raceAbort(this.inflight, signal) : this.inflight;
  }

  invalidate(token: string): void {
    if (this.held?.value === token) this.held = undefined;
  }

  private async fetch(): Promise<string> {
    const s = this.settings;
    const form = new URLSearchParams();
    if (this.refreshToken) {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', this.refreshToken);
    } else {
      form.set('grant_type', 'client_credentials');
    }
    if (s.scopes?.length) form.set('scope', s.scopes.join(' '));
    if (s.audience) form.set('audience', s.audience);
    if (s.resource) form.set('resource', s.resource);
    const basic = Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`).toString('base64');
    const ids = { namespace: s.namespace, operation: 'oauth2-token' };
    this.fetches++;
    const res = await this.transport(
      {
        url: s.tokenEndpoint,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
        body: Buffer.from(form.toString()),
      },
      ids,
    );
    const answer = parseJson(res.body);
    if (res.status !== 200 || typeof answer?.access_token !== 'string' || !answer.access_token) {
      // The OAuth error code (RFC 6749 §5.2) is safe to show; the body otherwise is not echoed.
      const code = typeof answer?.error === 'string' && /^[\x20-\x7e]{1,64}$/.test(answer.error) ? ` (${answer.error})` : '';
      throw new UpstreamError('unavailable', s.namespace, 'oauth2-token', `the OAuth2 token endpoint of ${s.namespace} answered ${res.status}${code} without an access token`, res.status);
    }
    if (typeof answer.refresh_token === 'string' && answer.refresh_token) this.refreshToken = answer.refresh_token;
    const lifetime = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : Number(answer.expires_in) > 0 ? Number(answer.expires_in) : DEFAULT_LIFETIME_S;
    const early = Math.min(60, lifetime * EARLY_SHARE);
    this.held = { value: answer.access_token, renewAt: performance.now() + (lifetime - early) * 1000 };
    return answer.access_token;
  }
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Waits for `promise` unless `signal` aborts first (the shared fetch goes on for the others). */
function raceAbort<T>(promise: Promise<T>, signal: AbortLike): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
