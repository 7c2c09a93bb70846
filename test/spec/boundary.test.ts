/**
 * The package boundary between documents and execution: `@capstan/spec` (loader, schema,
 * diagnostics, compiler, graph) depends on no runtime library, and `capstan validate` never loads
 * `@capstan/runtime`. Modules are observed with a Node module-resolution hook in the real CLI
 * process; `capstan tools` (which builds MCP definitions) is the control that does load it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, UNBUNDLED_BIN } from '../helpers/cli.js';
import { moduleLog } from '../helpers/modules.js';

const pkg = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'packages', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };

/** Libraries a document front end needs: YAML, JSON Schema, suggestions. */
const DOCUMENT_LIBRARIES = ['ajv', 'ajv-formats', 'fastest-levenshtein', 'js-yaml', 'yaml'];

/** Runs the unbundled CLI (one file per module) and returns every module URL it loaded. */
function loadedModules(args: string[]): string[] {
  const log = moduleLog();
  execFileSync(process.execPath, [...log.nodeArgs, UNBUNDLED_BIN, ...args], { env: { ...process.env, ...log.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return log.loaded();
}

describe('spec and runtime apart', () => {
  it("@capstan/spec depends on document libraries only, never on @capstan/runtime or a runtime library", () => {
    const spec = Object.keys(pkg('spec').dependencies ?? {});
    expect(spec.filter((d) => !DOCUMENT_LIBRARIES.includes(d))).toEqual([]);
    const runtimeOnly = Object.keys(pkg('runtime').dependencies ?? {}).filter((d) => !DOCUMENT_LIBRARIES.includes(d));
    expect(runtimeOnly).toEqual(expect.arrayContaining(['undici', 'quickjs-emscripten', 'protobufjs', 'avsc', '@capstan/spec']));
  });

  it('capstan validate loads @capstan/spec and nothing of the runtime; capstan tools does load it', () => {
    const file = join(REPO_ROOT, 'specs', 'paragon-proxy.yaml');
    const validate = loadedModules(['validate', file]);
    expect(validate.some((u) => u.includes('/packages/spec/dist/'))).toBe(true);
    const runtimeLibraries = ['/packages/runtime/', '/undici/', '/quickjs-emscripten', '/protobufjs/', '/avsc/', '/fastify/'];
    expect(validate.filter((u) => runtimeLibraries.some((lib) => u.includes(lib)))).toEqual([]);
    const tools = loadedModules(['tools', file]);
    expect(tools.some((u) => u.includes('/packages/runtime/dist/'))).toBe(true);
  });
});
