/**
 * The `authentication` of a consumed API, as real files write it, normalised to one shape per
 * scheme. Besides the official five (basic, digest, bearer, apikey, oauth2), real files declare
 * `oauth1` (Mastercard), `aws-sig-v4`, `hmac` (Veracode), `certificate` (mTLS), the `apiKey`,
 * `header` and `query` spellings of an API key, `in`/`name` instead of `placement`/`key`, and
 * `headers:` maps of several credentials. Every value stays a Mustache template (binds fill it
 * at request time). An object Capstan cannot perform becomes `unsupported`: a load warning here,
 * and an error naming the type when a request needs it (never an unauthenticated call).
 */
import type { AuthSpec } from './graph.js';
import { closest } from './suggest.js';


/** Name/value template pairs sent with every request. */
export type CredentialPairs = ReadonlyArray<readonly [name: string, value: string]>;

/** OAuth 1.0a signature methods Capstan signs with. */
export type OAuth1Method = 'HMAC-SHA1' | 'HMAC-SHA256' | 'RSA-SHA256' | 'RSA-SHA1';

/**
 * Authentication of a consumed API (outgoing). Values are Mustache templates. Capstan's
 * `x-capstan-*` extension keys (per-caller credentials, OAuth2 client credentials) are kept as
 * written; other parts of Capstan read them.
 */
export type ConsumedAuth = ConsumedScheme & { [extension: `x-capstan-${string}`]: unknown };

/** One scheme of `ConsumedAuth`. */
export type ConsumedScheme =
  | { type: 'basic' | 'digest'; username?: string; password?: string }
  | { type: 'bearer'; token?: string }
  | { type: 'apikey'; key?: string; value?: string; placement?: 'header' | 'query' }
  /** Several credentials at once: a `headers:` map, a `query` list of parameters. */
  | { type: 'keys'; headers: CredentialPairs; query: CredentialPairs; cookies?: CredentialPairs }
  | Extract<AuthSpec, { type: 'oauth2' }>
  /** RFC 5849 signatures; `signingKey` is a PEM private key for the RSA methods. */
  | { type: 'oauth1'; signatureMethod: OAuth1Method; consumerKey: string; consumerSecret?: string; token?: string; tokenSecret?: string; signingKey?: string; realm?: string; bodyHash: boolean }
  | { type: 'aws-sig-v4'; accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string; service: string }
  /** Veracode's HMAC scheme (`VERACODE-HMAC-SHA-256`). */
  | { type: 'veracode-hmac'; apiId: string; apiKey: string }
  /** mTLS: PEM texts or file paths (`certPath`, `keyPath`, `caPath`; a `.p12`/`.pfx` path is a PKCS#12 bundle). */
  | { type: 'certificate'; cert?: string; key?: string; ca?: string; certPath?: string; keyPath?: string; caPath?: string; passphrase?: string }
  /** Declared, but Capstan cannot perform it: requests fail with `reason`. */
  | { type: 'unsupported'; declared: string; reason: string };

/**
 * A normalised object and what the author should hear about it. De-facto forms are reported by
 * the schema pass; this adds only why an object cannot be performed.
 */
export interface NormalisedAuth {
  auth: ConsumedAuth;
  warnings: Array<{ code: string; message: string; fix?: string }>;
}

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const pick = (o: Obj, ...keys: string[]): string | undefined => keys.map((k) => str(o[k])).find((v) => v !== undefined);

/** Reads `headers:` as a map (`{X-Key: v}`) or a list (`[{name, value}]`). */
function pairs(value: unknown): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((p) => (p && typeof p === 'object' && str((p as Obj).name) ? [[str((p as Obj).name)!, str((p as Obj).value) ?? '']] : []) as Array<[string, string]>);
  if (value && typeof value === 'object') return Object.entries(value as Obj).flatMap(([k, v]) => (str(v) !== undefined ? [[k, str(v)!] as [string, string]] : []));
  return [];
}

