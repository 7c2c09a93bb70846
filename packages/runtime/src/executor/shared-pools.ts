/**
 * Upstream connection pools shared by every executor of the process: one undici `Pool` per
 * origin and pool settings, so capabilities that call the same upstream share its keep-alive
 * connections (and the memory of one pool) instead of each opening its own. A pool is counted by
 * the executors using it and closed when the last one lets go, so a reload's new executor takes
 * over the warm connections of the old one. Pools with a client certificate or a tunnel are never
 * shared (http.ts keeps those per executor).
 */
import { Pool } from './undici-parts.js';

/** What a shared pool is made with; two executors share a pool only when all of it is equal. */
export interface PoolSettings {
  connections: number;
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  keepAliveTimeout: number;
}

interface Entry {
  pool: Pool;
  users: number;
}

const entries = new Map<string, Entry>();

const keyOf = (origin: string, s: PoolSettings): string =>
  `${origin} ${s.connections} ${s.connectTimeout} ${s.headersTimeout} ${s.bodyTimeout} ${s.keepAliveTimeout}`;

/** A lease on the process's pool for an origin; `release` exactly once. */
export interface PoolLease {
  pool: Pool;
  release(): Promise<void>;
}

/** Takes the shared pool for `origin` with these settings, creating it on first use. */
export function leasePool(origin: string, settings: PoolSettings): PoolLease {
  const key = keyOf(origin, settings);
  let entry = entries.get(key);
  if (!entry) {
    entry = { pool: new Pool(origin, settings), users: 0 };
    entries.set(key, entry);
  }
  entry.users++;
  const taken = entry;
  let released = false;
  return {
    pool: taken.pool,
    async release() {
      if (released) return;
      released = true;
      taken.users--;
      if (taken.users > 0) return;
      if (entries.get(key) === taken) entries.delete(key);
      await taken.pool.close().catch(() => taken.pool.destroy());
    },
  };
}
