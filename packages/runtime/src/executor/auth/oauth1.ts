/**
 * OAuth 1.0a request signing (RFC 5849 §3): HMAC-SHA1/HMAC-SHA256 with the consumer and token
 * secrets, RSA-SHA256/RSA-SHA1 with a PEM private key (Mastercard's form), and the
 * `oauth_body_hash` extension (draft-eaton-oauth-bodyhash: base64 hash of the body bytes, with
 * the signature method's hash; left out for form-encoded bodies, whose parameters are signed
 * instead). The signature base string and the HMAC signatures come from `oauth-sign`; RSA-SHA256,
 * which it lacks, is signed with node:crypto over the same base string.
 */
import { createHash, createPrivateKey, randomBytes, sign as rsaSign } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ConsumedAuth } from '@capstan/spec';
import type { OutboundRequest } from '../http.js';

type OAuth1 = Extract<ConsumedAuth, { type: 'oauth1' }>;

/** Query, body and oauth parameters; repeated names as arrays. */
type Params = Record<string, string | string[]>;

/** The parts of `oauth-sign` (CommonJS, without published types) used here. */
interface OAuthSign {
  /** The RFC 5849 §3.4.1 signature base string. */
  generateBase(httpMethod: string, baseUri: string, params: Params): string;
  /** Signature by method name (HMAC-SHA1, HMAC-SHA256, RSA-SHA1), base64. */
  sign(method: string, httpMethod: string, baseUri: string, params: Params, consumerSecretOrKey: string, tokenSecret?: string): string;
  /** RFC 3986 percent-encoding. */
  rfc3986(text: string): string;
}
const { generateBase, sign, rfc3986 } = createRequire(import.meta.url)('oauth-sign') as OAuthSign;

const FORM = /^application\/x-www-form-urlencoded\b/i;

/** Adds every pair to a parameter map, repeated names as arrays (oauth-sign's input shape). */
function addAll(params: Params, pairs: Iterable<[string, string]>): void {
  for (const [k, v] of pairs) {
    const prev = params[k];
    params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
}

/** Signs `request` in place: sets `Authorization: OAuth …`. */
export function signOAuth1(auth: OAuth1, r: (t: string | undefined) => string, request: OutboundRequest): void {
  const method = auth.signatureMethod;
  const contentType = request.headers['content-type'] ?? '';
  const form = FORM.test(contentType);
  const oauth: Record<string, string> = {
    oauth_consumer_key: r(auth.consumerKey),
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: method,
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  };
  const token = r(auth.token);
  if (token) oauth.oauth_token = token;
  if (auth.bodyHash && !form) {
    oauth.oauth_body_hash = createHash(method.endsWith('SHA1') ? 'sha1' : 'sha256').update(request.body ?? Buffer.alloc(0)).digest('base64');
  }
  // §3.4.1.3: oauth_ parameters, the query, and a form-encoded body are all signed.
  const params = Object.create(null) as Params;
  addAll(params, Object.entries(oauth));
  addAll(params, request.url.searchParams);
  if (form && request.body) addAll(params, new URLSearchParams(request.body.toString('utf8')));
  // §3.4.1.2: scheme and host lower case, default port left out, no query: what URL#origin gives.
  const baseUri = `${request.url.origin}${request.url.pathname}`;
  let signature: string;
  if (method === 'RSA-SHA256') {
    const key = createPrivateKey(r(auth.signingKey));
    signature = rsaSign('sha256', Buffer.from(generateBase(request.method, baseUri, params), 'utf8'), key).toString('base64');
  } else if (method === 'RSA-SHA1') {
    signature = sign(method, request.method, baseUri, params, r(auth.signingKey));
  } else {
    signature = sign(method, request.method, baseUri, params, r(auth.consumerSecret), r(auth.tokenSecret));
  }
  const fields = Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${k}="${rfc3986(v)}"`);
  const realm = r(auth.realm);
  request.headers.authorization = `OAuth ${realm ? `realm="${rfc3986(realm)}", ` : ''}${fields.join(', ')}`;
}
