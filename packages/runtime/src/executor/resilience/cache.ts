/**
 * An in-process cache of successful GET answers (lru-cache, bounded by total bytes). The key is
 * a digest of the whole upstream request: method, URL and every header (credentials included)
 * plus the identity of any token provider, so an answer fetched with one credential is never
 * served to a caller with another. The upstream's own `Cache-Control` is obeyed: `no-store`,
 * `no-cache` and `private` answers are not kept, and `max-age` shortens the configured TTL.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { InboundResponse, OutboundRequest } from '../http.js';

/** Request headers that vary per call without changing the answer. */
const IGNORED_HEADERS = new Set(['x-request-id', 'traceparent', 'tracestate']);

/** Bytes of answers kept at most (answers over a tenth of it are not cached). */
const MAX_BYTES = 64 * 1024 * 1024;

/** The digest keying one request; `identity` names a credential not in the headers (e.g. an OAuth2 client). */
export function cacheKey(req: OutboundRequest, identity = ''): string {
  const hash = createHash('sha256').update(req.method).update('\0').update(req.url.href).update('\0').update(identity);
  for (const name of Object.keys(req.headers).sort()) {
    if (IGNORED_HEADERS.has(name)) continue;
    hash.update('\0').update(name).update('\0').update(req.headers[name]!);
  }
  return hash.digest('base64url');
}

/** Seconds an answer may be kept given the configured TTL, or 0 when it must not be. */
export function storableSeconds(res: InboundResponse, ttl: number): number {
  if (res.status < 200 || res.status >= 300 || res.headers['set-cookie'] !== undefined) return 0;
  const control = String(res.headers['cache-control'] ?? '').toLowerCase();
  if (/(^|[\s,])(no-store|no-cache|private)\b/.test(control)) return 0;
  const maxAge = /(^|[\s,])max-age\s*=\s*"?(\d+)/.exec(control);
  return maxAge ? Math.min(ttl, Number(maxAge[2])) : ttl;
}

/** The answers of one executor. */
export class ResponseCache {
  private readonly entries = new LRUCache<string, InboundResponse>({
    maxSize: MAX_BYTES,
    maxEntrySize: Math.floor(MAX_BYTES / 10),
    sizeCalculation: (r) => Math.max(1, r.body.length),
  });

  /** A kept answer (a copy the caller may not change), or undefined. */
  get(key: string): InboundResponse | undefined {
    const hit = this.entries.get(key);
    return hit ? { status: hit.status, headers: { ...hit.headers }, body: hit.body } : undefined;
  }

  /** Keeps an answer for `seconds` when its own headers allow it. */
  set(key: string, res: InboundResponse, ttl: number): void {
    const seconds = storableSeconds(res, ttl);
    if (seconds > 0) this.entries.set(key, { status: res.status, headers: { ...res.headers }, body: res.body }, { ttl: seconds * 1000 });
  }
}
