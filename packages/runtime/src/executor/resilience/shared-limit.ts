/**
 * Outbound rate limits shared by every replica through Redis, with the in-process limiter's
 * rule: call number i is sent no earlier than one period after call number i - limit, so no
 * window of one period holds more than `limitForPeriod` calls of all replicas together.
 *
 * Each call reserves its send time in one atomic step (a short Lua script on a sorted set of send
 * times per consumed API, Redis's own clock), sleeps until then and confirms it at the time it
 * actually goes; a reservation further away than `timeoutDuration` is refused (429), as in
 * process. This is a sliding log, not
 * the fixed windows of the common Redis rate limiter libraries (rate-limiter-flexible among them),
 * which let up to twice the limit through across a window edge: the rule an upstream's "N per
 * second" states. When Redis cannot be reached, each replica falls back to its own in-process
 * limiter (the upstream's rate then holds per replica, not across them).
 */
import { randomUUID } from 'node:crypto';
import type { CommandParser, createClient as CreateClient } from 'redis';
import type { CapabilityGraph, RateLimiterPolicy, ResiliencePolicy } from '@capstan/spec';
import { UpstreamError } from '../errors.js';
import type { AbortLike } from '../call-abort.js';
import type { CallIds } from '../http.js';
import { OutboundLimiter } from './outbound-limit.js';

/** Redis's clock in ms: every replica reads the same one. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, period = tonumber(ARGV[1]), tonumber(ARGV[2])
`;

/**
 * Takes a place in the queue. KEYS[1]: send times (ms) of one API, reserved or made. ARGV:
 * limit, period ms, longest wait ms, member. The new time is one period after the call `limit`
 * places back. Returns {wait ms, 1} when reserved, {wait ms, 0} when the wait would be too long.
 */
const RESERVE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local n = redis.call('ZCARD', KEYS[1])
local at = now
if n >= limit then
  local nth = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  at = math.max(now, tonumber(nth[2]) + period)
end
if at - now > tonumber(ARGV[3]) then return {at - now, 0} end
redis.call('ZADD', KEYS[1], at, ARGV[4])
if redis.call('PTTL', KEYS[1]) < at - now + period then redis.call('PEXPIRE', KEYS[1], at - now + period) end
return {at - now, 1}
`;

/**
 * Confirms a reservation when its time has come, at the time it is actually sent: a replica whose
 * timer fired late moves its call to now, and the window ending now must still have room, so
 * lateness delays the calls behind it instead of bunching them. ARGV: limit, period ms, member.
 * Returns 0 (send now) or the ms to wait before confirming again.
 */
const CONFIRM = `${NOW}
local mine = redis.call('ZSCORE', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[1], ARGV[3])
local since = '(' .. (now - period)
if redis.call('ZCOUNT', KEYS[1], since, now) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  if redis.call('PTTL', KEYS[1]) < period then redis.call('PEXPIRE', KEYS[1], period) end
  return 0
