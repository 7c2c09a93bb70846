// `node packages/cli/scripts/bundle.mjs`: the `capstan` command as a bundle of the built CLI and
// every library it imports (`packages/cli/dist/bundle/capstan.js`, run after `tsc -b`).
//
// Why: `capstan run` loads about 700 files before it answers, and a cold start spends more CPU
// finding, reading and linking them than running them (bench/README.md, "Start-up"). A bundle
// is read as a few files. Modules imported on first use (`import()`) stay separate chunks, so what
// a command does not use is still not loaded.
//
// The bundle runs from this workspace, not from elsewhere: each bundled file keeps its own
// location. `import.meta.url`, `__dirname` and `__filename` are the original file's (so files read
// next to a module, such as the JSON Schemas or a package.json, are found as before), and the
// synchronous `createRequire(import.meta.url)('x')` loads of our packages become `require('x')`,
// which esbuild bundles, so no library is loaded twice (once bundled, once from disk).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'packages/cli/dist/bundle');
/** Our built packages (their `dist` and `generated` folders): the only files whose `createRequire` calls are rewritten. */
const ours = (path) => path.startsWith(join(ROOT, 'packages')) && /^[^\\/]+[\\/](dist|generated)[\\/]/.test(path.slice(join(ROOT, 'packages').length + 1));
const REQUIRE_DECLARATION = /const require = createRequire\(import\.meta\.url\);/g;
const REQUIRE_CALL = /createRequire\(import\.meta\.url\)\(/g;
/** A UMD wrapper, which hands `require` to its factory: esbuild cannot see what that loads. */
const UMD = /typeof define === ['"]function['"] && define\.amd/;
/** In the bundle: `require` handed on as a value, or asked to resolve a path (relative to the bundle, not to the module). */
const REQUIRE_LEAK = /[(,][ \t]*__require[ \t]*[,)]|__require\.resolve\b/;

/** A file's text with its own location in place of `import.meta.url`, `__dirname`, `__filename`. */
function keepLocation(path, text) {
  let out = text;
  if (ours(path)) {
    out = out.replace(REQUIRE_DECLARATION, '').replace(REQUIRE_CALL, 'require(');
    if (out.includes('createRequire(import.meta.url)')) throw new Error(`${path}: a createRequire(import.meta.url) the bundler does not rewrite; use \`createRequire(import.meta.url)('x')\` or \`const require = createRequire(import.meta.url);\``);
  }
  if (out.includes('import.meta.url')) out = out.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href));
  // CommonJS: esbuild wraps each module in a function, so these are the module's own. A UMD
  // module gets its own `require` too, which loads what it names from where it is installed.
  const own = { __dirname: dirname(path), __filename: path };
  if (!ours(path) && isCommonJs(path) && UMD.test(out)) out = prepend(out, `var require = __capstanRequire(${JSON.stringify(path)});`);
  for (const [name, value] of Object.entries(own)) {
    const declared = new RegExp(`\\b(const|let|var|function)\\s+${name}\\b`).test(out);
    if (declared || !new RegExp(`\\b${name}\\b`).test(out)) continue;
    out = prepend(out, `var ${name} = ${JSON.stringify(value)};`);
  }
  return out;
}

/** A line put first in a module's text (after a `#!` line). */
function prepend(text, line) {
  const hashbang = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
  return `${text.slice(0, hashbang)}${line}\n${text.slice(hashbang)}`;
}

/**
 * Rewrites a chunk's non-ASCII characters as `\uXXXX` escapes. V8 keeps every loaded module's
 * source text for as long as the process runs (functions are compiled from it when first called),
 * and one character above U+00FF anywhere in a file makes the whole text two bytes a character: a
 * `’` in a comment of a library doubled the 2.2 MB chunk `capstan run` loads. esbuild prints
 * strings, plain template literals and names ASCII-only (`charset: 'ascii'`) but keeps comments,
 * regular expression literals and tagged templates as written. In a comment the escape is only
 * text; in a regular expression `\uXXXX` is the same code unit (with the `u` flag an escaped
 * surrogate pair is the same code point); a tagged template's raw text would change, so those are
 * left as they are (TypeScript's parser finds them). A non-ASCII character after a backslash
 * would change meaning, so it fails the build.
 */
function asciiOnly(path) {
  const text = readFileSync(path, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  if (/\\[^\x00-\x7f]/.test(text)) throw new Error(`${path}: a non-ASCII character after a backslash; the bundle cannot escape it`);
  const kept = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node)) kept.push([node.template.getStart(), node.template.end]);
    else ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));
  const escape = (part) => part.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  let out = '';
  let at = 0;
  for (const [start, end] of kept) {
    out += escape(text.slice(at, start)) + text.slice(start, end);
    at = end;
  }
  writeFileSync(path, out + escape(text.slice(at)));
}

// Chunk names carry a content hash: a folder left from an earlier build would keep stale chunks.
rmSync(OUT, { recursive: true, force: true });
/** Whether Node loads a file as CommonJS (its extension, else the nearest package.json's `type`). */
function isCommonJs(path) {
  if (path.endsWith('.cjs')) return true;
  if (path.endsWith('.mjs')) return false;
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) return JSON.parse(readFileSync(pkg, 'utf8')).type !== 'module';
  }
  return true;
}

const result = await build({
  entryPoints: { capstan: join(ROOT, 'packages/cli/dist/bin.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  // CommonJS libraries call `require` for Node's own modules.
  banner: { js: "import { createRequire as __capstanRequire } from 'node:module';\nconst require = __capstanRequire(import.meta.url);" },
  logLevel: 'silent',
  plugins: [{
    name: 'keep-locations',
    setup(b) {
      // `await import('x')` of a CommonJS library stays Node's own: its named exports come from
      // Node's reading of the module, which a code-split bundle would reduce to `default`. Such
      // libraries are loaded on first use anyway, from where they are installed.
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (found.errors.length || found.external || !isCommonJs(found.path)) return undefined;
        // Only where Node would load that same file (a package may offer esbuild an ES build).
        const node = (() => {
          try {
            return createRequire(args.importer).resolve(args.path);
          } catch {
            return undefined;
          }
        })();
        if (node !== found.path) return undefined;
        return { path: pathToFileURL(found.path).href, external: true };
      });
      b.onLoad({ filter: /\.[cm]?js$/ }, (args) => ({ contents: keepLocation(args.path, readFileSync(args.path, 'utf8')), loader: 'js', resolveDir: dirname(args.path) }));
    },
  }],
});
// A warning, or a `require` esbuild left to run time, is something the bundle could resolve
// differently from the built files.
for (const chunk of readdirSync(OUT)) {
  asciiOnly(join(OUT, chunk));
  const leak = REQUIRE_LEAK.exec(readFileSync(join(OUT, chunk), 'utf8'));
  if (leak) result.warnings.push({ text: `\`${leak[0]}\`: a require the bundle cannot resolve as the library's own file would`, location: { file: chunk, line: 0 } });
}
if (result.warnings.length) {
  for (const w of result.warnings) process.stderr.write(`${w.location?.file ?? ''}:${w.location?.line ?? ''}: ${w.text}\n`);
  process.exit(1);
}
