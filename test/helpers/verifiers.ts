/**
 * Server-side checks of signed requests, written from the public specifications and
 * independently of Capstan's signers (their own encoding, parsing and key derivation): what
 * Mastercard/any OAuth 1.0a provider, AWS and Veracode do before they accept a request. Each
 * returns undefined when the request is authentic, else why not.
 */
import { createHash, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { Seen } from './upstream.js';

/** RFC 3986 unreserved-only percent-encoding (what OAuth 1.0a and AWS both require). */
export function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const header = (req: Seen<Buffer>, name: string): string => String(req.headers[name] ?? '');
const rawQuery = (req: Seen<Buffer>): string => (req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
const rawPath = (req: Seen<Buffer>): string => req.url.split('?')[0]!;

/** `k=v&k2` → decoded pairs; `+` means space only where form rules apply (OAuth), not for AWS. */
function pairsOf(query: string, plusIsSpace: boolean): Array<[string, string]> {
  if (!query) return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const dec = (s: string) => decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
    return eq < 0 ? [dec(part), ''] : [dec(part.slice(0, eq)), dec(part.slice(eq + 1))];
  });
}

/** What the OAuth 1.0a verifier knows about the client. */
export interface OAuth1Client {
  consumerKey: string;
  /** RSA public key (RSA-SHA256 / RSA-SHA1), or the shared secrets (HMAC-*). */
  publicKey?: KeyObject;
  consumerSecret?: string;
  tokenSecret?: string;
  /** Mastercard demands `oauth_body_hash` on every request that is not form-encoded. */
  requireBodyHash?: boolean;
}

/** RFC 5849 §3.2 verification (plus the body-hash extension), with nonce and timestamp checks. */
export function verifyOAuth1(req: Seen<Buffer>, origin: string, client: OAuth1Client, seenNonces: Set<string>): string | undefined {
  const auth = header(req, 'authorization');
  if (!auth.startsWith('OAuth ')) return 'no OAuth authorization header';
  const fields = new Map<string, string>();
  for (const m of auth.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)) fields.set(m[1]!, decodeURIComponent(m[2]!));
  const signature = fields.get('oauth_signature');
  const method = fields.get('oauth_signature_method') ?? '';
  if (!signature) return 'no signature';
  if (fields.get('oauth_consumer_key') !== client.consumerKey) return 'unknown consumer key';
  if (Math.abs(Date.now() / 1000 - Number(fields.get('oauth_timestamp'))) > 300) return 'stale timestamp';
  const nonce = fields.get('oauth_nonce') ?? '';
  if (!nonce || seenNonces.has(nonce)) return 'nonce reused';
  const form = /^application\/x-www-form-urlencoded/i.test(header(req, 'content-type'));
  const bodyHash = fields.get('oauth_body_hash');
  if (bodyHash !== undefined) {
    const expected = createHash(method.endsWith('SHA1') ? 'sha1' : 'sha256').update(req.body).digest('base64');
    if (!sameText(bodyHash, expected)) return 'body hash does not match the body';
  } else if (client.requireBodyHash && !form) return 'oauth_body_hash missing';
  const params: Array<[string, string]> = [...fields].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
  params.push(...pairsOf(rawQuery(req), true));
  if (form) params.push(...pairsOf(req.body.toString('utf8'), true));
  const normalised = params
    .map(([k, v]) => [strictEncode(k), strictEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [req.method.toUpperCase(), strictEncode(`${origin}${rawPath(req)}`), strictEncode(normalised)].join('&');
  let ok = false;
  if (method === 'RSA-SHA256' || method === 'RSA-SHA1') {
    ok = !!client.publicKey && verify(method === 'RSA-SHA256' ? 'sha256' : 'sha1', Buffer.from(base), client.publicKey, Buffer.from(signature, 'base64'));
  } else if (method === 'HMAC-SHA1' || method === 'HMAC-SHA256') {
    const key = `${strictEncode(client.consumerSecret ?? '')}&${strictEncode(client.tokenSecret ?? '')}`;
    ok = sameText(signature, createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key).update(base).digest('base64'));
  } else return `unsupported signature method ${method}`;
  if (!ok) return 'signature does not match';
  seenNonces.add(nonce);
  return undefined;
}

