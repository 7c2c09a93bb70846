/**
 * `file:` locations in capability files (imports, bind key files, static MCP resources, prompt
 * files, skill folders) resolved one way everywhere.
 */
import { isAbsolute, resolve } from 'node:path';

/**
 * Resolves a location to an absolute path. `file:///./x`, `file:///../x`, `file://./x` and a
 * bare `./x` or `x` are relative to `baseDir` (the capability file's folder); `file:///abs/x`,
 * `file://localhost/abs/x` and `/abs/x` are absolute. Percent-escapes are decoded. Throws for
 * another scheme, a remote host or malformed percent-encoding.
 */
export function resolveFileLocation(location: string, baseDir: string): string {
  let path = location.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(path);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'file') throw new Error(`\`${location}\` is not a file: URI`);
    path = path.slice(scheme[0].length);
    if (path.startsWith('//')) {
      const end = path.indexOf('/', 2);
      const authority = end < 0 ? path.slice(2) : path.slice(2, end);
      const rest = end < 0 ? '' : path.slice(end);
      if (authority === '.' || authority === '..') path = `${authority}${rest}`;
      else if (authority === '' || authority.toLowerCase() === 'localhost') path = rest || '/';
      else throw new Error(`\`${location}\` names the host \`${authority}\`; only local files are supported`);
    }
    // `file:///./x` is the spec's way of writing a relative location.
    if (/^\/\.\.?(\/|$)/.test(path)) path = path.slice(1);
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    throw new Error(`\`${location}\` has malformed percent-encoding`);
  }
  return isAbsolute(path) ? resolve(path) : resolve(baseDir, path);
}