const unsupported = (declared: string, reason: string, fix?: string): NormalisedAuth => ({
  auth: { type: 'unsupported', declared, reason },
  warnings: [{ code: 'auth-unsupported', message: `${reason}; calls to this API fail with a configuration error rather than go out unauthenticated`, ...(fix ? { fix } : {}) }],
});

/** API keys in every spelling: one credential → official `apikey`, several → `keys`. */
function apiKey(type: string, o: Obj): NormalisedAuth {
  const headers = pairs(o.headers);
  const query = type === 'query' ? pairs(o.parameters) : [];
  // `key` is the credential's name, except beside `name`/`header`, where it holds the value (Appwrite files).
  const named = o.name !== undefined || o.header !== undefined;
  const name = pick(o, 'name', 'header') ?? pick(o, 'key');
  const value = pick(o, 'value', 'token') ?? (named ? pick(o, 'key') : undefined);
  const placement = str(o.in) ?? str(o.placement) ?? (type === 'query' ? 'query' : 'header');
  const cookies: Array<[string, string]> = [];
  const lists: Record<string, Array<[string, string]>> = { header: headers, query, cookie: cookies };
  if (name !== undefined && lists[placement]) lists[placement]!.push([name, value ?? '']);
  else if (name !== undefined) return unsupported(type, `API key placement \`${placement}\` is not supported (header, query or cookie)`, 'write `in: header`, `in: query` or `in: cookie`');
  if (cookies.length) return { auth: { type: 'keys', headers, query, cookies }, warnings: [] };
  if (!headers.length && !query.length) return unsupported(type, `\`type: ${type}\` names no credential (expected \`key\`/\`name\`, \`header\`, \`headers\` or \`parameters\`)`, 'write `key: X-Api-Key`, `value: "{{API_KEY}}"`, `placement: header`');
  if (headers.length + query.length === 1) {
    const [[key, val]] = headers.length ? [headers[0]!] : [query[0]!];
    return { auth: { type: 'apikey', key, value: val, placement: headers.length ? 'header' : 'query' }, warnings: [] };
  }
  return { auth: { type: 'keys', headers, query }, warnings: [] };
}

function oauth1(o: Obj): NormalisedAuth {
  const consumerKey = pick(o, 'consumerKey');
  const signingKey = pick(o, 'signingKey', 'privateKey');
  const declared = str(o.signatureMethod)?.toUpperCase();
  const methods: OAuth1Method[] = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA256', 'RSA-SHA1'];
  if (declared !== undefined && !methods.includes(declared as OAuth1Method)) return unsupported('oauth1', `OAuth 1.0a signature method \`${declared}\` is not supported (${methods.join(', ')})`);
  const signatureMethod = (declared ?? (signingKey !== undefined ? 'RSA-SHA256' : 'HMAC-SHA1')) as OAuth1Method;
  if (consumerKey === undefined) return unsupported('oauth1', '`type: oauth1` needs `consumerKey`', 'add `consumerKey: "{{CONSUMER_KEY}}"`');
  if (signatureMethod.startsWith('RSA') && signingKey === undefined) return unsupported('oauth1', `OAuth 1.0a ${signatureMethod} needs \`signingKey\` (a PEM private key)`, 'add `signingKey: "{{SIGNING_KEY}}"` read from a `file:` bind');
  const opt = (k: string, v: string | undefined) => (v !== undefined ? { [k]: v } : {});
  return {
    auth: {
      type: 'oauth1', signatureMethod, consumerKey,
      ...opt('consumerSecret', pick(o, 'consumerSecret')), ...opt('token', pick(o, 'token', 'accessToken')), ...opt('tokenSecret', pick(o, 'tokenSecret', 'accessTokenSecret')),
      ...opt('signingKey', signingKey), ...opt('realm', pick(o, 'realm')),
      // Mastercard requires oauth_body_hash; other providers ignore a signed extra oauth_ parameter.
      bodyHash: o.bodyHash !== false,
    },
    warnings: [],
  };
}

