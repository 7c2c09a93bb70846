/**
 * Adds an adapter's caching hints (`ttlMs`, `cacheScope`) to the results of list and read
 * requests, as the reference engine does; tool calls and prompt gets carry none.
 */
import type { McpCacheHints } from '@capstan/spec';

/** `handler` with the hints merged into its result (unchanged when there are none). */
export function withCacheHints<A extends unknown[], R extends object>(handler: (...args: A) => Promise<R>, hints: McpCacheHints | undefined): (...args: A) => Promise<R> {
  if (!hints) return handler;
  return async (...args) => ({ ...(await handler(...args)), ttlMs: hints.ttlMs, cacheScope: hints.cacheScope });
}