/** What the AWS verifier knows: the credentials and where it runs. */
export interface AwsAccount {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  sessionToken?: string;
}

/** AWS Signature Version 4 verification of a header-signed request, as the AWS docs define it. */
export function verifyAwsV4(req: Seen<Buffer>, account: AwsAccount): string | undefined {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(header(req, 'authorization'));
  if (!m) return 'no AWS4-HMAC-SHA256 authorization header';
  const [, keyId, date, region, service, signedList, signature] = m as unknown as string[];
  if (keyId !== account.accessKeyId) return 'unknown access key';
  if (region !== account.region || service !== account.service) return 'wrong credential scope';
  const amzDate = header(req, 'x-amz-date');
  if (!amzDate.startsWith(date!)) return 'x-amz-date does not match the scope date';
  const when = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(Date.now() - when) > 5 * 60_000) return 'request time too skewed';
  const signed = signedList!.split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  if (account.sessionToken !== undefined && (header(req, 'x-amz-security-token') !== account.sessionToken || !signed.includes('x-amz-security-token'))) return 'security token missing or unsigned';
  const payloadHash = createHash('sha256').update(req.body).digest('hex');
  const declared = header(req, 'x-amz-content-sha256');
  if (declared && declared !== payloadHash) return 'x-amz-content-sha256 does not match the body';
  // Non-S3 services: each path segment, as received, is encoded once more.
  const canonicalUri = account.service === 's3' ? rawPath(req) : rawPath(req).split('/').map(strictEncode).join('/');
  const canonicalQuery = pairsOf(rawQuery(req), false)
    .map(([k, v]) => [strictEncode(k), strictEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${header(req, h).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedList, declared || payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  let key: Buffer = Buffer.from(`AWS4${account.secretAccessKey}`);
  for (const part of [date!, region!, service!, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return sameText(signature!, expected) ? undefined : 'signature does not match';
}

/** Veracode's documented derivation: HMAC-SHA-256 over nonce, timestamp and version, keyed by the hex API key. */
export function veracodeKeyChain(apiKeyHex: string, nonceHex: string, ts: string): Buffer {
  const step = (key: Buffer, data: Buffer | string) => createHmac('sha256', key).update(data).digest();
  const kNonce = step(Buffer.from(apiKeyHex, 'hex'), Buffer.from(nonceHex, 'hex'));
  return step(step(kNonce, ts), 'vcode_request_version_1');
}

/** The first link of the chain alone (for the published known-answer example). */
export function veracodeNonceKey(apiKeyHex: string, nonceHex: string): string {
  return createHmac('sha256', Buffer.from(apiKeyHex, 'hex')).update(Buffer.from(nonceHex, 'hex')).digest('hex');
}

/** Verifies `Authorization: VERACODE-HMAC-SHA-256 id=…,ts=…,nonce=…,sig=…` as Veracode does. */
export function verifyVeracode(req: Seen<Buffer>, apiId: string, apiKeyHex: string, seenNonces: Set<string>): string | undefined {
  const m = /^VERACODE-HMAC-SHA-256 id=([^,]+),ts=(\d+),nonce=([0-9a-fA-F]{32}),sig=([0-9a-f]{64})$/.exec(header(req, 'authorization'));
  if (!m) return 'no VERACODE-HMAC-SHA-256 authorization header';
  const [, id, ts, nonce, sig] = m as unknown as string[];
  if (id !== apiId) return 'unknown API id';
  if (Math.abs(Date.now() - Number(ts)) > 5 * 60_000) return 'stale timestamp';
  if (seenNonces.has(nonce!)) return 'nonce reused';
  const host = header(req, 'host').replace(/:\d+$/, '');
  const data = `id=${id}&host=${host}&url=${req.url}&method=${req.method}`;
  const expected = createHmac('sha256', veracodeKeyChain(apiKeyHex, nonce!, ts!)).update(data).digest('hex');
  if (!sameText(sig!, expected)) return 'signature does not match';
  seenNonces.add(nonce!);
  return undefined;
}
