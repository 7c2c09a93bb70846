/**
 * Chooses the upstream credential of each call from the caller's verified context: one
 * `CredentialBroker` per executor, one source per consumed API that has credential settings
 * (from the capability file's `x-capstan-credentials` or a `--credentials` file). A grant is
 * computed per call and never shared: what one caller gets is built only from that caller's
 * context, and a caller the source cannot serve is refused (401 without identity, 403 without
 * an entry), never given a default or another caller's credential.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConsumedAuth } from '@capstan/spec';
import type { CapabilityGraph, ConsumedApi } from '@capstan/spec';
import type { RequestContext } from '../identity/caller.js';
import { resolveFileLocation } from '@capstan/spec';
import { OWNED_NAMES, render, type Scope } from '../executor/mustache.js';
import { headerText } from '../executor/request.js';
import { UpstreamError } from '../executor/errors.js';
import { templateVariables } from '@capstan/spec';
import { CredentialError } from './errors.js';
import { JwtMinter } from './mint.js';
import { CREDENTIALS_KEY, parseCredentialSpec, type CredentialSpec } from './spec.js';
import { FileStore, RedisStore, type CredentialStore } from './store.js';

/** What one call gets from its credential source. */
export interface Grant {
  /** Template layer owning `credential` (the entry, or `{token}` for minted tokens). */
  layer: Record<string, unknown>;
  /** Parameters forced for this caller, over anything the caller sent. */
  parameters: Record<string, string>;
  /** Headers set on the upstream request after authentication (pass-through). */
  headers: Record<string, string>;
  /** The consumed API's authentication with its secret read from `credential`. */
  auth: ConsumedAuth | undefined;
  /** Values to redact from upstream error bodies. */
  secrets: string[];
}

/** Credential settings by consumed namespace, as given outside the capability file. */
export type CredentialOverrides = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The raw settings of each consumed API: the override, else the file's extension block. */
function rawSettings(graph: CapabilityGraph, overrides: CredentialOverrides | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const api of graph.consumes.values()) {
    const inFile = isObj(api.auth) ? (api.auth as Record<string, unknown>)[CREDENTIALS_KEY] : undefined;
    const raw = overrides?.[api.namespace] ?? inFile;
    if (raw !== undefined) out.set(api.namespace, raw);
  }
  return out;
}

/** The authentication field a credential's `token` replaces, by scheme. */
function secretField(auth: ConsumedAuth | undefined): 'token' | 'value' | 'password' | undefined {
  switch (auth?.type) {
    case 'bearer':
      return 'token';
    case 'apikey':
      return 'value';
    case 'basic':
    case 'digest':
      return 'password';
    default:
      return undefined;
  }
}

/** The header an authentication scheme sets, lower-case (undefined for query API keys). */
function authHeader(auth: ConsumedAuth | undefined): string | undefined {
  if (auth?.type === 'apikey') return auth.placement === 'query' ? undefined : auth.key?.toLowerCase();
  return 'authorization';
}

/**
 * Bind variables a credential source makes unnecessary (the static token it replaces), so a
 * published file such as Paragon's runs without `PARAGON_TOKEN` once tokens are minted per user.
 */
export function replacedBindVariables(graph: CapabilityGraph, overrides: CredentialOverrides | undefined): Set<string> {
  const out = new Set<string>();
  for (const [namespace, raw] of rawSettings(graph, overrides)) {
    const api = graph.consumes.get(namespace)!;
    const source = isObj(raw) ? raw.source : undefined;
    const field = secretField(api.auth);
    const replaced = source === 'passthrough' ? (isObj(raw) && String(raw.as ?? raw.header ?? 'authorization').toLowerCase() === authHeader(api.auth)) : source === 'mint' || source === 'store';
    if (!replaced || !field) continue;
    const template = (api.auth as Record<string, unknown>)[field];
    if (typeof template === 'string') for (const v of templateVariables(template)) out.add(v);
  }
  return out;
}

interface Source {
  spec: CredentialSpec;
  minter?: JwtMinter;
  store?: CredentialStore;
}

/** Resolves per-caller credentials for the consumed APIs of one capability. */
export class CredentialBroker {
  private constructor(private readonly sources: Map<string, Source>) {}

