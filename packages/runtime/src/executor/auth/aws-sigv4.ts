/**
 * AWS Signature Version 4, signed by `@smithy/signature-v4` (the AWS SDK's own signer) with
 * `@aws-crypto/sha256-js`. Service and region come from the auth object; access key, secret and
 * optional session token from binds. The path is signed as sent (already percent-encoded), which
 * the signer encodes once more as AWS requires, except for S3, whose paths are signed as sent.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import type { ConsumedAuth } from '@capstan/spec';
import type { OutboundRequest } from '../http.js';

type AwsAuth = Extract<ConsumedAuth, { type: 'aws-sig-v4' }>;

/** Signs `request` in place: adds `authorization`, `x-amz-date`, `x-amz-content-sha256` and, with a session token, `x-amz-security-token`. */
export async function signAwsV4(auth: AwsAuth, r: (t: string | undefined) => string, request: OutboundRequest): Promise<void> {
  const service = r(auth.service);
  const sessionToken = r(auth.sessionToken);
  const signer = new SignatureV4({
    service,
    region: r(auth.region),
    credentials: { accessKeyId: r(auth.accessKeyId), secretAccessKey: r(auth.secretAccessKey), ...(sessionToken ? { sessionToken } : {}) },
    sha256: Sha256,
    uriEscapePath: service !== 's3',
  });
  // URLSearchParams writes a space as `+`, which AWS reads as a plus sign: send `%20`, as signed.
  request.url.search = request.url.search.replace(/\+/g, '%20');
  const query: QueryParameterBag = {};
  for (const [k, v] of request.url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined || prev === null ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const url = request.url;
  const unsigned: HttpRequest = {
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    // `host` is signed as undici will send it (with a non-default port).
    headers: { ...request.headers, host: url.host },
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  const signed = await signer.sign(unsigned);
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() !== 'host') request.headers[name.toLowerCase()] = value;
  }
}
