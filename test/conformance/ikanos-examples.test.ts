/**
 * The reference repository's own beta5 documents (its schema examples and its docs tutorial)
 * load and compile, read straight from a local mirror of `naftiko/ikanos` (a git directory; its
 * path in IKANOS_MIRROR, default /work/.mirror/naftiko+ikanos/repo). Nothing is copied into this
 * repository: without a mirror the suite skips, saying so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';

const MIRROR = process.env.IKANOS_MIRROR ?? '/work/.mirror/naftiko+ikanos/repo';
const git = (...args: string[]): string => execFileSync('git', ['--git-dir', MIRROR, ...args], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
const HAVE_MIRROR = existsSync(MIRROR) && (() => {
  try {
    git('rev-parse', 'HEAD');
    return true;
  } catch {
    return false;
  }
})();
if (!HAVE_MIRROR) console.warn(`skipping the reference examples: no naftiko/ikanos mirror at ${MIRROR} (set IKANOS_MIRROR)`);

const EXAMPLES = 'modules/ikanos-spec/src/main/resources/schemas/examples/';
const TUTORIAL = 'modules/ikanos-docs/tutorial/';

/** Writes every YAML file under the given folders of the mirror's HEAD into a temp folder, keeping their paths. */
function checkout(folders: string[]): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-ikanos-'));
  const files = git('ls-tree', '-r', '--name-only', 'HEAD', ...folders).split('\n').filter((f) => /\.ya?ml$/.test(f));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), git('show', `HEAD:${file}`));
  }
  return { dir, files };
}

describe.skipIf(!HAVE_MIRROR)('the reference repository\'s beta5 documents (local mirror)', () => {
  it('every schema example compiles with no finding, in --strict too (binary content, reverse tunnel)', () => {
    const { dir, files } = checkout([EXAMPLES]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(checkSpec(join(dir, file), { strict: true }).diagnostics, file).toEqual([]);
    }
  });

  it('every docs tutorial step compiles with no error', () => {
    const { dir, files } = checkout([TUTORIAL]);
    const steps = files.filter((f) => /\/step-\d+-[^/]+\.ya?ml$/.test(f));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const result = checkSpec(join(dir, step));
      expect(result.diagnostics.filter((d) => d.severity === 'error'), step).toEqual([]);
      expect(result.graph, step).toBeDefined();
    }
  });
});
