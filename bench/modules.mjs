// What `capstan run` loads before it answers: every module, counted by package.
//   node bench/modules.mjs [file=bench/fleet.yaml]
// Spawns the unbundled `capstan run FILE` (packages/cli/dist/bin.js, one file per module; the bundle
// users run reads the same code from about 20 files) (ports 0, logs off) with a loader hook that records each ES module and
// each CommonJS file as it loads, stops it once its adapters are listed, and prints one JSON line:
// the number of files per package (ours as capstan/<package>), the total, and how long the
// gateway took to list its adapters. A package that appears here without the capability using it
// is a candidate for loading on first use.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterLines, HOST, killAll, spawnNode, stop, UNBUNDLED_CLI } from './lib.mjs';

const [, , file = 'bench/fleet.yaml'] = process.argv;
process.on('exit', killAll);

const dir = mkdtempSync(join(tmpdir(), 'capstan-modules-'));
const log = join(dir, 'loaded.txt');
// The ES module hook sees ES modules and the CommonJS entry points imported from them; the
// Module._load wrapper sees every require() below those.
writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const result = await next(url, context);
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, new URL(url).pathname + '\\n');
  return result;
}
`);
writeFileSync(join(dir, 'register.mjs'), `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(new URL(`file://${join(dir, 'hooks.mjs')}`).href)});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const result = load.apply(this, arguments);
  try {
    const path = Module._resolveFilename(request, parent, isMain);
    if (path.startsWith('/')) appendFileSync(${JSON.stringify(log)}, path + '\\n');
  } catch {}
  return result;
};
`);

const t0 = performance.now();
const adapters = (readFileSync(file, 'utf8').match(/^\s*- type: (rest|mcp|skill|control)\b/gm) ?? []).length;
const { child } = await spawnNode(['--import', join(dir, 'register.mjs'), UNBUNDLED_CLI, 'run', file, '--host', HOST, '--log-level', 'silent', '--port', 'fleet-rest=0', '--port', 'fleet-mcp=0'], {
  ready: adapterLines(adapters), readyFrom: 'stderr', name: 'capstan run', timeoutMs: 60_000,
});
const listedMs = performance.now() - t0;
await stop(child);

const files = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
rmSync(dir, { recursive: true, force: true });
const packageOf = (path) => {
  const ours = /\/packages\/([^/]+)\/(?:dist|generated)\//.exec(path);
  if (ours) return `capstan/${ours[1]}`;
  const dep = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return dep ? dep[1] : 'other';
};
const byPackage = {};
for (const f of files) byPackage[packageOf(f)] = (byPackage[packageOf(f)] ?? 0) + 1;
const sorted = Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1]));
console.log(JSON.stringify({ file, adaptersListedMs: Math.round(listedMs), files: files.length, byPackage: sorted }));
process.exit(0);
