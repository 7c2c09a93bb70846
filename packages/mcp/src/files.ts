/**
 * Files behind static resources and file prompts: `file:///` locations, safe path resolution
 * (each segment checked, the real path must stay inside the folder) and mime types.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

/** Resolves a `file:` location (relative to the capability file's folder). */
export { resolveFileLocation as resolveLocation } from '@capstan/core';

const SEGMENT = /^[a-zA-Z0-9._-]+$/;

/** Why a relative resource path was refused. */
export class UnsafePathError extends Error {}

/** A file that does not exist (or is not a regular file reachable inside the folder). */
export class MissingFileError extends Error {}

/**
 * The real path of `relative` inside `root`. Every segment must match `[a-zA-Z0-9._-]+` and not be
 * `.` or `..`, and the real path (symlinks followed) must stay inside the real `root`.
 */
export function safeResolve(root: string, relative: string): string {
  const segments = relative.split('/');
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === '.' || s === '..') throw new UnsafePathError(`invalid path segment \`${s}\``);
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    throw new MissingFileError(`resource folder does not exist`);
  }
  let real: string;
  try {
    real = realpathSync(join(realRoot, ...segments));
  } catch {
    throw new MissingFileError(`no such file: ${relative}`);
  }
  if (!real.startsWith(realRoot + sep)) throw new UnsafePathError('path leaves the resource folder');
  const st = statSync(real);
  if (st.isDirectory()) throw new UnsafePathError(`\`${relative}\` is a folder, not a file`);
  if (!st.isFile()) throw new MissingFileError(`not a regular file: ${relative}`);
  return real;
}

/** Relative paths (with `/`) of the regular files under `root`, sorted; only files a read would accept. */
export function listFiles(root: string): string[] {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (dir: string, prefix: string, depth: number): void => {
    if (depth > 32) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!SEGMENT.test(e.name)) continue;
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const full = join(dir, e.name);
      let real: string;
      try {
        real = realpathSync(full);
      } catch {
        continue;
      }
      if (!real.startsWith(realRoot + sep)) continue;
      const st = statSync(real);
      if (st.isDirectory()) walk(full, rel, depth + 1);
      else if (st.isFile()) out.push(rel);
    }
  };
  walk(realRoot, '', 0);
  return out.sort();
}

const MIME_BY_EXT: Readonly<Record<string, string>> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.csv': 'text/csv',
  '.js': 'text/javascript',
  '.ts': 'text/plain',
  '.py': 'text/x-python',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
};

/** Mime type by extension; `application/octet-stream` otherwise. */
export function mimeTypeOf(path: string): string {
  return MIME_BY_EXT[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** True when content of this type is text (sent as `text`, otherwise as base64 `blob`). */
export function isTextual(mimeType: string): boolean {
  const m = mimeType.toLowerCase().split(';')[0]!.trim();
  return m.startsWith('text/') || /(^|[+/])(json|yaml|xml|javascript|x-yaml|markdown|svg\+xml)$/.test(m) || m.endsWith('+json') || m.endsWith('+xml');
}
