/**
 * Templated base URIs: `baseUri` may hold `{{VAR}}` placeholders filled from binds and `{x}` /
 * `{{x}}` placeholders filled from request parameters (per-tenant hosts, regions, versions).
 * Bind placeholders are rendered once at start-up (the operator's configuration is trusted);
 * when none remain, the base is a plain URL. Parameter placeholders are rendered per request
 * under the same origin guard as paths:
 * - the scheme is never a parameter: it must be literal (or come from a bind);
 * - in the host, a parameter fills (part of) one label: letters, digits and `-` only, so it can
 *   never add `/`, `@`, `?`, `#`, `:`, `.` or percent-escapes to the authority; and the last two
 *   labels of the host must be literal, so no parameter can pick the domain;
 * - a parameter in the port is digits only;
 * - in the path, a parameter is one percent-encoded segment, never a dot segment (url.ts rules);
 * - the result is parsed back and must equal what was built (no URL-parser normalisation).
 */
import type { ConsumedApi } from '@capstan/spec';
import { InputError, UpstreamError } from './errors.js';
import { lookup, toText, type Scope } from './mustache.js';
import { buildTarget } from './url.js';

/** A consumed API's base URL: fixed (with its origin and path read once), or built per request from parameters. */
export type UpstreamBase = ({ kind: 'fixed'; url: URL } & BaseParts) | { kind: 'templated'; scheme: string; host: string; port: string; path: string; namespace: string };

/** What requests read of a base URL: its origin, and its path without trailing slashes. */
export interface BaseParts {
  origin: string;
  path: string;
}

/** The origin and path of a request's base URL: a fixed base's were read once (URL getters build a new string on every read). */
export function baseParts(base: UpstreamBase, url: URL): BaseParts {
  return base.kind === 'fixed' ? base : partsOf(url);
}

function partsOf(url: URL): BaseParts {
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
}

function fixedBase(url: URL): UpstreamBase {
  return { kind: 'fixed', url, ...partsOf(url) };
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+?)\s*\}\}|\{\s*([^{}\s]+?)\s*\}/g;
const LABEL_VALUE = /^[A-Za-z0-9-]{1,63}$/;

/** A checked `http(s)` URL without query or fragment; throws naming the namespace. */
function fixedUrl(namespace: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`upstream base URI for \`${namespace}\` is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`upstream base URI for \`${namespace}\` must be http or https`);
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * Prepares a consumed API's base at start-up: an override (`--upstream`) or the `baseUri` with
 * its bind placeholders rendered. Throws when the template can never give a safe URL.
 */
export function prepareBase(api: ConsumedApi, override: string | undefined, binds: Record<string, unknown>): UpstreamBase {
  if (override !== undefined) return fixedBase(fixedUrl(api.namespace, override));
  const ns = api.namespace;
  // A bind in the host (`https://{{ACCOUNT_HOST}}`) holding a URL would make `https` the host.
  for (const m of (/^https?:\/\/([^/?#]*)/i.exec(api.baseUri)?.[1] ?? '').matchAll(PLACEHOLDER)) {
    const name = (m[1] ?? m[2])!;
    const value = lookup([binds], name);
    if (value !== undefined && /[/?#@]/.test(toText(value))) {
      throw new Error(`upstream base URI for \`${ns}\`: the bind \`${name}\` fills its host and holds a URL or a path; give the host only, or the whole URL with \`--upstream ${ns}=URL\``);
    }
  }
  // Bind placeholders now; parameter placeholders stay, normalised to `{x}`.
  const text = api.baseUri.replace(PLACEHOLDER, (_whole, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const value = lookup([binds], name);
    return value === undefined ? `{${name}}` : toText(value);
  });
  if (!text.includes('{')) return fixedBase(fixedUrl(ns, text));
  const m = /^(https?):\/\/([^/?#]*)([^?#]*)/i.exec(text);
  if (!m) throw new Error(`upstream base URI for \`${ns}\`: the scheme must be literal http or https (a parameter cannot choose it)`);
  const [, scheme, authority, path] = m as unknown as [string, string, string, string];
  if (authority.includes('@')) throw new Error(`upstream base URI for \`${ns}\`: credentials in the authority are not supported`);
  const [, host = '', port = ''] = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority) ?? [];
  if (port && !/^(\d+|\{[^{}]+\})$/.test(port)) throw new Error(`upstream base URI for \`${ns}\`: a port is digits or one placeholder`);
  const labels = host.split('.');
  if (host.includes('{') && (labels.length < 3 || labels.slice(-2).some((l) => l.includes('{')))) {
    throw new Error(`upstream base URI for \`${ns}\`: a parameter may fill host labels only left of a literal domain (\`{tenant}.example.com\`), never the domain itself`);
  }
  return { kind: 'templated', scheme: scheme.toLowerCase(), host, port, path: path.replace(/\/+$/, ''), namespace: ns };
}

/** Fills one host, port or path template; every value must be non-empty and match `allowed`. */
function fill(template: string, scope: Scope, allowed: RegExp | undefined, what: 'host' | 'port' | 'path'): string {
  const problems: Array<{ name: string; message: string }> = [];
  const out = template.replace(PLACEHOLDER, (_whole, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const value = toText(lookup(scope, name));
    if (value === '') problems.push({ name, message: `has no value (it fills the ${what} of the upstream base URI)` });
    else if (allowed && !allowed.test(value)) problems.push({ name, message: what === 'host' ? 'a host label takes only letters, digits and `-` (no `.`, `/`, `@`, `:`, `?`, `#` or `%`)' : 'a port takes digits only' });
    return value;
  });
  if (problems.length) throw new InputError(problems);
  return out;
}

/** The base URL for one request (parameters, then step outputs, then binds, in `scope`). */
export function resolveBase(base: UpstreamBase, scope: Scope, operation: string): URL {
  if (base.kind === 'fixed') return base.url;
  const host = fill(base.host, scope, LABEL_VALUE, 'host');
  const port = base.port ? fill(base.port, scope, /^\d{1,5}$/, 'port') : '';
  // An empty path value would leave an empty segment: refused like an empty host label.
  fill(base.path, scope, undefined, 'path');
  const path = buildTarget('', base.path, (name) => lookup(scope, name), { proxyTail: false }).path;
  const authority = `${host}${port ? `:${port}` : ''}`.toLowerCase();
  const text = `${base.scheme}://${authority}${path}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // Parsed back unchanged: nothing was normalised (default ports aside, which URL drops).
  const expectedHost = url && url.port === '' && port !== '' ? host.toLowerCase() : authority;
  if (!url || url.protocol !== `${base.scheme}:` || url.host !== expectedHost || url.pathname !== (path || '/')) {
    throw new UpstreamError('bad-request-target', base.namespace, operation, `the base URI of ${base.namespace} rendered from parameters is not a safe URL`);
  }
  return url;
}