  /**
   * Reads and checks every API's settings (a bad setting, key or store fails start-up with the
   * namespace named). `renderSecret` renders templates from binds and the environment.
   */
  static async create(graph: CapabilityGraph, overrides: CredentialOverrides | undefined, renderSecret: (template: string) => string): Promise<CredentialBroker> {
    const sources = new Map<string, Source>();
    const baseDir = dirname(graph.file);
    for (const [namespace, raw] of rawSettings(graph, overrides)) {
      const spec = parseCredentialSpec(raw, namespace);
      const source: Source = { spec };
      const fail = (err: unknown): never => {
        throw new Error(`credentials of \`${namespace}\`: ${(err as Error).message}`);
      };
      if (spec.source === 'mint') {
        source.minter = new JwtMinter(spec, () => {
          const text = renderSecret(spec.key).trim();
          return /^file:/i.test(text) ? readText(resolveFileLocation(text, baseDir)) : text;
        });
        await source.minter.ready().catch(fail);
      } else if (spec.source === 'store') {
        const location = renderSecret(spec.store).trim();
        try {
          source.store = /^rediss?:\/\//i.test(location) ? new RedisStore(location, spec.prefix) : new FileStore(resolveFileLocation(location, baseDir));
        } catch (err) {
          fail(err);
        }
      }
      sources.set(namespace, source);
    }
    return new CredentialBroker(sources);
  }

  /** True when calls to `namespace` take a per-caller credential. */
  has(namespace: string): boolean {
    return this.sources.has(namespace);
  }

  /** The credential of one call; throws CredentialError when this caller cannot be served. */
  async grant(api: ConsumedApi, context: RequestContext | undefined, scope: Scope): Promise<Grant> {
    const source = this.sources.get(api.namespace)!;
    const { spec } = source;
    const ns = api.namespace;
    const caller = context?.caller;
    const headers: Record<string, string> = {};
    let credential: Record<string, string>;
    if (spec.source === 'passthrough') {
      const raw = context?.headers?.[spec.header];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (!value) throw new CredentialError(401, ns, `\`${ns}\` is called with the caller's own \`${spec.header}\` header, and the request has none`);
      headers[spec.as] = headerText(spec.header, value);
      credential = {};
      return this.finish(api, source, credential, headers, [value, value.replace(/^\S+\s+/, '')], scope);
    }
    if (!caller) throw new CredentialError(401, ns, `\`${ns}\` acts on behalf of a caller, and the request carried no verified identity`);
    if (spec.source === 'mint') {
      const claims: Record<string, unknown> = {};
      for (const [name, template] of Object.entries(spec.claims)) {
        const value = typeof template === 'string' ? render(template, scope) : template;
        if (value === '') throw new CredentialError(403, ns, `the token for \`${ns}\` needs the claim \`${name}\`, and the caller \`${caller.sub}\` has no value for it`);
        claims[name] = value;
      }
      credential = { token: await source.minter!.token(claims) };
    } else {
      const key = render(spec.key, scope);
      if (!key) throw new CredentialError(401, ns, `\`${ns}\` looks credentials up by a caller identity the request does not carry`);
      let entry;
      try {
        entry = await source.store!.get(key);
      } catch {
        throw new UpstreamError('unavailable', ns, 'credentials', `the credential store ${source.store!.where} of \`${ns}\` could not be reached`);
      }
      if (!entry) throw new CredentialError(403, ns, `no credential for caller \`${key}\` in the store of \`${ns}\` (${source.store!.where})`);
      credential = { ...entry };
    }
    return this.finish(api, source, credential, headers, Object.values(credential), scope);
  }

  private finish(api: ConsumedApi, source: Source, credential: Record<string, string>, headers: Record<string, string>, secrets: string[], scope: Scope): Grant {
    const layer = Object.defineProperty({ credential }, OWNED_NAMES, { value: CREDENTIAL_NAMES });
    const parameters: Record<string, string> = {};
    for (const [name, template] of Object.entries(source.spec.parameters)) {
      const value = render(template, [layer, ...scope]);
      if (value === '') throw new CredentialError(403, api.namespace, `the parameter \`${name}\` of \`${api.namespace}\` has no value for this caller (\`${template}\` is empty)`);
      parameters[name] = value;
    }
    return { layer, parameters, headers, auth: effectiveAuth(api.auth, credential), secrets: secrets.filter((s) => s.length >= 4) };
  }

  /** Closes store connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.sources.values()].map((s) => s.store?.close()));
  }
}

const CREDENTIAL_NAMES: ReadonlySet<string> = new Set(['credential']);

/** The API's authentication with its secret taken from the credential's `token` (and `username`), when it has one. */
function effectiveAuth(auth: ConsumedAuth | undefined, credential: Record<string, string>): ConsumedAuth | undefined {
  if (credential.token === undefined) return auth;
  const field = secretField(auth);
  if (!field) return { type: 'bearer', token: '{{credential.token}}' };
  const user = credential.username !== undefined && (auth!.type === 'basic' || auth!.type === 'digest') ? { username: '{{credential.username}}' } : {};
  return { ...auth!, [field]: '{{credential.token}}', ...user } as ConsumedAuth;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the key file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
