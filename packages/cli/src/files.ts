/** Expands command-line FILE|DIR arguments into capability files. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files as given, and for a folder every `*.yaml`/`*.yml` in it (sorted, not recursive). */
export function expandSpecArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    let isDir = false;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      return [arg]; // reported as unreadable by the loader
    }
    if (!isDir) return [arg];
    return readdirSync(arg)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => join(arg, f));
  });
}
