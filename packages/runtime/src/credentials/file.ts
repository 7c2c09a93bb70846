/**
 * The `--credentials` file (or `CAPSTAN_CREDENTIALS`): per-caller settings kept outside the
 * capability files, so a published file runs unmodified.
 *
 *   identity: { jwt: { publicKey: file:users-pub.pem }, forwarded: {…}, apiKeys: {…} }
 *   consumes:
 *     paragon: { source: mint, key: file:signing-key.pem, claims: { sub: '{{caller.sub}}' } }
 *
 * `consumes` entries have the shape of `x-capstan-credentials` and replace it. Relative `file:`
 * locations are read from the credentials file's folder.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IdentitySpec } from '../identity/resolver.js';
import { resolveFileLocation, parseYaml } from '@capstan/spec';

/** A parsed credentials file. */
export interface CredentialsFile {
  identity?: IdentitySpec;
  /** Consumed namespace → credential settings. */
  consumes: Record<string, unknown>;
  /** Resolves a `file:` location of the identity settings. */
  resolvePath(location: string): string;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Reads and checks the file's shape; throws an Error naming the file and the bad part. */
export function loadCredentialsFile(path: string): CredentialsFile {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`credentials file ${path}: ${code ? `cannot be read (${code})` : 'is not valid YAML'}`);
  }
  if (!isObj(data)) throw new Error(`credentials file ${path}: expected a map with \`identity\` and/or \`consumes\``);
  const unknown = Object.keys(data).filter((k) => k !== 'identity' && k !== 'consumes');
  if (unknown.length) throw new Error(`credentials file ${path}: unknown key \`${unknown[0]}\` (expected \`identity\` and \`consumes\`)`);
  const dir = dirname(path);
  const consumes: Record<string, unknown> = {};
  if (data.consumes !== undefined && !isObj(data.consumes)) throw new Error(`credentials file ${path}: \`consumes\` must map consumed namespaces to settings`);
  for (const [ns, raw] of Object.entries((data.consumes ?? {}) as Record<string, unknown>)) {
    if (!isObj(raw)) throw new Error(`credentials file ${path}: \`consumes.${ns}\` must be a map`);
    // Capability-relative resolution happens later: pin this file's relative locations now.
    const pinned = { ...raw };
    for (const key of ['store', 'key']) {
      const v = pinned[key];
      if (typeof v === 'string' && /^file:/i.test(v)) pinned[key] = pathToFileURL(resolveFileLocation(v, dir)).href;
    }
    consumes[ns] = pinned;
  }
  if (data.identity !== undefined && !isObj(data.identity)) throw new Error(`credentials file ${path}: \`identity\` must be a map`);
  return { ...(data.identity ? { identity: data.identity as IdentitySpec } : {}), consumes, resolvePath: (location) => resolveFileLocation(location, dir) };
}
