/**
 * Issue #18's done-when for `capstan fix --strict`: every bundled spec and every corpus file that
 * loads passes `validate --strict` after it (every strict error counts, Capstan extensions
 * included), still loads in the default mode, has every finding fixed or altered (none left), and
 * serves the same when nothing was altered; the seeds answer every REST operation and MCP tool
 * exactly as before, end to end, to valid calls.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkSpec, hasErrors, type CapabilityGraph } from '@capstan/spec';
import { fixFile } from '@capstan/authoring';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { servedShape } from '../helpers/served-shape.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { SPECS } from '../rest/helpers.js';
import { describeSeedAnswers } from './served-answers.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

/** True when the two graphs serve the same (vitest's `toEqual`: key order and undefined keys aside). */
function sameServed(a: CapabilityGraph, b: CapabilityGraph): boolean {
  try {
    expect(servedShape(a)).toEqual(servedShape(b));
    return true;
  } catch {
    return false;
  }
}

/** `a ×2, b` for the values of `list`, in order of first appearance. */
function tally(list: string[]): string {
  const counts = new Map<string, number>();
  for (const x of list) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].map(([x, n]) => (n > 1 ? `${x} ×${n}` : x)).join(', ');
}

/** What `fix --strict` left wrong in one file, on one line (empty when it is done), and the kinds it altered. */
function strictOutcome(path: string, dir: string): { problems: string[]; alteredKinds: string[] } {
  const name = path.split('/').pop()!;
  const copy = join(dir, name);
  copyFileSync(path, copy);
  const before = checkSpec(copy).graph!;
  const result = fixFile(copy, { strict: true });
  writeFileSync(copy, result.text);
  const after = checkSpec(copy);
  const wrong: string[] = [];
  if (result.left.length) wrong.push(`left ${tally(result.left.map((l) => l.kind ?? l.diagnostic.code))}`);
  const strictErrors = checkSpec(copy, { strict: true }).diagnostics.filter((d) => d.severity === 'error');
  if (strictErrors.length) wrong.push(`--strict errors ${tally(strictErrors.map((d) => d.code))} (first: line ${strictErrors[0]!.line} ${strictErrors[0]!.message})`);
  const loadErrors = after.diagnostics.filter((d) => d.severity === 'error');
  if (loadErrors.length) wrong.push(`load errors ${tally(loadErrors.map((d) => d.code))} (first: line ${loadErrors[0]!.line} ${loadErrors[0]!.message})`);
  // Nothing altered: only official forms that serve the same were written.
  if (!result.altered.length && after.graph && !sameServed(after.graph, before)) wrong.push('nothing altered, yet it serves differently');
  return { problems: wrong.length ? [`${name}: ${wrong.join('; ')}`] : [], alteredKinds: [...new Set(result.altered.map((a) => a.kind ?? a.diagnostic.code))] };
}

/** Runs `strictOutcome` on every file; prints the files altered by kind; returns every problem, file by file. */
function strictOnAll(label: string, paths: string[]): string[] {
  const dir = tempSpecDir({});
  const problems: string[] = [];
  const filesByKind: Record<string, number> = {};
  let done = 0;
  for (const path of paths) {
    const outcome = strictOutcome(path, dir);
    problems.push(...outcome.problems);
    if (!outcome.problems.length) done++;
    for (const kind of outcome.alteredKinds) filesByKind[kind] = (filesByKind[kind] ?? 0) + 1;
  }
  console.log([
    `[fix --strict ${label}] ${paths.length} files; ${done} pass --strict after fix --strict with nothing left`,
    `[fix --strict ${label}] files altered by kind: ${JSON.stringify(Object.fromEntries(Object.entries(filesByKind).sort((a, b) => b[1] - a[1])))}`,
  ].join('\n'));
  return problems;
}

describe('capstan fix --strict: done when every file passes --strict', () => {
  it('every bundled spec passes --strict after fix --strict, loads, and has nothing left', () => {
    const specs = readdirSync(SPECS).filter((f) => f.endsWith('.yaml')).map((f) => join(SPECS, f));
    expect(specs.length).toBeGreaterThanOrEqual(3);
    expect(strictOnAll('bundled specs', specs)).toEqual([]);
  });

  it.skipIf(!HAVE_SHARED)('every corpus file that loads passes --strict after fix --strict, loads, and has nothing left (../shared/corpus)', () => {
    const corpus = join(SHARED_DIR, 'corpus/files');
    const files = readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(corpus, f)).filter((f) => !hasErrors(checkSpec(f).diagnostics));
    expect(files.length).toBeGreaterThanOrEqual(100);
    expect(strictOnAll('corpus', files)).toEqual([]);
  });

});

describeSeedAnswers('capstan fix --strict keeps answers to valid calls unchanged end to end (the seeds)', (file) => fixFile(file, { strict: true }).text, (calls, answers) => {
  expect(calls.filter((c) => c.kind === 'rest').length, 'REST operations').toBeGreaterThan(0);
  expect(calls.filter((c) => c.kind === 'mcp').length, 'MCP tools').toBeGreaterThan(0);
  // Valid calls: each reaches the upstream (which always answers 200); none is refused.
  answers.forEach((a, i) => {
    const call = calls[i]!;
    if (call.kind === 'rest') expect((a as unknown[])[2], `${call.method} ${call.url}: ${JSON.stringify(a).slice(0, 300)}`).toBe(200);
    else expect((a as unknown[])[1], `${call.tool}: ${JSON.stringify(a).slice(0, 300)}`).toBe(false);
  });
});
