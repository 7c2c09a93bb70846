// The many-capability gateway of two trees, alternated run by run: start-up and RSS, before/after.
//   node bench/scale-ab.mjs OTHER_TREE [capabilities=200] [runs=3] [loadSeconds=20]
// Each run spawns `capstan run` of one tree on the same generated folder (25 operations per
// capability, a REST and an MCP port each, the scale scenario's shape), waits until every adapter
// has answered once (8 probes at a time), and reads the gateway's CPU ms (user + system, all its
// threads, and its JavaScript thread's alone, from /proc) and RSS then; then drives REST GETs and MCP tools/call alternately over
// every capability (16 at a time) for `loadSeconds` and reads RSS (and its peak) and CPU ms per
// call. CPU figures move less with the load of a shared machine than wall times. One JSON line
// per run, then the medians per tree.
import { resolve } from 'node:path';
import { cliOf, cpuMsOf, drive, HOST, killAll, median, portLine, ROOT, rssOf, sleep, spawnNode, stop } from './lib.mjs';
import { ok2xx, scaleFolder } from './scale-fleet.mjs';
import { statelessHeaders } from './mcp.mjs';

const [, , otherArg, countArg = '200', runsArg = '3', loadArg = '20'] = process.argv;
if (!otherArg) throw new Error('usage: node bench/scale-ab.mjs OTHER_TREE [capabilities] [runs] [loadSeconds]');
const count = Number(countArg);
const trees = [{ name: 'this', cli: cliOf(ROOT) }, { name: 'other', cli: cliOf(resolve(otherArg)) }];
process.on('exit', killAll);

const up = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${up.value}`;
const { dir, base } = await scaleFolder(`scale-ab-${count}`, count);
const mcpCall = (k) => ({ method: 'POST', headers: statelessHeaders(), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: `get-item-${k % 25}`, arguments: { id: '42' } } }) });
const restUrl = (i, k = 0) => `http://${HOST}:${base + i}/items-${k % 25}/42`;
const mcpUrl = (i) => `http://${HOST}:${base + count + i}/mcp`;

async function until(check) {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(5)) if (await check()) return;
  throw new Error('timed out');
}

async function run(tree) {
  const t0 = performance.now();
  const { child } = await spawnNode([tree.cli, 'run', dir, '--host', HOST, '--upstream', UP, '--log-level', 'silent']);
  const probes = [...Array.from({ length: count }, (_, i) => () => ok2xx(restUrl(i))), ...Array.from({ length: count }, (_, i) => () => ok2xx(mcpUrl(i), mcpCall(0)))];
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < probes.length) await until(probes[next++]);
  }));
  const out = { tree: tree.name, allServingMs: Math.round(performance.now() - t0), cpuMsAllServing: Math.round(cpuMsOf(child.pid)), mainCpuMsAllServing: Math.round(cpuMsOf(child.pid, { mainThread: true })), rssAllServingMb: Math.round(rssOf(child.pid).rssMb) };
  if (Number(loadArg) > 0) {
    let k = 0;
    const cpu0 = cpuMsOf(child.pid);
    const load = await drive(async () => {
      const n = k++;
      const i = (n >> 1) % count;
      if (!(n % 2 ? await ok2xx(mcpUrl(i), mcpCall(n)) : await ok2xx(restUrl(i, n)))) throw new Error('non-2xx');
    }, { workers: 16, seconds: Number(loadArg) });
    const rss = rssOf(child.pid);
    Object.assign(out, { calls: load.ok, failures: load.errors, cpuMsPerCall: Math.round(((cpuMsOf(child.pid) - cpu0) / Math.max(1, load.ok)) * 1000) / 1000, rssAfterLoadMb: Math.round(rss.rssMb), peakRssMb: Math.round(rss.peakMb) });
  }
  await stop(child);
  return out;
}

const results = [];
for (let r = 0; r < Number(runsArg); r++) {
  // Alternate which tree goes first, so neither always gets the quieter slot.
  for (const tree of r % 2 ? [...trees].reverse() : trees) {
    const out = await run(tree);
    results.push(out);
    console.log(JSON.stringify(out));
  }
}
const keys = ['allServingMs', 'cpuMsAllServing', 'mainCpuMsAllServing', 'rssAllServingMb', 'cpuMsPerCall', 'rssAfterLoadMb', 'peakRssMb'];
for (const tree of trees) {
  const mine = results.filter((x) => x.tree === tree.name);
  console.log(JSON.stringify({ tree: tree.name, cli: tree.cli, median: Object.fromEntries(keys.filter((k) => mine[0][k] !== undefined).map((k) => [k, median(mine.map((x) => x[k]))])) }));
}
process.exit(0);
