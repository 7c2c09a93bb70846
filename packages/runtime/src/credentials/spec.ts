/**
 * Per-caller credential settings of one consumed API: the `x-capstan-credentials` block on its
 * `authentication`, or the same block under `consumes.<namespace>` of a `--credentials` file.
 *
 *   source: mint          # a JWT signed per caller (Paragon User Tokens)
 *   algorithm: RS256      # or ES256
 *   key: '{{SIGNING_KEY}}' # PEM (PKCS#8) or JWK JSON; `file:` reads a file
 *   claims: { sub: '{{caller.sub}}', aud: '...' }
 *   ttl: 3600             # seconds
 *
 *   source: store         # a per-caller entry (a Composio connected account, an API key)
 *   store: file:users.yaml # or redis://host:port
 *   key: '{{caller.sub}}'
 *
 *   source: passthrough   # the caller's own header, to this upstream only
 *   header: authorization
 *   as: authorization
 *
 *   parameters: { connected_account_id: '{{credential.connected_account_id}}' }
 */

/** Settings shared by every source. */
interface Common {
  /** Consumed parameters forced per caller (templates over `caller` and `credential`); a caller's input never overrides them. */
  parameters: Readonly<Record<string, string>>;
}

/** A JWT minted per caller. */
export interface MintSpec extends Common {
  source: 'mint';
  algorithm: 'RS256' | 'ES256';
  /** Template for the private key (PEM or JWK JSON, or `file:` + path). */
  key: string;
  /** Claim templates; `iat` and `exp` are added. */
  claims: Readonly<Record<string, unknown>>;
  ttlSeconds: number;
}

/** A per-caller entry looked up in a store. */
export interface StoreSpec extends Common {
  source: 'store';
  /** `file:` location of a YAML/JSON map, or a `redis://` URL. */
  store: string;
  /** Template for the entry key. */
  key: string;
  /** Key prefix in Redis. */
  prefix: string;
}

/** The caller's own header, forwarded to this upstream only. */
export interface PassthroughSpec extends Common {
  source: 'passthrough';
  /** Inbound header name, lower-case. */
  header: string;
  /** Upstream header name, lower-case. */
  as: string;
}

/** One consumed API's credential source. */
export type CredentialSpec = MintSpec | StoreSpec | PassthroughSpec;

/** The extension key on a consumed API's `authentication`. */
export const CREDENTIALS_KEY = 'x-capstan-credentials';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Reads a credentials block; throws an Error naming the namespace and the bad setting. */
export function parseCredentialSpec(raw: unknown, namespace: string): CredentialSpec {
  const bad = (message: string): never => {
    throw new Error(`credentials of \`${namespace}\`: ${message}`);
  };
  if (!isObj(raw)) return bad('expected a map with `source`');
  const text = (key: string, fallback?: string): string => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'string' || v === '') return bad(`\`${key}\` must be a non-empty string`);
    return v;
  };
  const parameters: Record<string, string> = {};
  if (raw.parameters !== undefined) {
    if (!isObj(raw.parameters)) bad('`parameters` must map parameter names to templates');
    for (const [k, v] of Object.entries(raw.parameters as Obj)) parameters[k] = typeof v === 'string' ? v : bad(`\`parameters.${k}\` must be a string template`);
  }
  switch (raw.source) {
    case 'mint': {
      const algorithm = raw.algorithm ?? 'RS256';
      if (algorithm !== 'RS256' && algorithm !== 'ES256') bad('`algorithm` must be RS256 or ES256');
      const claims = raw.claims ?? { sub: '{{caller.sub}}' };
      if (!isObj(claims)) bad('`claims` must be a map of claim names to values');
      const ttl = raw.ttl ?? 3600;
      if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 10 || ttl > 86_400) bad('`ttl` must be a whole number of seconds from 10 to 86400');
      return { source: 'mint', algorithm: algorithm as MintSpec['algorithm'], key: text('key'), claims: claims as Obj, ttlSeconds: ttl as number, parameters };
    }
    case 'store': {
      const store = text('store');
      if (!/^(file:|redis:\/\/|rediss:\/\/)/i.test(store) && !store.includes('{{')) bad('`store` must be a `file:` location or a `redis://` URL');
      return { source: 'store', store, key: text('key', '{{caller.sub}}'), prefix: typeof raw.prefix === 'string' ? raw.prefix : `capstan:${namespace}:`, parameters };
    }
    case 'passthrough': {
      const header = text('header', 'authorization').toLowerCase();
      const as = text('as', header).toLowerCase();
      for (const h of [header, as]) if (!HEADER_NAME.test(h)) bad(`\`${h}\` is not a header name`);
      return { source: 'passthrough', header, as, parameters };
    }
    default:
      return bad('`source` must be mint, store or passthrough');
  }
}
