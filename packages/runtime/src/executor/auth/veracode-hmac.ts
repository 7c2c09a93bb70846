/**
 * Veracode's HMAC request signing (`VERACODE-HMAC-SHA-256`), as Veracode documents it: the API
 * key is hex; a 16-byte random nonce and a millisecond timestamp derive the signing key
 * (HMAC-SHA-256 chain: nonce, timestamp, `vcode_request_version_1`), which signs
 * `id=<api id>&host=<host>&url=<path and query>&method=<METHOD>`. No maintained npm library
 * implements it, so it is written here with node:crypto.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ConsumedAuth } from '@capstan/spec';
import type { OutboundRequest } from '../http.js';

type Veracode = Extract<ConsumedAuth, { type: 'veracode-hmac' }>;

const REQUEST_VERSION = 'vcode_request_version_1';
const hmac = (key: Buffer, data: Buffer | string): Buffer => createHmac('sha256', key).update(data).digest();

/** The `sig` of one request: exported for the known-answer test. */
export function veracodeSignature(apiKeyHex: string, nonce: Buffer, timestamp: string, data: string): string {
  const kNonce = hmac(Buffer.from(apiKeyHex, 'hex'), nonce);
  const kDate = hmac(kNonce, timestamp);
  const kSig = hmac(kDate, REQUEST_VERSION);
  return hmac(kSig, data).toString('hex');
}

/** Signs `request` in place: sets `Authorization: VERACODE-HMAC-SHA-256 id=…,ts=…,nonce=…,sig=…`. */
export function signVeracode(auth: Veracode, r: (t: string | undefined) => string, request: OutboundRequest): void {
  const id = r(auth.apiId);
  const key = r(auth.apiKey);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(key)) throw new Error('the Veracode `apiKey` must be hexadecimal');
  const nonce = randomBytes(16);
  const ts = String(Date.now());
  const data = `id=${id}&host=${request.url.hostname}&url=${request.url.pathname}${request.url.search}&method=${request.method.toUpperCase()}`;
  request.headers.authorization = `VERACODE-HMAC-SHA-256 id=${id},ts=${ts},nonce=${nonce.toString('hex')},sig=${veracodeSignature(key, nonce, ts, data)}`;
}
