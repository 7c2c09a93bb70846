// `node deploy/pack.mjs [OUT_DIR]`: the `capstan` CLI as one installable npm package.
//
// The workspace packages (@capstan/*) are not published, so they are bundled (esbuild) into
// `dist/capstan.js` from their built `dist/` (run `pnpm build` first); third-party libraries stay
// ordinary dependencies, at the versions the workspace uses. The bundled capabilities (`specs/`)
// and the JSON Schema ship with it. Prints the folder; `npm pack` in it gives the tarball.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(ROOT, 'deploy', 'out', 'capstan'));
const cli = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'));

// Third-party dependencies of every workspace package the CLI bundles.
const dependencies = {};
for (const name of readdirSync(join(ROOT, 'packages'))) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'));
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) if (!dep.startsWith('@capstan/')) dependencies[dep] ??= range;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'dist'), { recursive: true });
await build({
  entryPoints: [join(ROOT, 'packages/cli/dist/bin.js')],
  outfile: join(out, 'dist/capstan.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Lazily loaded modules (observability, the gateway) stay separate chunks only with splitting;
  // one file is simpler to ship, so they are inlined.
  logLevel: 'warning',
  plugins: [
    {
      name: 'workspace-only',
      setup(b) {
        // Bundle @capstan/* and relative files; everything else is a dependency.
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@capstan/') ? undefined : { path: args.path, external: true }));
        // The JSON Schemas sit beside the bundle in the package, not several folders up.
        b.onLoad({ filter: /[\\/]spec[\\/]dist[\\/].*\.js$/ }, (args) => ({
          contents: readFileSync(args.path, 'utf8').replace(/'(\.\.\/)+schemas\//g, "'../schemas/"),
          loader: 'js',
        }));
      },
    },
  ],
});
writeFileSync(join(out, 'dist/bin.js'), "#!/usr/bin/env node\nimport './capstan.js';\n", { mode: 0o755 });
cpSync(join(ROOT, 'schemas'), join(out, 'schemas'), { recursive: true });
cpSync(join(ROOT, 'specs'), join(out, 'specs'), { recursive: true });
writeFileSync(join(out, 'README.md'), readFileSync(join(ROOT, 'README.md'), 'utf8'));
writeFileSync(join(out, 'package.json'), `${JSON.stringify({
  name: 'capstan',
  version: cli.version,
  description: cli.description,
  type: 'module',
  bin: { capstan: 'dist/bin.js' },
  files: ['dist', 'schemas', 'specs', 'README.md'],
  engines: cli.engines,
  dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
}, null, 2)}\n`);
process.stdout.write(`${out}\n`);
