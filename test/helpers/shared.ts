/** Access to `../shared` (spec notes, corpus, tutorial), which CI places beside the repo. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the shared folder. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared', import.meta.url));

/** True when `../shared` is present; suites that need it skip otherwise. */
export const HAVE_SHARED = existsSync(SHARED_DIR);

if (!HAVE_SHARED) {
  console.warn(`[capstan tests] ${SHARED_DIR} is absent: corpus and tutorial suites are skipped`);
}
