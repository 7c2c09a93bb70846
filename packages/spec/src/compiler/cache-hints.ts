/**
 * MCP caching hints (`ttlMs`, `cacheScope` on an MCP adapter, since Ikanos 1.0.0-beta4). The
 * reference engine adds them to list and read results; defaults `ttlMs: 0`, `cacheScope: private`.
 */
import type { McpCacheHints } from '../graph.js';

/** `{ cacheHints }` when the adapter declares either key, else nothing. */
export function cacheHints(adapter: object): { cacheHints?: McpCacheHints } {
  const { ttlMs, cacheScope } = adapter as { ttlMs?: unknown; cacheScope?: unknown };
  if (ttlMs === undefined && cacheScope === undefined) return {};
  return { cacheHints: { ttlMs: typeof ttlMs === 'number' ? ttlMs : 0, cacheScope: cacheScope === 'public' ? 'public' : 'private' } };
}
