/**
 * Per-caller credential stores: a YAML/JSON bind file mapping each caller to an entry, or Redis
 * (for replicas sharing one store). An entry is a map of values (`{connected_account_id: …}`);
 * a plain string entry is `{token: …}`. Lookups are exact: a caller without an entry gets none.
 */
import { readFileSync } from 'node:fs';
import type { createClient } from 'redis';
import { parseYaml } from '@capstan/spec';

/** One caller's credential values. */
export type StoreEntry = Readonly<Record<string, string>>;

/** A source of per-caller entries. */
export interface CredentialStore {
  /** Where entries live, for messages (never a secret: no password of a Redis URL). */
  readonly where: string;
  get(key: string): Promise<StoreEntry | undefined>;
  close(): Promise<void>;
}

function entryOf(raw: unknown): StoreEntry | undefined {
  if (typeof raw === 'string' || typeof raw === 'number') return { token: String(raw) };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}

/** Entries from a YAML or JSON file, read once at start-up. */
export class FileStore implements CredentialStore {
  private readonly entries = new Map<string, StoreEntry>();

  constructor(readonly where: string) {
    let data: unknown;
    try {
      const text = readFileSync(where, 'utf8');
      data = /\.json$/i.test(where) ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      // The parser's message may quote the file, which holds secrets: say only what failed.
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`credential store ${where}: ${code ? `cannot be read (${code})` : 'is not valid YAML or JSON'}`);
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`credential store ${where}: must hold a map from caller to entry`);
    for (const [key, raw] of Object.entries(data)) {
      const entry = entryOf(raw);
      if (!entry) throw new Error(`credential store ${where}: the entry of \`${key}\` must be a string or a map`);
      this.entries.set(key, entry);
    }
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    return this.entries.get(key);
  }

  async close(): Promise<void> {}
}

type RedisClient = ReturnType<typeof createClient>;

/** Entries in Redis: a hash (its fields are the entry) or a string (`{token}`) at `prefix + key`. The client loads on first use. */
export class RedisStore implements CredentialStore {
  readonly where: string;
  private client: Promise<RedisClient> | undefined;

  constructor(private readonly url: string, private readonly prefix: string) {
    const u = new URL(url);
    this.where = `${u.protocol}//${u.host}${u.pathname}`;
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    const client = await this.connect();
    const name = `${this.prefix}${key}`;
    try {
      const type = await client.type(name);
      if (type === 'hash') return entryOf(await client.hGetAll(name));
      if (type === 'string') return entryOf(await client.get(name));
      return undefined;
    } catch (err) {
      // A client that gave up reconnecting is replaced on the next call.
      if (!client.isReady) this.client = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    await client?.close().catch(() => undefined);
  }

  private connect(): Promise<RedisClient> {
    this.client ??= import('redis')
      .then(async ({ createClient: create }) => {
        const client = create({ url: this.url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => (retries >= 3 ? new Error('the Redis server cannot be reached') : 200 * (retries + 1)) } });
        // Errors surface on the commands that fail; the client retries a few times, then gives up.
        client.on('error', () => {});
        await client.connect();
        return client;
      })
      .catch((err: unknown) => {
        this.client = undefined;
        throw err;
      });
    return this.client;
  }
}
