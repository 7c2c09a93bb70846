// Where the RSS of a many-capability gateway goes under load: live heap or garbage not yet collected.
//   node bench/gc.mjs [capabilities=200] [seconds=30] ["extra node flags"] [TREE]
// Starts `capstan run` (of this tree, or of TREE, a built checkout) on generated capabilities (25
// operations each, a REST and an MCP port each) with --trace-gc-nvp, has every adapter answer once
// (warm-up), then drives REST GETs and MCP tools/call alternately over every capability (16 at a
// time, as run.mjs's scale scenario does), and prints one JSON line: RSS after start, after the
// warm-up and after the load, every mark-compact as [seconds since spawn, heap MB before, heap MB
// after], and the scavenges during the load (count, median bytes promoted to old space, bytes
// promoted per call). The heap after a mark-compact is the live heap; the heap before it, minus
// that, is garbage V8 let pile up: what scavenges promoted.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CLI, cliOf, drive, HOST, killAll, median, portLine, rssOf, sleep, spawnNode, stop } from './lib.mjs';
import { ok2xx, scaleFolder } from './scale-fleet.mjs';
import { statelessHeaders } from './mcp.mjs';

const [, , countArg = '200', secondsArg = '30', flags = '', tree] = process.argv;
const count = Number(countArg);
process.on('exit', killAll);

const up = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${up.value}`;
const { dir, base } = await scaleFolder(`gc-${count}`, count);
const t0 = performance.now();
const child = spawn(process.execPath, ['--trace-gc-nvp', ...flags.split(' ').filter(Boolean), tree ? cliOf(resolve(tree)) : CLI, 'run', dir, '--host', HOST, '--upstream', UP, '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'ignore'] });
const markCompacts = [];
/** Bytes each scavenge promoted while the load ran. */
const promoted = [];
let loading = false;
let pending = '';
const MB = (bytes) => Math.round(bytes / 104857.6) / 10;
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const field = (name) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)?.[1]);
    if (/\bgc=mc\b/.test(line)) markCompacts.push([Math.round((performance.now() - t0) / 100) / 10, MB(field('total_size_before')), MB(field('total_size_after'))]);
    else if (loading && /\bgc=s\b/.test(line)) promoted.push(field('promoted'));
  }
});
while (!(await ok2xx(`http://${HOST}:${base}/items-0/42`))) await sleep(20);
const firstAnswerMs = Math.round(performance.now() - t0);
await sleep(1000);
const rssAfterStartMb = Math.round(rssOf(child.pid).rssMb);
let k = 0;
const call = (i, n) => ({ method: 'POST', headers: statelessHeaders(), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: `get-item-${n % 25}`, arguments: { id: '42' } } }) });
// Every adapter answers once before the load (8 at a time): what a first call builds and keeps
// (an MCP adapter's SDK server, an executor's first connection) is then not counted as promoted
// per call, and shows as RSS after warm-up.
const firsts = [...Array.from({ length: count }, (_, i) => `http://${HOST}:${base + i}/items-0/42`), ...Array.from({ length: count }, (_, i) => i)];
await Promise.all(Array.from({ length: 8 }, async () => {
  for (let first = firsts.shift(); first !== undefined; first = firsts.shift()) {
    if (!(await (typeof first === 'string' ? ok2xx(first) : ok2xx(`http://${HOST}:${base + count + first}/mcp`, call(first, 0))))) throw new Error('non-2xx');
  }
}));
await sleep(1000);
const rssAfterWarmUpMb = Math.round(rssOf(child.pid).rssMb);
loading = true;
const load = await drive(async () => {
  const n = k++;
  const i = (n >> 1) % count;
  const ok = n % 2 ? await ok2xx(`http://${HOST}:${base + count + i}/mcp`, call(i, n)) : await ok2xx(`http://${HOST}:${base + i}/items-${n % 25}/${n}`);
  if (!ok) throw new Error('non-2xx');
}, { workers: 16, seconds: Number(secondsArg) });
loading = false;
const after = rssOf(child.pid);
await stop(child);
const calls = load.rps * Number(secondsArg);
const scavenges = { count: promoted.length, promotedMedianBytes: median(promoted), promotedPerCallBytes: Math.round(promoted.reduce((a, b) => a + b, 0) / calls) };
console.log(JSON.stringify({ tree: tree ?? '.', capabilities: count, flags, firstAnswerMs, rssAfterStartMb, rssAfterWarmUpMb, load: { seconds: Number(secondsArg), callsPerSecond: Math.round(load.rps), failures: load.errors }, rssAfterLoadMb: Math.round(after.rssMb), peakRssMb: Math.round(after.peakMb), scavenges, markCompacts }));
process.exit(0);
