// Before/after on the same machine, in the same run: this tree's Capstan against another tree's
// build (a worktree of the branch point, built), alternated round by round with the hand-written
// server as the yardstick (and, for the proxy, `@fastify/http-proxy`, the goal's baseline).
//   node bench/ab.mjs OTHER_TREE [rest|proxy] [rounds=5] [seconds=3]
// Both gateways run `capstan run` on this tree's capability files, against one mock upstream in
// its own process; each round runs every target once (the first target rotates, so neither tree
// always runs right after the same one). Prints per target the medians of req/s, p99 and CPU
// ms/req (from /proc), and the median of the round-by-round CPU differences from the other tree.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cannon, cliOf, cpuMsOf, fmt, HOST, killAll, machineLoad, median, portLine, spawnNode, startCapstan, stop } from './lib.mjs';

const [otherArg, scenario = 'rest', roundsArg = '5', secondsArg = '3'] = process.argv.slice(2);
if (!otherArg) {
  process.stderr.write('usage: node bench/ab.mjs OTHER_TREE [rest|proxy] [rounds] [seconds]\n');
  process.exit(2);
}
const otherCli = cliOf(resolve(otherArg));
if (!existsSync(otherCli)) throw new Error(`${otherCli} is missing: build the other tree first`);
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
const C = 16;
const TOKEN = 'bench-token';
process.on('exit', killAll);

const GET = '/projects/bench/sdk/proxy/slack/api/conversations.list?limit=20&cursor=abc';
const POST = '/projects/bench/sdk/proxy/slack/api/chat.postMessage';
const proxyRequests = [
  { method: 'GET', path: GET },
  { method: 'POST', path: POST, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'general', text: 'hello from the Capstan bench', blocks: [{ type: 'section', text: 'one' }] }) },
];

const up = await spawnNode(['bench/upstream.mjs'], { ready: portLine, name: 'mock upstream' });
const UP = `http://${HOST}:${up.value}`;
const gateway = (cli) =>
  scenario === 'proxy'
    ? startCapstan(['specs/paragon-proxy.yaml'], { ports: { 'paragon-rest': 0, 'paragon-mcp': 0 }, upstream: UP, adapters: 2, env: { PARAGON_TOKEN: TOKEN }, ...(cli ? { cli } : {}) })
    : startCapstan(['bench/fleet.yaml'], { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstream: UP, adapters: 2, ...(cli ? { cli } : {}) });
const comparison = (kind) => spawnNode(['bench/servers.mjs', kind, UP], { ready: portLine, env: { PARAGON_TOKEN: TOKEN } });
const [mine, other, hand, floor] = await Promise.all([gateway(), gateway(otherCli), comparison('handwritten'), ...(scenario === 'proxy' ? [comparison('floor')] : [])]);
const origin = (g) => (scenario === 'proxy' ? g.value['paragon-rest'] : g.value['fleet-rest']);
const load = (base) => (s) => (scenario === 'proxy' ? cannon({ url: base, requests: proxyRequests, connections: C, seconds: s }) : cannon({ url: `${base}/ships`, connections: C, seconds: s }));
const targets = [
  { name: 'this tree', pid: mine.child.pid, run: load(origin(mine)) },
  { name: `other tree (${otherArg})`, pid: other.child.pid, run: load(origin(other)) },
  { name: 'hand-written fastify + undici', pid: hand.child.pid, run: load(`http://${HOST}:${hand.value}`) },
  ...(floor ? [{ name: '@fastify/http-proxy (floor)', pid: floor.child.pid, run: load(`http://${HOST}:${floor.value}`) }] : []),
];

const before = machineLoad();
for (const t of targets) await t.run(1);
const runs = new Map(targets.map((t) => [t.name, []]));
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[(i + r) % targets.length];
    const cpu0 = cpuMsOf(t.pid);
    const res = await t.run(seconds);
    res.cpu = (cpuMsOf(t.pid) - cpu0) / Math.max(1, res.ok);
    runs.get(t.name).push(res);
    process.stdout.write(`  round ${r + 1}/${rounds} ${t.name.padEnd(40)} ${fmt(res.rps, 0).padStart(6)} req/s  p99 ${fmt(res.p99)} ms  cpu ${fmt(res.cpu, 4)} ms/req${res.non2xx || res.errors ? `  non-2xx ${res.non2xx} errors ${res.errors}` : ''}\n`);
  }
}
const after = machineLoad();
const hw = runs.get(targets[2].name);
process.stdout.write(`\n${scenario}: ${rounds} rounds of ${seconds} s, ${C} connections; load average before ${before.loadavg.join(' ')}, after ${after.loadavg.join(' ')}\n`);
for (const t of targets) {
  const rs = runs.get(t.name);
  const rps = median(rs.map((x) => x.rps));
  const p99 = median(rs.map((x) => x.p99));
  const ratio = median(rs.map((x, i) => x.rps / hw[i].rps));
  const p99Ratio = median(rs.map((x, i) => x.p99 / hw[i].p99));
  const floorRuns = floor ? runs.get(targets[3].name) : undefined;
  const vsFloor = floorRuns ? `; vs the floor: ${fmt(median(rs.map((x, i) => x.rps / floorRuns[i].rps)))}x req/s, ${fmt(median(rs.map((x, i) => x.p99 / floorRuns[i].p99)))}x p99` : '';
  process.stdout.write(`  ${t.name.padEnd(40)} ${fmt(rps, 0).padStart(6)} req/s  p99 ${fmt(p99)} ms  cpu ${fmt(median(rs.map((x) => x.cpu)), 4)} ms/req  vs hand-written (paired): ${fmt(ratio)}x req/s, ${fmt(p99Ratio)}x p99${vsFloor}\n`);
}
const a = runs.get(targets[0].name);
const b = runs.get(targets[1].name);
process.stdout.write(`  CPU ms/req, this tree minus other tree, per round: ${a.map((x, i) => fmt(x.cpu - b[i].cpu, 4)).join(', ')}; median ${fmt(median(a.map((x, i) => x.cpu - b[i].cpu)), 4)}\n`);
await Promise.all([mine, other, hand, floor, up].filter(Boolean).map((p) => stop(p.child)));
process.exit(0);
