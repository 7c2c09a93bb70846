/** Temporary spec files for tests. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes files (relative path → text) into a fresh temp folder and returns its path. */
export function tempSpecDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Writes one spec and returns its path. */
export function tempSpec(text: string, name = 'cap.yaml'): string {
  return join(tempSpecDir({ [name]: text }), name);
}
