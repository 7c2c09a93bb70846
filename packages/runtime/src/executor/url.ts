/**
 * Upstream URL building. A request can never leave the declared upstream origin and base path,
 * whatever a parameter holds:
 * - `{name}` and `{{name}}` placeholders are substituted with percent-encoded values
 *   (encodeURIComponent per segment);
 * - a placeholder is one segment: a value containing `/` is rejected (rejecting is safer than
 *   encoding it as %2F, which some servers and proxies decode), and `?` is encoded;
 * - except a proxy-style placeholder, whose name ends in `path` (`{path}`, `{apiPath}`) and which
 *   is the whole last segment: it may carry several segments, each encoded with `/` kept, and a
 *   query after `?` that is merged into the query;
 * - dot segments (`.`, `..`, also percent-encoded as `%2e%2e`, at any decoding depth), encoded
 *   slashes and backslashes, absolute URLs (`http://x`, `//x`), empty inner segments and control
 *   characters (CR, LF, NUL...) are rejected with an InputError;
 * - the final URL is checked: same origin as the upstream, path under its base path, and no
 *   normalisation by the URL parser.
 */
import { InputError, UpstreamError, type InputProblem } from './errors.js';
import { toText } from './mustache.js';

/** Where a request goes, before query parameters are added. */
export interface Target {
  /** Encoded path from the origin, base path included. */
  path: string;
  /** Literal query text written in the resource path, if any (spec-controlled). */
  literalQuery?: string;
  /** Query pairs carried by a trailing placeholder (`a/b?x=1`). */
  query: Array<[string, string]>;
}

type Token = { kind: 'text'; text: string } | { kind: 'param'; name: string };

const PLACEHOLDER = /\{\{\s*([^{}\s]+?)\s*\}\}|\{\s*([^{}\s]+?)\s*\}/g;

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) tokens.push({ kind: 'text', text: template.slice(last, m.index) });
    tokens.push({ kind: 'param', name: (m[1] ?? m[2])! });
    last = m.index + m[0].length;
  }
  if (last < template.length) tokens.push({ kind: 'text', text: template.slice(last) });
  return tokens;
}

/** A resource path template split once: its path tokens and the literal query written after `?`. */
interface ParsedTemplate {
  tokens: Token[];
  literalQuery?: string;
}

/** Templates come from capability files (one per operation); the bound only guards against misuse. */
const MAX_PARSED = 10_000;
const parsedTemplates = new Map<string, ParsedTemplate>();

/** The template's tokens, parsed on first use (the values are checked per request, in buildTarget). */
function parsedTemplate(template: string): ParsedTemplate {
  let parsed = parsedTemplates.get(template);
  if (!parsed) {
    const qIndex = template.indexOf('?');
    const pathTemplate = qIndex >= 0 ? template.slice(0, qIndex) : template;
    parsed = { tokens: tokenize(pathTemplate && !pathTemplate.startsWith('/') ? `/${pathTemplate}` : pathTemplate), ...(qIndex >= 0 ? { literalQuery: template.slice(qIndex + 1) } : {}) };
    if (parsedTemplates.size >= MAX_PARSED) parsedTemplates.clear();
    parsedTemplates.set(template, parsed);
  }
  return parsed;
}

/** Successive percent-decodings of a text (up to 3 levels), to catch `%2e%2e` and `%252e%252e`. */
function decodings(text: string): string[] {
  const out = [text];
  let current = text;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      out.push(next);
      current = next;
    } catch {
      break;
    }
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/|^\/\//;

/** Problems of one path segment value (no `/` in it at this point). */
function segmentProblem(segment: string): string | undefined {
  for (const form of decodings(segment)) {
    if (form === '.' || form === '..') return 'dot segments (`.` or `..`) are not allowed';
    if (form !== segment && (form.includes('/') || form.includes('\\'))) return 'encoded slashes are not allowed';
    if (form !== segment && CONTROL.test(form)) return 'encoded control characters are not allowed';
  }
  return undefined;
}

/** Problems shared by every value placed in a path. */
/** Longest placeholder value, in characters: REST callers cannot send a longer URL either. */
const MAX_PLACEHOLDER_LENGTH = 8192;

function valueProblem(value: string): string | undefined {
  if (value.length > MAX_PLACEHOLDER_LENGTH) return `is ${value.length} characters long; the limit is ${MAX_PLACEHOLDER_LENGTH}`;
  if (CONTROL.test(value)) return 'control characters (CR, LF, NUL...) are not allowed';
  if (value.includes('\\')) return 'backslashes are not allowed';
  if (ABSOLUTE.test(value)) return 'absolute URLs are not allowed';
  return undefined;
}

/**
 * Builds the encoded path (and trailing-placeholder query) for a resource path template.
 * `valueOf` gives a placeholder's value (undefined renders "", as the engine does).
 * `proxyTail: false` makes every placeholder one segment (base URI paths).
 */
