/** The Streamable HTTP transport's DNS-rebinding guards: `Host` and `Origin` checks, and CORS headers. */
import type { McpAdapterOptions } from './types.js';

function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name part of a `Host` header (`name`, `name:port`, `[v6]:port`). */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon > 0 ? host.slice(0, colon) : host;
}

/** Requests without `Origin` pass; otherwise the configured origins, or loopback origins by default. */
export function originAllowed(origin: string | undefined, options: McpAdapterOptions): boolean {
  if (origin === undefined) return true;
  const allowed = options.allowedOrigins;
  if (allowed?.includes('*')) return true;
  const normalized = origin.replace(/\/+$/, '').toLowerCase();
  if (allowed) return allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === normalized);
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname);
  } catch {
    return false;
  }
}

/** The configured hosts; by default, loopback names when bound to a loopback address, anything otherwise. */
export function hostAllowed(host: string | undefined, bindAddress: string, options: McpAdapterOptions): boolean {
  const allowed = options.allowedHosts;
  if (allowed) {
    if (allowed.includes('*')) return true;
    if (!host) return false;
    const h = host.toLowerCase();
    return allowed.some((a) => a.toLowerCase() === h || a.toLowerCase() === hostnameOf(h));
  }
  if (!isLoopbackName(bindAddress)) return true;
  return host !== undefined && isLoopbackName(hostnameOf(host));
}

export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'Mcp-Session-Id, Mcp-Protocol-Version, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After' };
}

/** The CORS headers for a request's `Origin` (none for an origin the adapter refuses). */
export function corsFor(origin: string | undefined, options: McpAdapterOptions): Record<string, string> {
  return originAllowed(origin, options) ? corsHeaders(origin) : {};
}
