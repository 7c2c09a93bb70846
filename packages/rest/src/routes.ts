/**
 * Spec path templates → fastify routes. Placeholders (`{name}`, `{{name}}`) become positional
 * route parameters, so any placeholder name works (find-my-way would split `:my-id` at the
 * hyphen). A trailing placeholder whose name ends in `path` (`{path}`, `{apiPath}`) spans
 * several segments, like the reference engine's `path` variable.
 */

/** A spec path compiled for the router. */
export interface CompiledPath {
  /** Route for fastify, e.g. `/ships/:p0` or `/proxy/:p0/*`. */
  route: string;
  /** Route parameter (`p0`, `*`) → placeholder name. */
  names: ReadonlyMap<string, string>;
  /** Shape used to detect collisions: parameters blanked (`/ships/:`). */
  shape: string;
  /** With a trailing multi-segment placeholder: the number of `/` before it (where its raw text starts). */
  tailSlashes?: number;
}

const PLACEHOLDER = /\{\{?\s*([^{}\s]+?)\s*\}?\}/g;

/** Compiles a spec path template. */
export function compilePath(path: string): CompiledPath {
  const names = new Map<string, string>();
  const normalized = path.startsWith('/') ? path : `/${path}`;
  const matches = [...normalized.matchAll(PLACEHOLDER)];
  const last = matches[matches.length - 1];
  let route = '';
  let shape = '';
  let cursor = 0;
  matches.forEach((m, i) => {
    const literal = escapeLiteral(normalized.slice(cursor, m.index));
    route += literal;
    shape += literal;
    const name = m[1]!;
    const spansSegments = m === last && m.index + m[0].length === normalized.length && /path$/i.test(name) && normalized[m.index - 1] === '/';
    if (spansSegments) {
      route += '*';
      shape += '*';
      names.set('*', name);
    } else {
      route += `:p${i}`;
      shape += ':';
      names.set(`p${i}`, name);
    }
    cursor = m.index + m[0].length;
  });
  const tail = escapeLiteral(normalized.slice(cursor));
  const star = route.indexOf('*');
  return { route: route + tail, names, shape: shape + tail, ...(names.has('*') ? { tailSlashes: route.slice(0, star).split('/').length - 1 } : {}) };
}

/** find-my-way treats `:` and `*` specially; a literal colon is written `::`. */
function escapeLiteral(text: string): string {
  return text.replace(/:/g, '::');
}

/** Route parameters (by route name) → inputs by placeholder name. */
export function placeholderValues(compiled: CompiledPath, params: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [routeName, name] of compiled.names) {
    const v = params[routeName];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The request path's raw (still percent-encoded) text matched by the trailing wildcard, or '' when the route has none. */
export function rawTail(compiled: CompiledPath, rawPath: string): string {
  const slashes = compiled.tailSlashes;
  if (slashes === undefined) return '';
  let at = 0;
  for (let i = 0; i < slashes; i++) {
    at = rawPath.indexOf('/', at) + 1;
    if (at === 0) return '';
  }
  return rawPath.slice(at);
}

/**
 * The value of the trailing multi-segment placeholder, decoded segment by segment from the raw
 * path. An encoded `/` (%2F, as generated clients send a path parameter) is a separator like
 * `/`; the executor then checks every segment (dot segments, encoded slashes and backslashes at
 * any depth, empty segments) exactly as for a literal `/`. An encoded `?` (%3F) is refused: the
 * router would otherwise turn `a%3Fx/b` into the start of a query. Undefined when the route has
 * no such placeholder.
 */
export function tailValue(compiled: CompiledPath, rawPath: string): { ok: true; value: string } | { ok: false; message: string } | undefined {
  const name = compiled.names.get('*');
  if (!name) return undefined;
  const tail = rawTail(compiled, rawPath);
  // Nothing percent-encoded: every segment decodes to itself (and the raw path has no `?`).
  if (!tail.includes('%')) return { ok: true, value: tail };
  const segments: string[] = [];
  for (const segment of tail.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { ok: false, message: `\`${name}\` has malformed percent-encoding` };
    }
    if (decoded.includes('?')) return { ok: false, message: `\`${name}\` must not contain an encoded \`?\` (%3F)` };
    segments.push(decoded);
  }
  return { ok: true, value: segments.join('/') };
}

/** A path input the adapter refuses before calling the executor. */
export interface PathIssue {
  name: string;
  message: string;
}

/**
 * The caller's path inputs by placeholder name. The router decodes every parameter, so a
 * single-segment value may hold `/` or `?` (sent as %2F, %3F); such a value is refused, as the
 * upstream path it would build has other segments or a query. The trailing multi-segment
 * placeholder is decoded segment by segment (see `tailValue`).
 */
export function pathValues(compiled: CompiledPath, params: Record<string, string | undefined>, rawPath: string): { ok: true; values: Record<string, string> } | { ok: false; issues: PathIssue[] } {
  const values = placeholderValues(compiled, params);
  const issues: PathIssue[] = [];
  for (const [routeName, name] of compiled.names) {
    const value = values[name];
    if (routeName === '*' || value === undefined) continue;
    if (value.includes('/') || value.includes('?')) issues.push({ name, message: `\`${name}\` is one path segment: it must not contain an encoded \`/\` or \`?\` (%2F, %3F)` });
  }
  const tail = tailValue(compiled, rawPath);
  const tailName = compiled.names.get('*');
  if (tail && !tail.ok) issues.push({ name: tailName!, message: tail.message });
  else if (tail?.ok && tailName && values[tailName] !== undefined) values[tailName] = tail.value;
  return issues.length ? { ok: false, issues } : { ok: true, values };
}
