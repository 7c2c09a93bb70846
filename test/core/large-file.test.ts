/**
 * A file of the size and shape of the largest real ones (1.8 MB+: 1,158 consumed operations,
 * 1,158 REST operations, 1,158 MCP tools, all with de-facto forms): it loads in the default mode
 * with its warnings grouped by kind, and `--format json` streams one object per diagnostic.
 * The times are printed for the note; the cap only catches a collapse (the test box is shared).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { bigSpecText } from '../../scripts/big-spec.mjs';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli.js';
import { tempSpecDir } from '../helpers/tmp.js';

const COUNT = 1158;

describe('a 1.8 MB capability with de-facto forms', () => {
  const text = bigSpecText(COUNT);
  const file = join(tempSpecDir({}), 'large.yaml');
  writeFileSync(file, text);

  it('loads in the default mode, every operation and tool compiled', () => {
    expect(text.length).toBeGreaterThan(1_800_000);
    checkSpec(file); // warm-up: schema compilation and module loading are paid once per process
    const start = performance.now();
    const result = checkSpec(file);
    const ms = performance.now() - start;
    console.log(`[large-file] ${(text.length / 1e6).toFixed(2)} MB: checkSpec in-process ${ms.toFixed(0)} ms, ${result.diagnostics.length} warnings`);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const graph = result.graph!;
    expect(graph.consumes.get('big-api')!.operations.size).toBe(COUNT);
    const rest = graph.adapters.find((a) => a.type === 'rest');
    const mcp = graph.adapters.find((a) => a.type === 'mcp');
    expect(rest?.type === 'rest' && rest.resources.flatMap((r) => r.operations).length).toBe(COUNT);
    expect(mcp?.type === 'mcp' && mcp.tools.length).toBe(COUNT);
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set([
      'defacto-info-title', 'defacto-expose-description', 'defacto-consumed-input-extras', 'bad-format', 'defacto-with-prefix',
      'defacto-implicit-input', 'defacto-output-mapping-without-shape', 'defacto-exposed-input-missing-description', 'unknown-key', 'missing-key',
    ]));
    expect(ms).toBeLessThan(30_000);
  }, 120_000);

  it('`capstan validate` prints one line per kind of warning; --format json streams every diagnostic', () => {
    let start = performance.now();
    const text = runCli(['validate', file]);
    const textMs = performance.now() - start;
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/warning\[defacto-with-prefix\] ×4632 \(first here; --verbose lists each\)/);
    expect(text.stdout.split('\n').length).toBeLessThan(60);
    start = performance.now();
    const json = spawnSync(process.execPath, [BIN, 'validate', '--format', 'json', file], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const jsonMs = performance.now() - start;
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as unknown[];
    expect(parsed.length).toBeGreaterThan(15_000);
    console.log(`[large-file] capstan validate end to end: text ${textMs.toFixed(0)} ms, json ${jsonMs.toFixed(0)} ms (${parsed.length} diagnostics)`);
  }, 180_000);
});