export function buildTarget(basePath: string, template: string, valueOf: (name: string) => unknown, options: { proxyTail?: boolean } = {}): Target {
  const problems: InputProblem[] = [];
  const { tokens, literalQuery } = parsedTemplate(template);
  const query: Array<[string, string]> = [];
  let path = '';
  tokens.forEach((token, i) => {
    if (token.kind === 'text') {
      path += token.text;
      return;
    }
    const value = toText(valueOf(token.name));
    const before = path;
    // Only a proxy-style name (`path`, `apiPath`…) spans segments, as on the REST side: a trailing `{{id}}` must not reach `/items/1/admin`.
    const trailing = options.proxyTail !== false && i === tokens.length - 1 && before.endsWith('/') && /path$/i.test(token.name);
    const common = valueProblem(value);
    if (common) {
      problems.push({ name: token.name, message: common });
      return;
    }
    if (!trailing) {
      if (value.includes('/')) {
        problems.push({ name: token.name, message: '`/` is not allowed here (this placeholder is one path segment)' });
        return;
      }
      const next = tokens[i + 1];
      // An empty segment between two others (`/projects//sdk`) would reach another resource.
      const emptyInner = value === '' && before.endsWith('/') && next?.kind === 'text' && next.text.startsWith('/');
      const bad = emptyInner ? 'must not be empty (it is a path segment)' : (segmentProblem(value) ?? (LONE_SURROGATE.test(value) ? 'unpaired surrogate characters are not allowed' : undefined));
      if (bad) problems.push({ name: token.name, message: bad });
      else path += encodeURIComponent(value);
      return;
    }
    // Trailing placeholder: several segments, and an optional query.
    const q = value.indexOf('?');
    let sub = q >= 0 ? value.slice(0, q) : value;
    if (q >= 0) for (const pair of new URLSearchParams(value.slice(q + 1))) query.push(pair);
    if (sub.startsWith('/')) sub = sub.slice(1);
    const segments = sub.split('/');
    const encoded: string[] = [];
    for (let s = 0; s < segments.length; s++) {
      const segment = segments[s]!;
      if (segment === '' && s < segments.length - 1) {
        problems.push({ name: token.name, message: 'empty path segments (`//`) are not allowed' });
        return;
      }
      const bad = segmentProblem(segment) ?? (LONE_SURROGATE.test(segment) ? 'unpaired surrogate characters are not allowed' : undefined);
      if (bad) {
        problems.push({ name: token.name, message: bad });
        return;
      }
      encoded.push(encodeURIComponent(segment));
    }
    path += encoded.join('/');
  });
  if (problems.length) throw new InputError(problems);
  return { path: basePath + path, ...(literalQuery ? { literalQuery } : {}), query };
}

/**
 * The last URL an operation's requests went to, checked: the next request to the same text gets
 * the same URL object without parsing and checking it again. Nothing changes a request's URL in
 * place, except a signer (request.ts gives a signed API's requests a URL of their own).
 */
export interface UrlMemo {
  text?: string;
  basePath?: string;
  url?: URL;
}

/**
 * Turns a target and query pairs into the final URL, and verifies that it is still on the
 * upstream: same origin, path under the base path, nothing normalised away.
 */
export function finalUrl(origin: string, basePath: string, target: Target, pairs: Array<[string, string]>, ids: { namespace: string; operation: string }, memo?: UrlMemo): URL {
  const query = pairs.length ? new URLSearchParams(pairs).toString() : '';
  const search = target.literalQuery ? (query ? `${target.literalQuery}&${query}` : target.literalQuery) : query;
  const text = search ? `${origin}${target.path}?${search}` : `${origin}${target.path}`;
  if (memo && memo.text === text && memo.basePath === basePath) return memo.url!;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UpstreamError('bad-request-target', ids.namespace, ids.operation, `the request target for ${ids.namespace}.${ids.operation} is not a valid URL`);
  }
  const pathname = url.pathname;
  const pathOk = basePath === '' ? pathname.startsWith('/') : pathname === basePath || pathname.startsWith(`${basePath}/`);
  if (url.origin !== origin || !pathOk || pathname !== (target.path || '/')) {
    throw new UpstreamError('bad-request-target', ids.namespace, ids.operation, `the request target for ${ids.namespace}.${ids.operation} would leave the upstream's origin or base path`);
  }
  if (memo) {
    memo.text = text;
    memo.basePath = basePath;
    memo.url = url;
  }
  return url;
}

/** A UTF-16 surrogate without its pair: not text, and encodeURIComponent throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks a raw (already percent-encoded) forwarded sub-path and re-encodes it segment by segment. */
export function forwardPath(basePath: string, raw: string): string {
  const problems: InputProblem[] = [];
  const common = valueProblem(raw);
  if (common) throw new InputError([{ name: 'path', message: common }]);
  let sub = raw.startsWith('/') ? raw.slice(1) : raw;
  if (sub.startsWith('/')) throw new InputError([{ name: 'path', message: 'absolute URLs are not allowed' }]);
  const segments = sub === '' ? [] : sub.split('/');
  const out: string[] = [];
  segments.forEach((segment, s) => {
    if (segment === '' && s < segments.length - 1) problems.push({ name: 'path', message: 'empty path segments (`//`) are not allowed' });
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      problems.push({ name: 'path', message: 'malformed percent-encoding' });
      return;
    }
    const bad = segmentProblem(segment) ?? (decoded.includes('/') || decoded.includes('\\') ? 'encoded slashes are not allowed' : undefined) ?? (LONE_SURROGATE.test(decoded) ? 'unpaired surrogate characters are not allowed' : undefined);
    if (bad) problems.push({ name: 'path', message: bad });
    else out.push(encodeURIComponent(decoded));
  });
  if (problems.length) throw new InputError([problems[0]!]);
  sub = out.join('/');
  return sub ? `${basePath}/${sub}` : basePath;
}

/** Checks a raw forwarded query string: no control characters, no fragment. */
export function forwardQuery(raw: string): string {
  const q = raw.startsWith('?') ? raw.slice(1) : raw;
  if (CONTROL.test(q) || q.includes('#')) throw new InputError([{ name: 'query', message: 'control characters and `#` are not allowed in the query string' }]);
  if (LONE_SURROGATE.test(q)) throw new InputError([{ name: 'query', message: 'unpaired surrogate characters are not allowed in the query string' }]);
  // Re-encode characters the URL parser would otherwise pass as is (spaces, quotes...), whole code points at a time.
  return q.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (c) => encodeURIComponent(c));
}
