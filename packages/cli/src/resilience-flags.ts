/**
 * Gateway-wide resilience flags of `capstan run`: defaults below every `resiliency` block the
 * capabilities declare (retries, circuit breakers, GET cache) and the per-client inbound rate
 * limit of REST and MCP adapters that declare none (`x-capstan-rateLimit` wins), and Redis for
 * rate limits shared by replicas (inbound counters and outbound `rateLimiter` schedules).
 */
import type { AdapterNode, McpAdapterNode, ResiliencePolicy, RestAdapterNode } from '@capstan/spec';
import type { InboundRateLimit } from '@capstan/http';
import { UsageError } from './io.js';

/** Help lines for the flags. */
export const RESILIENCE_HELP = `  --retries N                 retries of idempotent upstream calls (default 2; 0 turns them off)
  --circuit-breaker           a circuit breaker per upstream origin (default off)
  --cache-ttl S               cache GET answers for S seconds, per credential (default off)
  --rate-limit N/WINDOW       per-client limit on REST and MCP adapters, e.g. 100/60s (default none)
  --rate-limit-redis URL      keep inbound counters and outbound rate limits in Redis (redis://…), shared by
                              replicas (default: the --redis URL when given; else in process)
`;

/** parseArgs option declarations. */
export const RESILIENCE_OPTIONS = {
  retries: { type: 'string' },
  'circuit-breaker': { type: 'boolean', default: false },
  'cache-ttl': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-limit-redis': { type: 'string' },
} as const;

/** What the flags set. */
export interface ResilienceFlags {
  resilience?: ResiliencePolicy;
  rateLimit?: { max: number; timeWindowMs: number };
  rateLimitRedis?: string;
}

const wholeNumber = (flag: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} takes a whole number of at least ${min}, not \`${text}\``);
  return n;
};

/** Reads the flags' values; throws UsageError for a malformed one. */
export function resilienceFlags(values: { retries?: string; 'circuit-breaker'?: boolean; 'cache-ttl'?: string; 'rate-limit'?: string; 'rate-limit-redis'?: string; redis?: string }): ResilienceFlags {
  const policy: ResiliencePolicy = {
    ...(values.retries !== undefined ? { retry: { attempts: wholeNumber('--retries', values.retries, 0) } } : {}),
    ...(values['circuit-breaker'] ? { circuitBreaker: {} } : {}),
    ...(values['cache-ttl'] !== undefined ? { cache: { ttl: wholeNumber('--cache-ttl', values['cache-ttl'], 0) } } : {}),
  };
  let rateLimit: ResilienceFlags['rateLimit'];
  if (values['rate-limit'] !== undefined) {
    const m = /^(\d+)\/(\d+)(ms|s|m)?$/.exec(values['rate-limit']);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--rate-limit takes N/WINDOW such as 100/60s, not \`${values['rate-limit']}\``);
    rateLimit = { max: Number(m[1]), timeWindowMs: Number(m[2]) * (m[3] === 'm' ? 60_000 : m[3] === 'ms' ? 1 : 1_000) };
  }
  if (values['rate-limit-redis'] !== undefined && !/^rediss?:\/\//.test(values['rate-limit-redis'])) throw new UsageError(`--rate-limit-redis takes a redis:// or rediss:// URL`);
  // Replicas that share MCP sessions (`--redis`) share their rate limits there too, unless told otherwise.
  const redis = values['rate-limit-redis'] ?? values.redis;
  return {
    ...(Object.keys(policy).length ? { resilience: policy } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(redis ? { rateLimitRedis: redis } : {}),
  };
}

/** The inbound limit of a REST or MCP port: the strictest `x-capstan-rateLimit` of its adapters, else the flag's (none on other ports). */
export function serverRateLimit(all: readonly AdapterNode[], flags: ResilienceFlags): InboundRateLimit | undefined {
  const adapters = all.filter((a): a is RestAdapterNode | McpAdapterNode => a.type === 'rest' || (a.type === 'mcp' && a.transport === 'http'));
  if (!adapters.length) return undefined;
  const declared = adapters.flatMap((a) => (a.rateLimit ? [a.rateLimit] : []));
  const chosen = declared.length ? declared.reduce((a, b) => (a.max / a.timeWindowMs <= b.max / b.timeWindowMs ? a : b)) : flags.rateLimit;
  if (!chosen) return undefined;
  const apiKeyHeaders = adapters.flatMap((a) => (a.auth?.type === 'apikey' && a.auth.placement !== 'query' && a.auth.key && !a.auth.key.includes('{{') ? [a.auth.key.toLowerCase()] : []));
  return { ...chosen, ...(flags.rateLimitRedis ? { redisUrl: flags.rateLimitRedis } : {}), apiKeyHeaders };
}
