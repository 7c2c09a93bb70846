/**
 * Signed consumed authentication against local verifiers that check requests the way the
 * providers do (test/helpers/verifiers.ts, written independently of the signers): OAuth 1.0a
 * (RSA-SHA256 with body hash as Mastercard; HMAC-SHA1 with token; form bodies), AWS Signature
 * Version 4 (with a session token), and Veracode HMAC. A wrong key or secret must be refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { verifyAwsV4, verifyOAuth1, verifyVeracode, veracodeNonceKey, type AwsAccount, type OAuth1Client } from '../helpers/verifiers.js';
import { executorFor, graphOf, handlerOf } from './helpers.js';

let server: Upstream<Buffer> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An upstream that answers 200 when `check` accepts the request, else 401 with the reason. */
async function verifying(check: (req: Seen<Buffer>, origin: string) => string | undefined): Promise<Upstream<Buffer>> {
  let origin = '';
  const up = await startUpstream(
    (req: Seen<Buffer>, res: ServerResponse) => {
      const why = check(req, origin);
      if (why) json(res, 401, { error: why });
      else json(res, 200, { ok: true });
    },
    { body: 'buffer' },
  );
  origin = up.url;
  return up;
}

/** A capability whose one consumed API uses `auth`; secrets come from a `file:` bind (keys.yaml). */
function signedGraph(auth: string, keys: Record<string, string>) {
  const keyFile = Object.entries(keys).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
  return graphOf(
    `binds:
  - namespace: secrets
    location: "file:///./keys.yaml"
    keys:
${Object.keys(keys).map((k) => `      ${k}: ${k}`).join('\n')}
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://upstream.invalid/base"
      authentication:
${auth}
      resources:
        - name: things
          path: "/things/{id}"
          inputParameters:
            - name: q
              in: query
          operations:
            - name: create
              method: POST
              body: '{"name": "{{name}}"}'
            - name: read
              method: GET
            - name: submit
              method: PUT
              body:
                type: formUrlEncoded
                data:
                  name: "{{name}}"
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        - name: create
          description: d
          call: up.create
        - name: read
          description: d
          call: up.read
        - name: submit
          description: d
          call: up.submit
`,
    { 'keys.yaml': keyFile },
  ).graph;
}

/** Calls `tool` and gives the upstream's status and answer. */
async function call(graph: ReturnType<typeof signedGraph>, tool: string, inputs: Record<string, unknown>) {
  const exec = await executorFor(graph, server!);
  try {
    const result = await exec.run(handlerOf(graph, tool), { inputs });
    return { status: result.status, body: result.kind === 'raw' ? JSON.parse(result.body.toString()) : undefined };
  } finally {
    await exec.close();
  }
}

const INPUTS = { id: 'a b', q: "x y+z!*'()", name: 'Ana María' };

describe('oauth1', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (k: typeof pair) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const MASTERCARD = '        type: oauth1\n        consumerKey: "{{CONSUMER_KEY}}"\n        signingKey: "{{SIGNING_KEY}}"\n';

  it('RSA-SHA256 with oauth_body_hash (Mastercard): a provider with the public key accepts it; another key is refused', async () => {
    const nonces = new Set<string>();
    const client: OAuth1Client = { consumerKey: 'ck-123!abc', publicKey: pair.publicKey, requireBodyHash: true };
    server = await verifying((req, origin) => verifyOAuth1(req, origin, client, nonces));
    const good = signedGraph(MASTERCARD, { CONSUMER_KEY: 'ck-123!abc', SIGNING_KEY: pem(pair) });
    expect(await call(good, 'create', INPUTS)).toEqual({ status: 200, body: { ok: true } });
    expect(await call(good, 'read', INPUTS)).toEqual({ status: 200, body: { ok: true } });
    const header = String(server.seen[0]!.headers.authorization);
    expect(header).toMatch(/^OAuth oauth_consumer_key="ck-123%21abc", oauth_nonce="[0-9a-f]{32}", oauth_signature_method="RSA-SHA256", oauth_timestamp="\d+", oauth_version="1.0", oauth_body_hash="[^"]+", oauth_signature="[^"]+"$/);
    expect(server.seen[0]!.url).toBe('/base/things/a%20b?q=x+y%2Bz%21*%27%28%29');

    const wrong = signedGraph(MASTERCARD, { CONSUMER_KEY: 'ck-123!abc', SIGNING_KEY: pem(other) });
    expect(await call(wrong, 'create', INPUTS)).toEqual({ status: 401, body: { error: 'signature does not match' } });
  });

  it('HMAC-SHA1 with an access token; a form body is signed as parameters and carries no body hash', async () => {
    const nonces = new Set<string>();
    const client: OAuth1Client = { consumerKey: 'ck', consumerSecret: 'cs&1', tokenSecret: 'ts 2' };
    server = await verifying((req, origin) => verifyOAuth1(req, origin, client, nonces));
    const auth = (secret: string) => `        type: oauth1\n        consumerKey: ck\n        consumerSecret: "${secret}"\n        token: "{{TOKEN}}"\n        tokenSecret: "{{TOKEN_SECRET}}"\n`;
    const good = signedGraph(auth('cs&1'), { TOKEN: 'tok', TOKEN_SECRET: 'ts 2' });
    for (const tool of ['create', 'read', 'submit']) expect(await call(good, tool, INPUTS), tool).toEqual({ status: 200, body: { ok: true } });
    const form = server.seen[2]!;
    expect(String(form.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/);
    expect(String(form.headers.authorization)).not.toContain('oauth_body_hash');
    expect(String(form.headers.authorization)).toContain('oauth_token="tok"');

    const wrong = signedGraph(auth('cs&2'), { TOKEN: 'tok', TOKEN_SECRET: 'ts 2' });
    expect(await call(wrong, 'submit', INPUTS)).toEqual({ status: 401, body: { error: 'signature does not match' } });
  });

  it('a signing key that is not PEM fails the call with a configuration error naming the scheme, never sending it', async () => {
    server = await verifying(() => undefined);
    const graph = signedGraph(MASTERCARD, { CONSUMER_KEY: 'ck', SIGNING_KEY: 'not-a-key-0123456789' });
    const exec = await executorFor(graph, server);
    await expect(exec.run(handlerOf(graph, 'read'), { inputs: INPUTS })).rejects.toMatchObject({ name: 'UpstreamError', kind: 'configuration', message: expect.stringContaining('cannot sign with `oauth1`') });
    await exec.close();
    expect(server.seen).toHaveLength(0);
  });
});

