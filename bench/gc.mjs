// Where the RSS of a many-capability gateway goes under load: live heap or garbage not yet collected.
//   node bench/gc.mjs [capabilities=200] [seconds=30] ["extra node flags"]
// Starts `capstan run` on generated capabilities (25 operations each, a REST and an MCP port each)
// with --trace-gc, drives REST GETs and MCP tools/call alternately over every capability (16 at a
// time, as run.mjs's scale scenario does), and prints one JSON line: RSS after start and after the
// load, and every mark-compact as [seconds since spawn, heap MB before, heap MB after]. The heap
// after a mark-compact is the live heap; the heap before it, minus that, is garbage V8 let pile up.
import { spawn } from 'node:child_process';
import { CLI, drive, HOST, killAll, portLine, rssOf, sleep, spawnNode, stop } from './lib.mjs';
import { ok2xx, scaleFolder } from './scale-fleet.mjs';
import { statelessHeaders } from './mcp.mjs';

const [, , countArg = '200', secondsArg = '30', flags = ''] = process.argv;
const count = Number(countArg);
process.on('exit', killAll);

const up = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${up.value}`;
const { dir, base } = await scaleFolder(`gc-${count}`, count);
const t0 = performance.now();
const child = spawn(process.execPath, ['--trace-gc', ...flags.split(' ').filter(Boolean), CLI, 'run', dir, '--host', HOST, '--upstream', UP, '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'ignore'] });
const markCompacts = [];
let pending = '';
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const m = /Mark-Compact[^\d]*([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/.exec(line);
    if (m) markCompacts.push([Math.round((performance.now() - t0) / 100) / 10, Number(m[1]), Number(m[2])]);
  }
});
while (!(await ok2xx(`http://${HOST}:${base}/items-0/42`))) await sleep(20);
const firstAnswerMs = Math.round(performance.now() - t0);
await sleep(1000);
const rssAfterStartMb = Math.round(rssOf(child.pid).rssMb);
let k = 0;
const call = (i, n) => ({ method: 'POST', headers: statelessHeaders(), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: `get-item-${n % 25}`, arguments: { id: '42' } } }) });
const load = await drive(async () => {
  const n = k++;
  const i = (n >> 1) % count;
  const ok = n % 2 ? await ok2xx(`http://${HOST}:${base + count + i}/mcp`, call(i, n)) : await ok2xx(`http://${HOST}:${base + i}/items-${n % 25}/${n}`);
  if (!ok) throw new Error('non-2xx');
}, { workers: 16, seconds: Number(secondsArg) });
const after = rssOf(child.pid);
await stop(child);
console.log(JSON.stringify({ capabilities: count, flags, firstAnswerMs, rssAfterStartMb, load: { seconds: Number(secondsArg), callsPerSecond: Math.round(load.rps), failures: load.errors }, rssAfterLoadMb: Math.round(after.rssMb), peakRssMb: Math.round(after.peakMb), markCompacts }));
process.exit(0);
