/**
 * Files a caller may read from a declared folder (skill contents, MCP static resources): safe
 * resolution of a requested relative path (every segment checked, symlinks followed but never out
 * of the folder, the file opened without following a final symlink), a recursive listing, and
 * media types from `mime-types`. Reads go through the opened handle, so what was checked is what
 * is served, streamed (skill) or read whole (MCP).
 */
import { constants } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { createRequire } from 'node:module';

/** A path segment a client may name: letters, digits, `.`, `_`, `-` (and never `.` or `..`). */
const SEGMENT = /^[a-zA-Z0-9._-]+$/;

/** True when `segment` may appear in a requested path. */
export function isSafeSegment(segment: string): boolean {
  return SEGMENT.test(segment) && segment !== '.' && segment !== '..';
}

/** True when `path` lies strictly inside the folder `root` (both real, absolute paths). */
export function isInside(root: string, path: string): boolean {
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix) && path.length > prefix.length;
}

/** A requested path was refused (400). */
export class UnsafePathError extends Error {}

/** The requested file does not exist, or is not a regular file (404). */
export class MissingFileError extends Error {}

/** The real path of the folder, or undefined when it does not exist or is not a folder. */
export async function realFolder(root: string): Promise<string | undefined> {
  try {
    const real = await realpath(root);
    return (await stat(real)).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens `segments` (already percent-decoded) under the real folder `realRoot`. Every segment must
 * pass {@link isSafeSegment}, and the file's real path (symlinks followed) must stay inside the
 * folder; the file is opened without following a final symlink, so what was checked is what is read.
 */
export async function openInside(realRoot: string, segments: readonly string[]): Promise<{ handle: FileHandle; size: number; path: string }> {
  if (segments.length === 0) throw new UnsafePathError('a file path is required');
  for (const s of segments) {
    if (!isSafeSegment(s)) throw new UnsafePathError(s === '' ? 'the path has an empty segment' : `the path segment \`${s}\` is not allowed (letters, digits, \`.\`, \`_\` and \`-\` only; no \`.\` or \`..\`)`);
  }
  const relative = segments.join('/');
  let real: string;
  try {
    real = await realpath(join(realRoot, ...segments));
  } catch {
    throw new MissingFileError(`no file \`${relative}\``);
  }
  if (!isInside(realRoot, real)) throw new UnsafePathError(`\`${relative}\` leads outside the folder`);
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    throw new MissingFileError(`no file \`${relative}\``);
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new MissingFileError(`\`${relative}\` is not a file`);
  }
  return { handle, size: st.size, path: real };
}

/** One file of a served folder. */
export interface FolderFile {
  /** Relative path with `/` separators. */
  path: string;
  /** Real path on disk. */
  realPath: string;
  size: number;
  /** Media type, without parameters. */
  type: string;
  mtime: Date;
  /** File mode bits (kept in the zip entry). */
  mode: number;
}

/** Deepest folder nesting walked. */
const MAX_DEPTH = 32;

/**
 * The regular files under the real folder `realRoot`, sorted by path: only those a client could
 * fetch (every segment safe, real path inside the folder). Symlinks inside the folder are
 * followed; those leading outside it are skipped, as are cycles.
 */
export async function listFiles(realRoot: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const seen = new Set<string>([realRoot]);
  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!isSafeSegment(name)) continue;
      const rel = prefix ? `${prefix}/${name}` : name;
      let real: string;
      try {
        real = await realpath(join(dir, name));
      } catch {
        continue;
      }
      if (!isInside(realRoot, real)) continue;
      const st = await stat(real).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) {
        if (seen.has(real)) continue;
        seen.add(real);
        await walk(real, rel, depth + 1);
      } else if (st.isFile()) {
        out.push({ path: rel, realPath: real, size: st.size, type: mediaType(name), mtime: st.mtime, mode: st.mode });
      }
    }
  };
  await walk(realRoot, '', 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Types `mime-types` lacks or gets wrong for the scripts skills and resources ship (`.ts` is not MPEG-TS here). */
const OVERRIDES: Readonly<Record<string, string>> = {
  '.ts': 'text/x-typescript',
  '.mts': 'text/x-typescript',
  '.cts': 'text/x-typescript',
  '.tsx': 'text/x-typescript',
  '.py': 'text/x-python',
};

let mimeTypes: typeof import('mime-types') | undefined;
/** mime-types (and its database), loaded with the first file served rather than at start-up. */
const mime = (): typeof import('mime-types') => (mimeTypes ??= createRequire(import.meta.url)('mime-types') as typeof import('mime-types'));

/** The media type of a file name (`application/octet-stream` when unknown). */
export function mediaType(name: string): string {
  return OVERRIDES[extname(name).toLowerCase()] ?? (mime().lookup(name) || 'application/octet-stream');
}

/** The `Content-Type` to send for a file name: text types carry `charset=utf-8`. */
export function contentType(name: string): string {
  const type = mediaType(name);
  return (mime().contentType(type) || type).replace(/^(text\/[^;]+)$/, '$1; charset=utf-8');
}

/** True when content of this type is text (MCP sends it as `text`, otherwise as base64 `blob`). */
export function isTextual(mimeType: string): boolean {
  const m = mimeType.toLowerCase().split(';')[0]!.trim();
  return m.startsWith('text/') || /(^|[+/])(json|yaml|xml|javascript|x-yaml|markdown|svg\+xml)$/.test(m) || m.endsWith('+json') || m.endsWith('+xml');
}

/** Reads a whole file under the real folder `realRoot` through {@link openInside} (the handle is closed). */
export async function readInside(realRoot: string, segments: readonly string[]): Promise<{ data: Buffer; path: string }> {
  const file = await openInside(realRoot, segments);
  try {
    return { data: await file.handle.readFile(), path: file.path };
  } finally {
    await file.handle.close();
  }
}
