/**
 * Per-client inbound rate limits on an app of the shared HTTP layer (REST and MCP alike), on
 * @fastify/rate-limit: a fixed window per client, `RateLimit-Limit`/`-Remaining`/`-Reset` on
 * every answer (IETF draft headers) and a 429 with `Retry-After` beyond the limit, in the route's
 * error style (problem+json, or a JSON-RPC error on MCP routes). Every HTTP request counts. The
 * client is the credential it presents (an API key header, or the bearer token, counted by its
 * JWT `iss`+`sub` when it is a JWT), else its IP address. Counters live in the process, or in
 * Redis so that replicas share them.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { format as formatDuration } from '@lukeed/ms';

/** One app's inbound limit. */
export interface InboundRateLimit {
  /** Requests allowed per client per window. */
  max: number;
  /** Window length in ms. */
  timeWindowMs: number;
  /** `redis://…` for a store shared by replicas (default: in-process). */
  redisUrl?: string;
  /** Header names carrying API keys on this server's adapters (lower case). */
  apiKeyHeaders?: readonly string[];
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** The JWT `iss` and `sub` of a bearer token, when it is a JWT that has a subject. */
function jwtSubject(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown; sub?: unknown };
    return typeof claims.sub === 'string' && claims.sub ? `${typeof claims.iss === 'string' ? claims.iss : ''}\0${claims.sub}` : undefined;
  } catch {
    return undefined;
  }
}

/** The bucket a request counts against; credentials are only ever kept as digests. */
export function clientKey(req: FastifyRequest, apiKeyHeaders: readonly string[] = []): string {
  for (const name of apiKeyHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string' && value) return `key:${digest(value)}`;
  }
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    const subject = bearer ? jwtSubject(bearer) : undefined;
    return subject ? `sub:${digest(subject)}` : `cred:${digest(authorization)}`;
  }
  return `ip:${req.ip}`;
}

/** Puts the limit in front of every route of `app` (call before the routes are registered). */
export async function useInboundRateLimit(app: FastifyInstance, limit: InboundRateLimit): Promise<void> {
  // Loaded here, not with the module: only apps with a limit need them (and Redis only for a shared store).
  const [{ default: rateLimit }, ioredis] = await Promise.all([import('@fastify/rate-limit'), limit.redisUrl ? import('ioredis') : undefined]);
  const redis = limit.redisUrl && ioredis ? new ioredis.Redis(limit.redisUrl, { connectTimeout: 2_000, maxRetriesPerRequest: 1, lazyConnect: false }) : undefined;
  if (redis) {
    // Errors are reported per request by the plugin; the client's own event would be unhandled.
    redis.on('error', () => {});
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  // The plugin's `context.after` is the time left until the window resets, not the window.
  const windowText = formatDuration(limit.timeWindowMs, true);
  await app.register(rateLimit, {
    global: true,
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    enableDraftSpec: true,
    ...(redis ? { redis, nameSpace: 'capstan-rl:' } : {}),
    keyGenerator: (req) => clientKey(req, limit.apiKeyHeaders),
    // The wait is in the message too: an MCP client sees the body, not the headers.
    errorResponseBuilder: (_req, context) =>
      Object.assign(new Error(`more than ${context.max} requests in ${windowText}; retry in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`), { statusCode: 429, code: 'CAPSTAN_RATE_LIMITED' }),
  });
}