describe('aws-sig-v4', () => {
  const account: AwsAccount = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'eu-west-3', service: 'execute-api', sessionToken: 'session/token+=' };
  const AUTH = '        type: aws-sig-v4\n        accessKeyId: "{{AWS_ACCESS_KEY_ID}}"\n        secretKey: "{{AWS_SECRET_ACCESS_KEY}}"\n        sessionToken: "{{AWS_SESSION_TOKEN}}"\n        region: eu-west-3\n        service: execute-api\n';
  const keys = (secret: string) => ({ AWS_ACCESS_KEY_ID: account.accessKeyId, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: account.sessionToken! });

  it('signs path, query, headers and body so that an independent SigV4 check accepts them; a wrong secret is refused', async () => {
    server = await verifying((req) => verifyAwsV4(req, account));
    const good = signedGraph(AUTH, keys(account.secretAccessKey));
    for (const tool of ['create', 'read', 'submit']) expect(await call(good, tool, INPUTS), tool).toEqual({ status: 200, body: { ok: true } });
    expect(server.seen[0]!.url).toBe('/base/things/a%20b?q=x%20y%2Bz%21*%27%28%29');
    expect(server.seen[0]!.headers['x-amz-security-token']).toBe(account.sessionToken);

    const wrong = signedGraph(AUTH, keys('another-secret'));
    expect(await call(wrong, 'create', INPUTS)).toEqual({ status: 401, body: { error: 'signature does not match' } });
  });
});

describe('hmac (Veracode)', () => {
  const API_ID = '3ddaeeb10ca690df3fee5e3bd1c329fa';
  const API_KEY = 'a'.repeat(64) + '0123456789abcdef'.repeat(4);
  const AUTH = '        type: hmac\n        apiId: "{{VERACODE_API_ID}}"\n        apiKey: "{{VERACODE_API_KEY}}"\n';

  it("the verifier's key chain matches Veracode's published example (first link)", () => {
    // From Veracode's public HMAC walkthrough: key, nonce and the HMAC of the nonce it shows.
    const key = '38611f3f651c90091e0cd5389e8a836fa591829505ea0acf4b8f141a4b0b1779ed016fd1819ddd07f2bee100bf7ffec9f2b29ff719f9e818f3e40865719474e3';
    expect(veracodeNonceKey(key, '43a096639916c4f3925a44200cc2eeeb')).toBe('fdadd4b99d0e80e2ff62c8462e649df50b7d8454bc44184385ad2d249eb0d3a2');
  });

  it('a verifier that derives the key as Veracode does accepts the signature; a wrong key is refused', async () => {
    const nonces = new Set<string>();
    server = await verifying((req) => verifyVeracode(req, API_ID, API_KEY, nonces));
    const good = signedGraph(AUTH, { VERACODE_API_ID: API_ID, VERACODE_API_KEY: API_KEY });
    for (const tool of ['create', 'read']) expect(await call(good, tool, INPUTS), tool).toEqual({ status: 200, body: { ok: true } });
    expect(String(server.seen[0]!.headers.authorization)).toMatch(new RegExp(`^VERACODE-HMAC-SHA-256 id=${API_ID},ts=\\d{13},nonce=[0-9a-f]{32},sig=[0-9a-f]{64}$`));

    const wrong = signedGraph(AUTH, { VERACODE_API_ID: API_ID, VERACODE_API_KEY: 'b'.repeat(128) });
    expect(await call(wrong, 'read', INPUTS)).toEqual({ status: 401, body: { error: 'signature does not match' } });
  });
});
