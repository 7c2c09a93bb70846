/**
 * What the generators of `generated/` do with their text: write it, or with `--check` exit 1 when
 * the committed file differs (stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Writes `text` to `outPath`, or with `--check` in `argv` compares it with the file there. */
export function writeOrCheck(outPath, text, argv = process.argv) {
  if (!argv.includes('--check')) {
    writeFileSync(outPath, text);
    return;
  }
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${relative(PACKAGE_ROOT, outPath)} is stale: run \`pnpm --filter @capstan/spec generate\``);
    process.exit(1);
  }
}