end
local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], since, now, 'WITHSCORES', 'LIMIT', 0, 1)
if mine then redis.call('ZADD', KEYS[1], mine, ARGV[3]) end
return math.max(1, tonumber(oldest[2]) + period - now)
`;

/** Redis key prefix of the reservations. */
const PREFIX = 'capstan-ol:';

async function connect(url: string) {
  const { createClient, defineScript } = await import('redis');
  const script = <Reply>(text: string) =>
    defineScript({
      SCRIPT: text,
      NUMBER_OF_KEYS: 1,
      parseCommand(parser: CommandParser, key: string, args: string[]) {
        parser.pushKey(key);
        parser.push(...args);
      },
      transformReply: undefined as unknown as () => Reply,
    });
  const scripts = { reserve: script<[number, number]>(RESERVE), confirm: script<number>(CONFIRM) };
  // Commands fail at once while disconnected (the caller falls back); the client keeps reconnecting.
  const client = (createClient as typeof CreateClient)({ url, disableOfflineQueue: true, socket: { connectTimeout: 2_000 }, scripts });
  client.on('error', () => {});
  return client;
}

/** Longest wait for the first connection before calls fall back to the process's own limit. */
const FIRST_CONNECT_MS = 2_000;

/** One Redis connection for the limiters of one executor. */
export class SharedLimitStore {
  private readonly client: ReturnType<typeof connect>;
  /** Settles once the first connection is up, failed, or took too long. */
  private readonly first: Promise<unknown>;

  /** Starts connecting to `url` (`redis://…` or `rediss://…`). */
  constructor(readonly url: string) {
    this.client = connect(url);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, FIRST_CONNECT_MS)));
    // Scripts are loaded before the first call: a call whose EVALSHA missed would be re-sent
    // (EVAL) behind later calls and lose its place in the queue.
    const loaded = this.client.then(async (c) => {
      await c.connect();
      await Promise.all([c.scriptLoad(RESERVE), c.scriptLoad(CONFIRM)]);
    });
    this.first = Promise.race([loaded, late])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
  }

  /** Reserves a send time: the wait in ms and whether it was granted; undefined when Redis is not available. */
  async reserve(namespace: string, limit: number, periodMs: number, timeoutMs: number, member: string): Promise<{ waitMs: number; granted: boolean } | undefined> {
    // The first calls wait for the first connection; later ones never wait for Redis to come back.
    await this.first;
    const client = await this.client.catch(() => undefined);
    if (!client?.isReady) return undefined;
    try {
      const [waitMs, granted] = await client.reserve(`${PREFIX}${namespace}`, [String(limit), String(periodMs), String(timeoutMs), member]);
      return { waitMs: Number(waitMs), granted: Number(granted) === 1 };
    } catch {
      return undefined;
    }
  }

  /** 0 when the reserved call may go now, else ms to wait before asking again; undefined when Redis is not available. */
  async confirm(namespace: string, limit: number, periodMs: number, member: string): Promise<number | undefined> {
    const client = await this.client.catch(() => undefined);
    if (!client?.isReady) return undefined;
    return client.confirm(`${PREFIX}${namespace}`, [String(limit), String(periodMs), member]).then(Number, () => undefined);
  }

  /** Gives a reservation back (its caller went away before its turn). */
  async release(namespace: string, member: string): Promise<void> {
    const client = await this.client.catch(() => undefined);
    if (client?.isReady) await client.zRem(`${PREFIX}${namespace}`, member).catch(() => undefined);
  }

  async close(): Promise<void> {
    const client = await this.client.catch(() => undefined);
    if (client?.isOpen) await client.close().catch(() => undefined);
  }
}

/** The store (connecting) for an executor whose graph or gateway defaults declare an outbound rate limit; undefined without a URL or a limit. */
export function sharedLimitStore(url: string | undefined, graph: CapabilityGraph, defaults: ResiliencePolicy | undefined): SharedLimitStore | undefined {
  if (!url) return undefined;
  const limited = defaults?.rateLimiter !== undefined || [...graph.consumes.values()].some((api) => api.resiliency?.rateLimiter || [...api.operations.values()].some((op) => op.resiliency?.rateLimiter));
  return limited ? new SharedLimitStore(url) : undefined;
}

/** The outbound limit of one consumed API, shared through `store`; the in-process limiter stands in when Redis is away. */
export class SharedOutboundLimiter {
  private readonly local: OutboundLimiter;
  private readonly member = `${randomUUID()}:`;
  private count = 0;
  private warnedAt = -Infinity;

  constructor(
    private readonly store: SharedLimitStore,
    policy: RateLimiterPolicy,
    private readonly onFallback: (namespace: string) => void,
  ) {
    this.local = new OutboundLimiter(policy);
  }

  /** Waits for this call's turn across replicas; throws UpstreamError `rate-limited` when the wait would be too long. */
  async acquire(ids: CallIds, signal?: AbortLike): Promise<void> {
    const { limit, periodMs, timeoutMs } = this.local;
    const member = `${this.member}${this.count++}`;
    const slot = await this.store.reserve(ids.namespace, limit, periodMs, timeoutMs, member);
    if (!slot) {
      // Said at most once a minute while Redis stays away.
      if (performance.now() - this.warnedAt > 60_000) {
        this.warnedAt = performance.now();
        this.onFallback(ids.namespace);
      }
      return this.local.acquire(ids, signal);
    }
    if (!slot.granted) {
      throw new UpstreamError('rate-limited', ids.namespace, ids.operation, `the outbound rate limit for ${ids.namespace} (${limit} calls per ${periodMs} ms, shared by every replica) is reached`, undefined, Math.max(1, Math.ceil(slot.waitMs / 1000)));
    }
    // Sleep until the reserved time, then confirm it (again after a short wait when this replica ran late).
    // Redis going away meanwhile lets the call go: its place was already granted.
    for (let wait = slot.waitMs; wait > 0; wait = (await this.store.confirm(ids.namespace, limit, periodMs, member)) ?? 0) {
      await this.sleep(wait, ids.namespace, member, signal);
    }
  }

  private sleep(ms: number, namespace: string, member: string, signal?: AbortLike): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        void this.store.release(namespace, member);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
