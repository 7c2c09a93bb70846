/**
 * What answers an HTTP MCP adapter's requests: the Streamable HTTP front, the legacy HTTP+SSE
 * transport, shared sessions (Redis) and the SDK servers they use. `createMcpAdapter` loads this
 * module on the adapter's first request, so a gateway starts (and idles) without the SDK and zod.
 */
import { HttpFront, type HttpCounters } from './http.js';
import { LegacySse } from './legacy-sse.js';
import { createRedisSharing } from './redis-sharing.js';
import type { McpRegistry } from './registry.js';
import { createSdkServer } from './sdk-server.js';
import type { SessionSharing } from './session-sharing.js';
import type { Logger, McpAdapterOptions } from './types.js';

/** The started transports of one adapter. */
export interface Serving {
  front: HttpFront;
  legacy: LegacySse;
  sharing?: SessionSharing;
}

/** Starts the transports of an adapter whose current version `current()` returns. */
export function startServing(current: () => McpRegistry, namespace: string, options: McpAdapterOptions, counters: HttpCounters, log: Logger, bindAddress: string | undefined): Serving {
  const sharing = options.redisUrl && !options.stateless ? createRedisSharing({ url: options.redisUrl, namespace, ttlMs: options.sessionIdleMs ?? 30 * 60_000, logger: log }) : undefined;
  const front = new HttpFront(() => createSdkServer(current(), current), (request, extra) => current().callTool(request, extra), namespace, options, counters, log, bindAddress, sharing);
  const legacy = new LegacySse(front, sharing, log, namespace, { maxSessions: options.maxSessions ?? 10_000, ttlMs: options.sessionIdleMs ?? 30 * 60_000 });
  return { front, legacy, ...(sharing ? { sharing } : {}) };
}
