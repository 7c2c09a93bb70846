/**
 * Inbound authentication on REST adapters under `capstan run`: bearer, API key (header and
 * query), basic, digest and OAuth 2.1 JWT, each accepted, missing and wrong. Expected secrets
 * come from env binds; a local authorization server on 127.0.0.1 serves the JWKS.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoRequest, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { tempSpecDir } from '../helpers/tmp.js';
import { checkProblem, type Problem } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { jose } from './jose.js';

const CREDS = {
  IN_TOKEN: 'inbound-bearer-4c1f2b',
  IN_KEY: 'inbound-header-key-9a7e',
  IN_QKEY: 'inbound-query-key-31d0',
  IN_USER: 'ada-lovelace-1815',
  IN_PASS: 'p@ss: wörd-8812',
  IN_DUSER: 'grace-hopper-1906',
  IN_DPASS: 'digest-pass-55e1',
};
const RESOURCE = 'https://api.capstan.test/items';
const SCOPE = 'items:read';

/** One capability whose REST adapter `ns` uses `auth` (YAML lines) and declares `binds`. */
function spec(ns: string, auth: string, binds: string[]): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Auth ${ns}
  description: REST adapter protected by ${ns}.
${binds.length ? `binds:
- namespace: env
  description: Inbound credentials from the environment.
  keys:
${binds.map((b) => `    ${b}: ${b}`).join('\n')}
` : ''}capability:
  consumes:
  - type: http
    namespace: up-${ns}
    baseUri: http://127.0.0.1:9
    resources:
    - name: whoami
      path: /whoami
      operations:
      - name: whoami
        method: GET
    - name: proxy
      path: /proxy/{{apiPath}}
      operations:
      - name: proxy
        method: GET
        inputParameters:
        - name: apiPath
          in: path
  exposes:
  - type: rest
    namespace: ${ns}
    port: 8080
    authentication:
${auth.split('\n').map((l) => `      ${l}`).join('\n')}
    resources:
    - path: /whoami
      name: whoami
      operations:
      - method: GET
        name: whoami
        call: up-${ns}.whoami
    - path: /proxy/{apiPath}
      name: proxy
      operations:
      - method: GET
        name: proxy
        inputParameters:
        - name: apiPath
          in: path
          type: string
          description: Path on the upstream.
        call: up-${ns}.proxy
        with:
          apiPath: ${ns}.apiPath
    - path: /fwd/{path}
      name: fwd
      forward:
        targetNamespace: up-${ns}
        trustedHeaders:
        - x-trace
