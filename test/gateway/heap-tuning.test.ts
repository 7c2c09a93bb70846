/**
 * `capstan run` turns V8's allocation-site pretenuring off (bench/README.md, "Allocation-site
 * pretenuring and the 200-capability gateway"): an object literal whose earlier objects all
 * survived still allocates its next ones in the young generation. A probe `--require`d into the
 * process makes a literal's objects survive by the million, then asks V8 where the next ones are
 * allocated; a plain node process, with pretenuring on, puts them in old space (the control shows
 * the probe can tell).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';

const PARAGON = fileURLToPath(new URL('../../specs/paragon-proxy.yaml', import.meta.url));

// On SIGUSR2: one literal site, two million of its objects kept, then how many of its next 1,000
// objects are young; three fresh sites, the fewest young answered (V8's decision comes at a
// scavenge, whose timing varies).
const PROBE = `
const inYoung = new Function('o', 'return %InYoungGeneration(o)');
process.stderr.write('probe ready\\n');
process.on('SIGUSR2', () => {
  let fewest = 1000;
  for (let round = 0; round < 3; round++) {
    const make = new Function('i', 'return { i, at: [i] };');
    const kept = [];
    for (let i = 0; i < 2e6; i++) kept.push(make(i));
    let young = 0;
    for (let i = 0; i < 1000; i++) if (inYoung(make(i))) young++;
    fewest = Math.min(fewest, young);
  }
  process.stderr.write('probe young=' + fewest + '\\n');
});
`;
const probe = `${tempSpecDir({ 'probe.cjs': PROBE })}/probe.cjs`;
// V8 tenures a site only at a scavenge of a young generation at its largest: a 1 MB semi-space
// is at its largest from the start, so the control's answer does not depend on how far it grew.
const NODE_ARGS = ['--allow-natives-syntax', '--max-semi-space-size=1', '--require', probe];

/** Resolves with the first match of `pattern` in `stderr()`, polled until a deadline. */
async function waitFor(pattern: RegExp, stderr: () => string): Promise<RegExpExecArray> {
  for (const deadline = Date.now() + 40_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const m = pattern.exec(stderr());
    if (m) return m;
  }
  throw new Error(`no ${pattern} from the probe\n${stderr()}`);
}

/** Signals the probe in `pid` once it listens (SIGUSR2 would end a process that does not) and resolves with its answer: young objects of 1,000. */
async function ask(pid: number, stderr: () => string): Promise<number> {
  await waitFor(/probe ready/, stderr);
  process.kill(pid, 'SIGUSR2');
  return Number((await waitFor(/probe young=(\d+)/, stderr))[1]);
}

let run: CapstanRun | undefined;
afterAll(async () => run?.stop());

describe('allocation-site pretenuring', () => {
  it('is off in capstan run: the next objects of a site whose objects all survived are young', async () => {
    run = await spawnCapstanRun([PARAGON, '--port', 'paragon-rest=0', '--port', 'paragon-mcp=0', '--log-level', 'silent'], { waitFor: ['paragon-rest', 'paragon-mcp'], nodeArgs: NODE_ARGS, env: { ...process.env, PARAGON_TOKEN: 'heap-test-token' } });
    expect(await ask(run.pid, run.stderr)).toBe(1000);
  }, 90_000);

  it('is on in a plain node process (control): the same probe finds them in old space', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    try {
      expect(await ask(child.pid!, () => err)).toBe(0);
    } finally {
      child.kill();
    }
  }, 90_000);
});
