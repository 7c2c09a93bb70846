// Cold start of one capability: spawn of `capstan run` to its first 200 (wall time, and the CPU
// time the gateway used until then, which load on the machine moves less), and its idle RSS.
//   node bench/start.mjs [file=specs/paragon-proxy.yaml] [runs=5]
// The mock upstream runs in its own process. Each run spawns a fresh gateway, polls a GET until
// the first 200, waits 2 s idle and reads RSS from /proc. Prints min and median of the runs.
import { cpuMsOf, HOST, killAll, median, portLine, rssOf, sleep, spawnNode, startCapstan, stop } from './lib.mjs';

const [, , file = 'specs/paragon-proxy.yaml', runsArg = '5'] = process.argv;
process.on('exit', killAll);

/** A GET each scenario file answers with 200 through the mock upstream. */
const PROBES = {
  'specs/paragon-proxy.yaml': { ports: { 'paragon-rest': 0, 'paragon-mcp': 0 }, adapters: 2, env: { PARAGON_TOKEN: 'bench-token' }, path: '/projects/bench/sdk/proxy/slack/api/conversations.list?limit=1', ns: 'paragon-rest' },
  'bench/fleet.yaml': { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, adapters: 2, env: {}, path: '/ships', ns: 'fleet-rest' },
};
const probe = PROBES[file];
if (!probe) throw new Error(`no probe for ${file}: one of ${Object.keys(PROBES).join(', ')}`);

const up = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${up.value}`;
const firsts = [];
const cpus = [];
const rss = [];
for (let i = 0; i < Number(runsArg); i++) {
  const t0 = performance.now();
  const cap = await startCapstan([file], { ports: probe.ports, upstream: UP, adapters: probe.adapters, env: probe.env });
  const url = `${cap.value[probe.ns]}${probe.path}`;
  for (;;) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.status === 200) break;
    if (res) throw new Error(`${url}: HTTP ${res.status}`);
    await sleep(5);
  }
  firsts.push(performance.now() - t0);
  cpus.push(cpuMsOf(cap.child.pid));
  await sleep(2000);
  rss.push(rssOf(cap.child.pid).rssMb);
  await stop(cap.child);
}
const min = (a) => Math.min(...a);
console.log(JSON.stringify({ file, runs: firsts.length, firstAnswerMs: { min: Math.round(min(firsts)), median: Math.round(median(firsts)), all: firsts.map(Math.round) }, cpuMsToFirstAnswer: { min: Math.round(min(cpus)), median: Math.round(median(cpus)) }, idleRssMB: { min: Math.round(min(rss)), median: Math.round(median(rss)), all: rss.map(Math.round) } }));
process.exit(0);