`;
}

let echo: EchoUpstream;
let as: Upstream;
let run: CapstanRun;
let url: Record<string, string>;
let keys: { publicKey: unknown; privateKey: unknown };
let strangerKeys: { publicKey: unknown; privateKey: unknown };

beforeAll(async () => {
  keys = await jose.generateKeyPair('RS256', { extractable: true });
  strangerKeys = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  as = await startUpstream((req, res) => {
    if (req.url === '/.well-known/oauth-authorization-server') return json(res, 200, { issuer: as.url, jwks_uri: `${as.url}/jwks`, token_endpoint: `${as.url}/token` });
    if (req.url === '/jwks') return json(res, 200, { keys: [jwk] });
    return json(res, 404, { error: 'not_found' });
  });
  echo = await startEchoUpstream();
  const dir = tempSpecDir({
    'bearer.yaml': spec('bearer-rest', "type: bearer\ntoken: '{{IN_TOKEN}}'", ['IN_TOKEN']),
    'apikey-header.yaml': spec('apikey-header-rest', "type: apikey\nkey: X-Api-Key\nvalue: '{{IN_KEY}}'\nplacement: header", ['IN_KEY']),
    'apikey-query.yaml': spec('apikey-query-rest', "type: apikey\nkey: api_key\nvalue: '{{IN_QKEY}}'\nplacement: query", ['IN_QKEY']),
    'basic.yaml': spec('basic-rest', "type: basic\nusername: '{{IN_USER}}'\npassword: '{{IN_PASS}}'", ['IN_USER', 'IN_PASS']),
    'digest.yaml': spec('digest-rest', "type: digest\nusername: '{{IN_DUSER}}'\npassword: '{{IN_DPASS}}'", ['IN_DUSER', 'IN_DPASS']),
    'oauth2.yaml': spec('oauth2-rest', `type: oauth2\nauthorizationServerUri: ${as.url}\nresource: ${RESOURCE}\ntokenEndpoint: ${as.url}/token\nscopes:\n- ${SCOPE}`, []),
  });
  run = await startCapstan([dir], {
    namespaces: ['bearer-rest', 'apikey-header-rest', 'apikey-query-rest', 'basic-rest', 'digest-rest', 'oauth2-rest'],
    env: CREDS,
    upstream: echo.url,
  });
  url = run.rest;
});

afterAll(async () => {
  await run?.stop();
  await echo?.close();
  await as?.close();
});

/** GETs `path` on adapter `ns` with a fresh request id; gives the answer and the upstream request it caused. */
async function get(ns: string, path: string, headers: Record<string, string> = {}): Promise<{ res: Response; text: string; seen?: EchoRequest }> {
  const id = `auth-${randomUUID()}`;
  const res = await fetch(url[ns] + path, { headers: { 'x-request-id': id, ...headers } });
  const text = await res.text();
  const seen = echo.requests.find((r) => r.headers['x-request-id'] === id);
  return { res, text, ...(seen ? { seen } : {}) };
}

/** Expects a refusal that never reached the upstream; returns the problem. */
function refused(r: { res: Response; text: string; seen?: EchoRequest }, status: 401 | 403): Problem {
  const p = checkProblem(r.res.status, r.res.headers, r.text, { status, slug: status === 401 ? 'unauthorized' : 'forbidden' });
  expect(r.seen).toBeUndefined();
  for (const secret of Object.values(CREDS)) expect(r.text).not.toContain(secret);
  return p;
}

describe('bearer', () => {
  it('accepts the token from the bind and does not pass it upstream', async () => {
    const ok = await get('bearer-rest', '/whoami', { authorization: `Bearer ${CREDS.IN_TOKEN}` });
    expect(ok.res.status).toBe(200);
    expect(ok.seen!.rawPath).toBe('/whoami');
    expect(ok.seen!.headers.authorization).toBeUndefined();
    expect((await get('bearer-rest', '/whoami', { authorization: `bearer   ${CREDS.IN_TOKEN}` })).res.status).toBe(200);
  });

  it('refuses a missing token with a Bearer challenge', async () => {
    const r = await get('bearer-rest', '/whoami');
    expect(refused(r, 401).detail).toBe('a bearer token is required');
    expect(r.res.headers.get('www-authenticate')).toBe('Bearer realm="naftiko"');
  });

  it('refuses a wrong token with invalid_token', async () => {
    const r = await get('bearer-rest', '/whoami', { authorization: `Bearer ${CREDS.IN_TOKEN}x` });
    expect(refused(r, 401).detail).toBe('the bearer token is not valid');
    expect(r.res.headers.get('www-authenticate')).toBe('Bearer realm="naftiko", error="invalid_token"');
    refused(await get('bearer-rest', '/whoami', { authorization: `Basic ${CREDS.IN_TOKEN}` }), 401);
  });
});

describe('apikey in a header', () => {
  it('accepts the key (header name case-insensitive) and does not pass it upstream', async () => {
    const ok = await get('apikey-header-rest', '/whoami', { 'x-api-key': CREDS.IN_KEY });
    expect(ok.res.status).toBe(200);
    expect(ok.seen!.headers['x-api-key']).toBeUndefined();
  });

  it('refuses a missing or wrong key', async () => {
    expect(refused(await get('apikey-header-rest', '/whoami'), 401).detail).toBe('the API key header `X-Api-Key` is required');
    expect(refused(await get('apikey-header-rest', '/whoami', { 'x-api-key': 'nope' }), 401).detail).toBe('the API key is not valid');
    // The key in the query does not count for a header key.
    refused(await get('apikey-header-rest', `/whoami?X-Api-Key=${CREDS.IN_KEY}`), 401);
  });
});

describe('apikey in the query', () => {
  it('accepts the key', async () => {
    const ok = await get('apikey-query-rest', `/whoami?api_key=${encodeURIComponent(CREDS.IN_QKEY)}`);
    expect(ok.res.status).toBe(200);
    expect(ok.seen!.query).toBe('');
  });

  it('never sends the key upstream, not even on a proxy-style path or a forward', async () => {
    const proxied = await get('apikey-query-rest', `/proxy/a/b?x=1&api_key=${CREDS.IN_QKEY}&y=2`);
    expect(proxied.res.status).toBe(200);
    expect(proxied.seen!.rawPath).toBe('/proxy/a/b');
    expect(Object.fromEntries(new URLSearchParams(proxied.seen!.query))).toEqual({ x: '1', y: '2' });
    const forwarded = await get('apikey-query-rest', `/fwd/c/d?api_key=${CREDS.IN_QKEY}&z=3`, { 'x-trace': 't1' });
    expect(forwarded.res.status).toBe(200);
    expect(forwarded.seen!.rawPath).toBe('/c/d');
    expect(forwarded.seen!.query).toBe('z=3');
    expect(forwarded.seen!.headers['x-trace']).toBe('t1');
    expect(JSON.stringify(echo.requests)).not.toContain(CREDS.IN_QKEY);
  });

  it('refuses a missing or wrong key', async () => {
    expect(refused(await get('apikey-query-rest', '/whoami'), 401).detail).toBe('the API key query parameter `api_key` is required');
    expect(refused(await get('apikey-query-rest', '/whoami?api_key=wrong'), 401).detail).toBe('the API key is not valid');
    refused(await get('apikey-query-rest', '/whoami', { api_key: CREDS.IN_QKEY }), 401);
  });
});

describe('basic', () => {
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;

  it('accepts the user and password from the binds (UTF-8, colon in the password)', async () => {
    const ok = await get('basic-rest', '/whoami', { authorization: basic(CREDS.IN_USER, CREDS.IN_PASS) });
    expect(ok.res.status).toBe(200);
    expect(ok.seen!.headers.authorization).toBeUndefined();
  });

  it('refuses missing or wrong credentials with a Basic challenge', async () => {
    const missing = await get('basic-rest', '/whoami');
    expect(refused(missing, 401).detail).toBe('basic credentials are required');
    expect(missing.res.headers.get('www-authenticate')).toBe('Basic realm="naftiko", charset="UTF-8"');
    const wrong = await get('basic-rest', '/whoami', { authorization: basic(CREDS.IN_USER, 'guess') });
    expect(refused(wrong, 401).detail).toBe('the credentials are not valid');
    expect(wrong.res.headers.get('www-authenticate')).toBe('Basic realm="naftiko", charset="UTF-8"');
    refused(await get('basic-rest', '/whoami', { authorization: basic('eve', CREDS.IN_PASS) }), 401);
  });
});

describe('digest', () => {
  interface Challenge {
    realm: string;
    nonce: string;
    opaque: string;
    qop: string;
    algorithm: string;
    stale?: string;
  }

  /** The challenges of a `WWW-Authenticate: Digest …, Digest …` header, in order. */
  function challenges(header: string | null): Challenge[] {
    expect(header).toBeTruthy();
    return header!
      .split(/,?\s*(?=Digest\s)/)
      .filter((part) => part.trim())
      .map((part) => {
        expect(part).toMatch(/^Digest\s/);
        const fields: Record<string, string> = {};
        for (const m of part.slice(7).matchAll(/([a-z]+)=(?:"([^"]*)"|([^,\s]*))/gi)) fields[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
        return fields as unknown as Challenge;
      });
  }

  /** An RFC 7616 `Authorization: Digest` answer (qop=auth). */
  function answer(c: Challenge, user: string, pass: string, method: string, uri: string, nc = '00000001', cnonce: string = randomUUID()): string {
    const h = (s: string) => createHash(c.algorithm === 'MD5' ? 'md5' : 'sha256').update(s).digest('hex');
    const response = h(`${h(`${user}:${c.realm}:${pass}`)}:${c.nonce}:${nc}:${cnonce}:auth:${h(`${method}:${uri}`)}`);
    return `Digest username="${user}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", algorithm=${c.algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${c.opaque}"`;
  }

  it('challenges with SHA-256 then MD5', async () => {
    const r = await get('digest-rest', '/whoami');
    expect(refused(r, 401).detail).toBe('digest credentials required');
    const [sha, md5] = challenges(r.res.headers.get('www-authenticate'));
    expect(sha).toMatchObject({ realm: 'naftiko', qop: 'auth', algorithm: 'SHA-256' });
    expect(md5).toMatchObject({ realm: 'naftiko', qop: 'auth', algorithm: 'MD5' });
    expect(sha!.nonce).toMatch(/\S/);
  });

  it.each(['SHA-256', 'MD5'])('accepts a correct %s response computed from the challenge', async (algorithm) => {
    const first = await get('digest-rest', '/whoami?x=1');
    const c = challenges(first.res.headers.get('www-authenticate')).find((ch) => ch.algorithm === algorithm)!;
    const ok = await get('digest-rest', '/whoami?x=1', { authorization: answer(c, CREDS.IN_DUSER, CREDS.IN_DPASS, 'GET', '/whoami?x=1') });
    expect(ok.res.status, ok.text).toBe(200);
    expect(ok.seen!.headers.authorization).toBeUndefined();
  });

  it('refuses a wrong password, another URI, and a replayed nonce count', async () => {
    const first = await get('digest-rest', '/whoami');
    const c = challenges(first.res.headers.get('www-authenticate'))[0]!;
    const wrong = await get('digest-rest', '/whoami', { authorization: answer(c, CREDS.IN_DUSER, 'guess', 'GET', '/whoami') });
    expect(refused(wrong, 401).detail).toBe('invalid credentials');
    expect(challenges(wrong.res.headers.get('www-authenticate'))).toHaveLength(2);
    const otherUri = await get('digest-rest', '/whoami', { authorization: answer(c, CREDS.IN_DUSER, CREDS.IN_DPASS, 'GET', '/proxy/x') });
    expect(refused(otherUri, 401).detail).toBe('digest uri does not match the request');

    const once = answer(c, CREDS.IN_DUSER, CREDS.IN_DPASS, 'GET', '/whoami', '00000001', 'fixed-cnonce');
    expect((await get('digest-rest', '/whoami', { authorization: once })).res.status).toBe(200);
    const replay = await get('digest-rest', '/whoami', { authorization: once });
    expect(refused(replay, 401).detail).toBe('replayed nonce count');
    expect(challenges(replay.res.headers.get('www-authenticate'))[0]!.stale).toBe('true');
    // The next count on the same nonce is fine.
    expect((await get('digest-rest', '/whoami', { authorization: answer(c, CREDS.IN_DUSER, CREDS.IN_DPASS, 'GET', '/whoami', '00000002') })).res.status).toBe(200);
  });
});

