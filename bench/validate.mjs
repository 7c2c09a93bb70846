// Validate+compile time of one generated capability, in-process with `checkSpec` (what
// `capstan validate` and `capstan run` call): one cold call, one warm-up, then `runs` timed calls.
//   node bench/validate.mjs [operations=1000] [runs=5] [defacto]     prints one JSON line
// With `defacto`, the file is the real-shaped one of scripts/big-spec.mjs (consumed operations,
// REST operations and MCP tools, `operations` of each, every one with de-facto forms).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigSpecText } from '../scripts/big-spec.mjs';
import { largeCapability } from './generate.mjs';
import { ROOT, median } from './lib.mjs';

const operations = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const dir = join(ROOT, 'bench/.generated');
mkdirSync(dir, { recursive: true });
const defacto = process.argv[4] === 'defacto';
const file = join(dir, `capability-${operations}${defacto ? '-defacto' : ''}.yaml`);
writeFileSync(file, defacto ? bigSpecText(operations) : largeCapability(operations));

const t0 = performance.now();
const { checkSpec } = await import(join(ROOT, 'packages/spec/dist/index.js'));
const importMs = performance.now() - t0;

const cpuTimes = [];
const timed = () => {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const result = checkSpec(file);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !result.graph) throw new Error(`the generated file did not compile: ${errors[0]?.message ?? 'no graph'}`);
  return ms;
};

const coldMs = timed(); // the first call: also the warm-up
const times = Array.from({ length: runs }, timed);
// CPU ms (all threads, GC helpers included) moves less than wall time on a shared machine.
process.stdout.write(`${JSON.stringify({ operations, defacto, importMs, coldMs, medianMs: median(times), runsMs: times, coldCpuMs: cpuTimes[0], medianCpuMs: median(cpuTimes.slice(1)) })}\n`);