function awsSigV4(type: string, o: Obj): NormalisedAuth {
  const accessKeyId = pick(o, 'accessKeyId', 'accessKey');
  const secretAccessKey = pick(o, 'secretAccessKey', 'secretKey');
  const region = pick(o, 'region');
  const service = pick(o, 'service');
  const missing = Object.entries({ accessKeyId, secretKey: secretAccessKey, region, service }).filter(([, v]) => v === undefined).map(([k]) => `\`${k}\``);
  if (missing.length) return unsupported(type, `\`type: ${type}\` needs ${missing.join(', ')}`);
  const sessionToken = pick(o, 'sessionToken');
  return {
    auth: { type: 'aws-sig-v4', accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, region: region!, service: service!, ...(sessionToken !== undefined ? { sessionToken } : {}) },
    warnings: [],
  };
}

function hmac(o: Obj): NormalisedAuth {
  const apiId = pick(o, 'apiId', 'id', 'keyId');
  const apiKey = pick(o, 'apiKey', 'secret', 'key');
  if (apiId === undefined || apiKey === undefined) return unsupported('hmac', '`type: hmac` is performed as the Veracode scheme and needs `apiId` and `apiKey`');
  return { auth: { type: 'veracode-hmac', apiId, apiKey }, warnings: [] };
}

function certificate(o: Obj): NormalisedAuth {
  const fields = { cert: pick(o, 'cert', 'certificate'), key: pick(o, 'key', 'privateKey'), ca: pick(o, 'ca'), certPath: pick(o, 'certPath'), keyPath: pick(o, 'keyPath'), caPath: pick(o, 'caPath'), passphrase: pick(o, 'certPassword', 'passphrase', 'password') };
  if (fields.cert === undefined && fields.certPath === undefined) return unsupported('certificate', '`type: certificate` needs `certPath` or `cert` (the client certificate)');
  const auth = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Omit<Extract<ConsumedAuth, { type: 'certificate' }>, 'type'>;
  return { auth: { type: 'certificate', ...auth }, warnings: [] };
}

/** Every key Capstan reads, per declared type (official keys and the spellings real files use). */
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  basic: ['username', 'password'],
  digest: ['username', 'password'],
  bearer: ['token'],
  apikey: ['key', 'value', 'placement', 'in', 'name', 'header', 'headers', 'token'],
  oauth2: ['authorizationServerUri', 'resource', 'scopes', 'audience', 'tokenEndpoint', 'tokenValidation', 'clientId', 'clientSecret', 'grantType'],
  oauth1: ['consumerKey', 'consumerSecret', 'token', 'accessToken', 'tokenSecret', 'accessTokenSecret', 'signingKey', 'privateKey', 'signatureMethod', 'realm', 'bodyHash'],
  'aws-sig-v4': ['accessKeyId', 'accessKey', 'secretAccessKey', 'secretKey', 'sessionToken', 'region', 'service'],
  hmac: ['apiId', 'id', 'keyId', 'apiKey', 'secret', 'key'],
  certificate: ['cert', 'certificate', 'key', 'privateKey', 'ca', 'certPath', 'keyPath', 'caPath', 'certPassword', 'passphrase', 'password'],
};
const ALIASES: Readonly<Record<string, string>> = { apiKey: 'apikey', header: 'apikey', headers: 'apikey', query: 'apikey', 'aws-sigv4': 'aws-sig-v4', aws4: 'aws-sig-v4', mtls: 'certificate' };

/** Capstan's own extension keys on an authentication object (reported by the extension checks). */
const isExtension = (key: string): boolean => key.startsWith('x-capstan-');

/** A key Capstan does not read may be a typo of one it does: the credential would silently go missing. */
function unknownKeys(type: string, o: Obj): NormalisedAuth['warnings'] {
  const known = KNOWN_KEYS[ALIASES[type] ?? type];
  if (!known) return [];
  const extra = type === 'query' ? ['parameters'] : [];
  return Object.keys(o)
    .filter((k) => k !== 'type' && !isExtension(k) && !known.includes(k) && !extra.includes(k))
    .map((k) => {
      const guess = closest(k, known);
      return { code: 'auth-unknown-key', message: `unknown key \`${k}\` in \`${type}\` authentication${guess ? ` — did you mean \`${guess}\`?` : ''}; Capstan ignores it`, ...(guess ? { fix: `rename \`${k}\` to \`${guess}\`` } : {}) };
    });
}