describe('OAuth 2.1 JWT', () => {
  const now = () => Math.floor(Date.now() / 1000);
  async function token(options: { iss?: string; aud?: string; exp?: number; scope?: string; key?: unknown; kid?: string } = {}): Promise<string> {
    return new jose.SignJWT({ scope: options.scope ?? `${SCOPE} profile`, sub: 'client-1' })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
      .setIssuer(options.iss ?? as.url)
      .setAudience(options.aud ?? RESOURCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? now() + 300)
      .sign(options.key ?? keys.privateKey);
  }
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('accepts a token signed by a key of the JWKS, with the right issuer, audience, expiry and scope', async () => {
    const t = await token();
    const ok = await get('oauth2-rest', '/whoami', bearer(t));
    expect(ok.res.status, ok.text).toBe(200);
    expect(ok.seen!.headers.authorization).toBeUndefined();
    expect(as.seen.map((r) => r.url)).toContain('/.well-known/oauth-authorization-server');
    expect(as.seen.map((r) => r.url)).toContain('/jwks');
  });

  it('refuses a missing token with a challenge naming the scope', async () => {
    const r = await get('oauth2-rest', '/whoami');
    expect(refused(r, 401).detail).toBe('a bearer token is required');
    expect(r.res.headers.get('www-authenticate')).toBe(`Bearer realm="capstan", scope="${SCOPE}"`);
  });

  it('refuses another audience, an expired token, another issuer, an unknown key and garbage with invalid_token', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['audience', await token({ aud: 'https://elsewhere.test' }), /^the token is not valid \(ERR_JWT_CLAIM_VALIDATION_FAILED\)$/],
      ['expiry', await token({ exp: now() - 300 }), /^the token has expired$/],
      ['issuer', await token({ iss: 'http://127.0.0.1:1' }), /^the token was issued by another authorization server$/],
      ['key', await token({ key: strangerKeys.privateKey }), /^the token is not valid \(ERR_JWS_SIGNATURE_VERIFICATION_FAILED\)$/],
      ['garbage', 'not.a.jwt', /^the token is not valid \(ERR_JWS_INVALID\)$/],
    ];
    for (const [what, t, detail] of cases) {
      const r = await get('oauth2-rest', '/whoami', bearer(t));
      const p = refused(r, 401);
      expect(p.detail, what).toMatch(detail);
      const challenge = r.res.headers.get('www-authenticate')!;
      expect(challenge, what).toMatch(/^Bearer realm="capstan", error="invalid_token", error_description="[^"]+", scope="items:read"$/);
    }
  });

  it('refuses a token without the required scope: 403 insufficient_scope', async () => {
    const r = await get('oauth2-rest', '/whoami', bearer(await token({ scope: 'items:write profile' })));
    expect(refused(r, 403).detail).toBe(`the token lacks the scope ${SCOPE}`);
    expect(r.res.headers.get('www-authenticate')).toBe(`Bearer realm="capstan", error="insufficient_scope", error_description="the token lacks the scope ${SCOPE}", scope="${SCOPE}"`);
  });
});

describe('the process', () => {
  it('prints no inbound secret', async () => {
    expect((await run.stop()).code).toBe(0);
    for (const secret of Object.values(CREDS)) {
      expect(run.stdout()).not.toContain(secret);
      expect(run.stderr()).not.toContain(secret);
    }
  });
});
