/**
 * Bind resolution: every `binds` entry (root and `capability.binds`) becomes variables injected
 * into template contexts. Without `location`, keys are read from the environment (plus an
 * optional `.env` file); with a `file:` location, from a YAML or JSON key file next to the
 * capability. A key that cannot be resolved fails start-up with the variable and bind named.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { BindNode } from '@capstan/spec';
import { resolveFileLocation, parseYaml } from '@capstan/spec';
import { BindError } from './errors.js';

/** Resolved binds: the template layer and the values to redact. */
export interface ResolvedBinds {
  /** `VAR` and `<bind-namespace>.VAR` (as a nested object) for templates. */
  layer: Record<string, unknown>;
  /** Every resolved value, for redaction. */
  values: string[];
}

/** Reads a `.env` file (dotenv format). Missing or unreadable files fail start-up. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BindError('', '', `cannot read env file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseEnv(text) as Record<string, string>;
}

/** The file a `file:` location points to, relative to the capability file's folder when not absolute. */
export const bindFilePath = resolveFileLocation;

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function readKeyFile(bind: BindNode, path: string): Record<string, unknown> {
  const firstVar = Object.keys(bind.keys)[0] ?? '';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BindError(firstVar, bind.namespace, `bind \`${bind.namespace}\`: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch {
    // The parser's message may quote the file, which holds secrets: say only where.
    throw new BindError(firstVar, bind.namespace, `bind \`${bind.namespace}\`: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new BindError(firstVar, bind.namespace, `bind \`${bind.namespace}\`: ${path} must hold a map of keys`);
  }
  return data as Record<string, unknown>;
}

/**
 * Resolves every bind; throws BindError on the first variable that has no value, unless it is
 * `optional` (a static credential that a per-caller credential source replaces).
 */
export function resolveBinds(binds: readonly BindNode[], env: NodeJS.ProcessEnv, optional: ReadonlySet<string> = new Set()): ResolvedBinds {
  const layer: Record<string, unknown> = {};
  const values: string[] = [];
  for (const bind of binds) {
    let source: Record<string, unknown>;
    let where: string;
    if (!bind.location) {
      source = env as Record<string, unknown>;
      where = 'the environment';
    } else if (/^file:/i.test(bind.location)) {
      const path = bindFilePath(bind.location, bind.baseDir);
      source = readKeyFile(bind, path);
      where = path;
    } else {
      const scheme = bind.location.split(':')[0] ?? bind.location;
      throw new BindError(Object.keys(bind.keys)[0] ?? '', bind.namespace, `bind \`${bind.namespace}\`: location scheme \`${scheme}:\` is not supported (only \`file:\` and the environment)`);
    }
    const scoped: Record<string, string> = {};
    for (const [variable, key] of Object.entries(bind.keys)) {
      const raw = Object.prototype.hasOwnProperty.call(source, key) ? source[key] : undefined;
      if (raw === undefined || raw === null) {
        if (optional.has(variable)) continue;
        throw new BindError(variable, bind.namespace, `bind \`${bind.namespace}\`: variable \`${variable}\` has no value (key \`${key}\` not found in ${where})`);
      }
      const value = stringify(raw);
      // An empty value would send an empty credential, which fails later and less clearly.
      if (value === '') throw new BindError(variable, bind.namespace, `bind \`${bind.namespace}\`: variable \`${variable}\` is empty (key \`${key}\` in ${where})`);
      scoped[variable] = value;
      layer[variable] = value;
      values.push(value);
    }
    const existing = layer[bind.namespace];
    layer[bind.namespace] = existing && typeof existing === 'object' ? { ...(existing as object), ...scoped } : scoped;
  }
  return { layer, values };
}
