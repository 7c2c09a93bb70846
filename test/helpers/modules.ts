/**
 * Which modules a child Node process loads: a module-resolution hook that appends each URL it
 * resolves to a file, and a wrapper of CommonJS loading that appends each file `require` loads
 * (as a `file:` URL), so libraries required lazily from ES modules (`createRequire`) show too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempSpecDir } from './tmp.js';

/** A module log: the node arguments that turn it on, and what it recorded so far. */
export interface ModuleLog {
  /** `--import` arguments to put before the script. */
  nodeArgs: string[];
  /** The environment variable the hook reads its log path from. */
  env: Record<string, string>;
  /** Every module URL resolved (ES modules) or loaded (CommonJS) so far. */
  loaded(): string[];
}

export function moduleLog(): ModuleLog {
  const dir = tempSpecDir({
    'hooks.mjs': "import { appendFileSync } from 'node:fs'; let log; export function initialize(d) { log = d.log; } export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(log, r.url + '\\n'); return r; }",
    'preload.mjs': [
      "import Module, { register } from 'node:module'; import { appendFileSync } from 'node:fs'; import { pathToFileURL } from 'node:url';",
      "register('./hooks.mjs', import.meta.url, { data: { log: process.env.CAPSTAN_MODULE_LOG } });",
      'const load = Module._load;',
      "Module._load = function (request, parent, isMain) { const out = load.apply(this, arguments); try { const path = Module._resolveFilename(request, parent, isMain); if (path.startsWith('/')) appendFileSync(process.env.CAPSTAN_MODULE_LOG, pathToFileURL(path).href + '\\n'); } catch {} return out; };",
    ].join('\n'),
    'modules.log': '',
  });
  const log = join(dir, 'modules.log');
  return {
    nodeArgs: ['--import', join(dir, 'preload.mjs')],
    env: { CAPSTAN_MODULE_LOG: log },
    loaded: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}
