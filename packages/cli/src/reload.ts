/**
 * What starts a reload: SIGHUP, a change to a capability file (`--watch`), and any other
 * `ReloadTrigger` (the control adapter's endpoint; a pub/sub notifier shared by replicas can be
 * one more). Every trigger calls the same `reload`, which the gateway runs one at a time.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ReloadOutcome } from './gateway/gateway.js';

/** Runs a reload and says why it ran (for the log line). */
export type Reload = (reason: string) => Promise<ReloadOutcome>;

/** A source of reloads: started with the function to call, stopped at shutdown. */
export interface ReloadTrigger {
  start(reload: Reload): void;
  stop(): void;
}

/** SIGHUP reloads (instead of ending the process, Node's default). */
export function sighupTrigger(): ReloadTrigger {
  let handler: (() => void) | undefined;
  return {
    start(reload) {
      handler = () => void reload('SIGHUP');
      process.on('SIGHUP', handler);
    },
    stop() {
      if (handler) process.off('SIGHUP', handler);
    },
  };
}

/**
 * Watches the folders of the given files (editors replace files rather than write them in
 * place, which a watch on the file itself would miss) and reloads once a burst of changes to a
 * YAML file in them has settled.
 */
export function fileWatchTrigger(files: string[], logger: Logger, settleMs = 150): ReloadTrigger {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  return {
    start(reload) {
      const folders = new Map<string, Set<string>>();
      for (const f of files.map((x) => resolve(x))) {
        const names = folders.get(dirname(f)) ?? new Set<string>();
        names.add(basename(f));
        folders.set(dirname(f), names);
      }
      for (const folder of folders.keys()) {
        try {
          const watcher = watch(folder, (_event, name) => {
            // Imported files and resources sit beside the capabilities: any YAML change counts.
            if (name && !/\.ya?ml$/i.test(String(name))) return;
            clearTimeout(timer);
            timer = setTimeout(() => void reload(`file change: ${name ? String(name) : folder}`), settleMs);
          });
          watchers.push(watcher);
        } catch (err) {
          logger.warn({ folder, error: (err as Error).message }, `cannot watch ${folder}; reload with SIGHUP instead`);
        }
      }
    },
    stop() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

/** Starts SIGHUP (always), the file watcher (with `watch`) and any `extra` triggers. */
export function startReloadTriggers(options: { files: string[]; watch: boolean; reload: Reload; logger: Logger; extra?: ReloadTrigger[] }): { stop(): void } {
  const triggers = [sighupTrigger(), ...(options.watch ? [fileWatchTrigger(options.files, options.logger)] : []), ...(options.extra ?? [])];
  for (const t of triggers) t.start(options.reload);
  return { stop: () => triggers.forEach((t) => t.stop()) };
}