/** Normalises one consumed `authentication` value (already known to be present). */
export function normaliseConsumedAuth(raw: unknown): NormalisedAuth {
  const result = normalise(raw);
  if (raw && typeof raw === 'object') {
    const extensions = Object.entries(raw as Obj).filter(([k]) => isExtension(k));
    if (extensions.length) result.auth = { ...result.auth, ...Object.fromEntries(extensions) };
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && typeof (raw as Obj).type === 'string') result.warnings.push(...unknownKeys((raw as Obj).type as string, raw as Obj));
  return result;
}

function normalise(raw: unknown): NormalisedAuth {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return unsupported(typeof raw === 'string' ? raw : String(raw), '`authentication` must be an object with a `type`');
  const o = raw as Obj;
  const type = str(o.type);
  if (type === undefined) return unsupported('(none)', '`authentication` has no `type`', 'add `type:` (basic, bearer, apikey, digest, oauth1, aws-sig-v4, hmac, certificate)');
  switch (type) {
    case 'basic':
    case 'digest':
      return { auth: { type, ...(str(o.username) !== undefined ? { username: str(o.username)! } : {}), ...(str(o.password) !== undefined ? { password: str(o.password)! } : {}) }, warnings: [] };
    case 'bearer':
      return { auth: { type, ...(str(o.token) !== undefined ? { token: str(o.token)! } : {}) }, warnings: [] };
    case 'apikey':
    case 'apiKey':
    case 'header':
    case 'headers':
    case 'query':
      return apiKey(type, o);
    case 'oauth2':
      return { auth: o as unknown as ConsumedAuth, warnings: [] };
    case 'oauth1':
      return oauth1(o);
    case 'aws-sig-v4':
    case 'aws-sigv4':
    case 'aws4':
      return awsSigV4(type, o);
    case 'hmac':
      return hmac(o);
    case 'certificate':
    case 'mtls':
      return certificate(o);
    default: {
      const guess = closest(type, [...Object.keys(KNOWN_KEYS), ...Object.keys(ALIASES)]);
      return unsupported(type, `authentication type \`${type}\` is not supported on consumed APIs${guess ? ` — did you mean \`${guess}\`?` : ''}`, guess ? `write \`type: ${guess}\`` : 'use basic, bearer, apikey, digest, oauth1, aws-sig-v4, hmac or certificate');
    }
  }
}

/** The keys each official scheme allows (official alpha2 schema: nothing else, every value a string). */
const OFFICIAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  basic: ['username', 'password'],
  digest: ['username', 'password'],
  bearer: ['token'],
  apikey: ['key', 'value', 'placement'],
  oauth2: ['authorizationServerUri', 'resource', 'scopes', 'audience', 'tokenEndpoint', 'tokenValidation'],
};

/** True when the official schema accepts this `authentication` object (so it is no de-facto form). */
export function isOfficialAuth(raw: unknown): boolean {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const o = raw as Obj;
  const allowed = typeof o.type === 'string' ? OFFICIAL_KEYS[o.type] : undefined;
  if (!allowed) return false;
  if (o.type === 'apikey' && o.placement !== undefined && o.placement !== 'header' && o.placement !== 'query') return false;
  if (o.type === 'oauth2' && (typeof o.authorizationServerUri !== 'string' || typeof o.resource !== 'string')) return false;
  // Extension keys are reported on their own (Capstan extensions, not de-facto forms).
  return Object.entries(o).every(([k, v]) => k === 'type' || isExtension(k) || (allowed.includes(k) && (k === 'scopes' ? Array.isArray(v) : typeof v === 'string')));
}
