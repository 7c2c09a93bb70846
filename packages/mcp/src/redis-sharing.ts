/**
 * Sessions shared through Redis (`ioredis`, the client the REST rate limit uses too): session
 * records with a TTL (`…:s:<id>`), stream events (`redis-events.ts`), legacy SSE ownership
 * (`…:sse:<id>`) and a pub/sub bus per adapter (`…:bus`).
 *
 * Commands fail fast when Redis is down (no offline queue, short timeouts), so a request that
 * needs the store gets a clear 503 instead of hanging; requests that do not (stateless ones, and
 * sessions this replica already holds) go on being served. The client reconnects by itself.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { RedisEventStore } from './redis-events.js';
import { SharingUnavailable, type BusMessage, type SessionEventStore, type SessionRecord, type SessionSharing } from './session-sharing.js';
import type { Logger } from './types.js';

/** Options of `connectRedisSharing`. */
export interface RedisSharingOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** The adapter's namespace: keys and the bus channel are per adapter. */
  namespace: string;
  /** Lifetime of an idle session (record and events). */
  ttlMs: number;
  logger: Logger;
}

/** How long a command waits for a (re)connection before failing. */
const READY_WAIT_MS = 1_000;

/** The URL without credentials, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the configured Redis URL';
  }
}

class RedisSharing implements SessionSharing {
  readonly replica = randomUUID();
  readonly where: string;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly handlers: Array<(m: BusMessage) => void> = [];

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisSharingOptions,
  ) {
    this.where = storeName(options.url);
    this.prefix = `capstan:mcp:${options.namespace}:`;
    this.channel = `${this.prefix}bus`;
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let message: BusMessage;
      try {
        message = JSON.parse(text) as BusMessage;
      } catch {
        return;
      }
      if (message.origin === this.replica) return;
      for (const handler of this.handlers) handler(message);
    });
  }

  /** The error a request gets when Redis cannot be reached. */
  readonly unavailable = (err: unknown): Error =>
    err instanceof SharingUnavailable ? err : new SharingUnavailable(`the MCP session store (${this.where}) is unreachable: ${(err as Error)?.message ?? String(err)}`);

  /** Waits a moment for a connection in progress (at start-up, after a blip), then fails fast. */
  private ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, READY_WAIT_MS);
      this.redis.once('ready', done);
    });
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      await this.ready();
      return await command();
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  async save(id: string, record: SessionRecord): Promise<void> {
    await this.run(() => this.redis.set(`${this.prefix}s:${id}`, JSON.stringify(record), 'PX', this.options.ttlMs));
  }

  async load(id: string): Promise<SessionRecord | undefined> {
    const text = await this.run(() => this.redis.get(`${this.prefix}s:${id}`));
    return text ? (JSON.parse(text) as SessionRecord) : undefined;
  }

  touch(id: string): void {
    this.redis.pexpire(`${this.prefix}s:${id}`, this.options.ttlMs).catch(() => undefined);
  }

  async remove(id: string): Promise<void> {
    await this.run(() => this.redis.del(`${this.prefix}s:${id}`));
  }

  events(sessionId: string): SessionEventStore {
    return new RedisEventStore(this.redis, `${this.prefix}e:${sessionId}:`, this.options.ttlMs, this.unavailable);
  }

  async saveSse(id: string): Promise<void> {
    await this.run(() => this.redis.set(`${this.prefix}sse:${id}`, this.replica, 'PX', this.options.ttlMs));
  }

  async hasSse(id: string): Promise<boolean> {
    return (await this.run(() => this.redis.exists(`${this.prefix}sse:${id}`))) === 1;
  }

  async removeSse(id: string): Promise<void> {
    await this.run(() => this.redis.del(`${this.prefix}sse:${id}`));
  }

  async publish(message: BusMessage): Promise<void> {
    await this.run(() => this.redis.publish(this.channel, JSON.stringify(message)));
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), this.subscriber.quit()]);
    this.redis.disconnect();
    this.subscriber.disconnect();
  }
}

/**
 * Shares one adapter's sessions through Redis. Connects in the background and keeps
 * reconnecting; while Redis is away, requests that need it get 503 (a warning is logged once).
 */
export function createRedisSharing(options: RedisSharingOptions): SessionSharing {
  // Required here, not imported with the module: only gateways run with --redis load ioredis.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const common = { connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
  const redis = new Redis(options.url, { ...common, enableOfflineQueue: false, commandTimeout: 2_000 });
  // The subscriber queues its SUBSCRIBE until connected and subscribes again after a reconnect.
  const subscriber = new Redis(options.url, common);
  const store = `the MCP session store (${storeName(options.url)})`;
  let warned = false;
  redis.on('error', (err: Error) => {
    if (warned) return;
    warned = true;
    options.logger('warn', `mcp ${options.namespace}: ${store} is unreachable (${err.message}); session requests get 503 until it is back`);
  });
  subscriber.on('error', () => undefined);
  redis.on('ready', () => {
    if (warned) options.logger('info', `mcp ${options.namespace}: ${store} is reachable again`);
    warned = false;
  });
  void subscriber.subscribe(`capstan:mcp:${options.namespace}:bus`).catch(() => undefined);
  return new RedisSharing(redis, subscriber, options);
}

function storeName(url: string): string {
  return `Redis at ${redactRedisUrl(url)}`;
}
