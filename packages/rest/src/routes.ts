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
  return { route: route + tail, names, shape: shape + tail };
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
  if (!compiled.names.has('*')) return '';
  const before = compiled.route.slice(0, compiled.route.indexOf('*')).split('/').length - 1;
  return rawPath.split('/').slice(before).join('/');
}
