// CPU µs per request of several `capstan run` gateways (or of several ports of one gateway),
// alternated round by round with the first target rotating, under autocannon (16 connections):
//   node bench/gateway-cpu.mjs ROUNDS SECONDS LABEL=FILES|PATH[|NODE_FLAGS] ...
// FILES: capability files joined by `+`; a number N stands for `largeCapability(N)` (generate.mjs),
// the first file's namespaces are api-0/tools-0, a second one's api-1/tools-1. PATH: the request
// path, on api-0 unless written `NAMESPACE:PATH`. Targets with the same FILES and NODE_FLAGS share
// one gateway (the same process serving two ports). Prints, per target, the main thread's CPU per
// request (from /proc/PID/task/PID/stat: V8's helper threads excluded) and the whole process's,
// each target's median paired difference from the last target, and req/s. Example, the
// 1,000-route row against its 1-route reference and an A/A band (a second 1-route gateway):
//   node bench/gateway-cpu.mjs 10 3 many=1000\|/items-500/42 one2=1\|/items-0/42\|--stack-size=984 one=1\|/items-0/42
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { largeCapability } from './generate.mjs';
import { cannon, cpuMsOf, HOST, killAll, median, portLine, ROOT, spawnNode, startCapstan, stop } from './lib.mjs';

const [roundsArg, secondsArg, ...specs] = process.argv.slice(2);
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
if (!(rounds > 0) || !(seconds > 0) || specs.length < 2) throw new Error('usage: node bench/gateway-cpu.mjs ROUNDS SECONDS LABEL=FILES|PATH[|NODE_FLAGS] LABEL=... (two targets or more)');
process.on('exit', killAll);

const dir = join(ROOT, 'bench/.generated/gateway-cpu');
mkdirSync(dir, { recursive: true });
const fileOf = (name, index) => {
  if (!/^\d+$/.test(name)) return name;
  const file = join(dir, `routes-${name}-${index}.yaml`);
  writeFileSync(file, largeCapability(Number(name), { index, address: HOST }));
  return file;
};

const upstream = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const gateways = new Map();
const targets = [];
for (const spec of specs) {
  const eq = spec.indexOf('=');
  const [files, path, flags = ''] = spec.slice(eq + 1).split('|');
  const key = `${files}|${flags}`;
  if (!gateways.has(key)) {
    const list = files.split('+').map(fileOf);
    const ports = Object.fromEntries(list.flatMap((_, i) => [[`api-${i}`, 0], [`tools-${i}`, 0]]));
    gateways.set(key, await startCapstan(list, { ports, upstream: `http://${HOST}:${upstream.value}`, adapters: 2 * list.length, nodeArgs: flags ? flags.split(' ') : [] }));
  }
  const gw = gateways.get(key);
  const [ns, route] = path.includes(':') ? path.split(':') : ['api-0', path];
  targets.push({ label: spec.slice(0, eq), pid: gw.child.pid, url: `${gw.value[ns]}${route}`, main: [], proc: [], rps: [] });
}

for (const t of targets) await cannon({ url: t.url, connections: 16, seconds: 2 }); // warm-up
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[(i + r) % targets.length];
    const main0 = cpuMsOf(t.pid, { mainThread: true });
    const proc0 = cpuMsOf(t.pid);
    const res = await cannon({ url: t.url, connections: 16, seconds });
    if (res.non2xx || res.errors) throw new Error(`${t.label}: ${res.non2xx} non-2xx answers, ${res.errors} errors`);
    t.main.push(((cpuMsOf(t.pid, { mainThread: true }) - main0) * 1000) / res.ok);
    t.proc.push(((cpuMsOf(t.pid) - proc0) * 1000) / res.ok);
    t.rps.push(res.rps);
  }
}
const last = targets[targets.length - 1];
const f1 = (x) => x.toFixed(1);
for (const t of targets) {
  const paired = median(t.main.map((x, i) => x - last.main[i]));
  console.log(`${t.label.padEnd(16)} main thread ${f1(median(t.main))} µs/req (paired vs ${last.label} ${paired >= 0 ? '+' : ''}${f1(paired)}), process ${f1(median(t.proc))} µs/req, ${Math.round(median(t.rps))} req/s; rounds ${t.main.map(Math.round).join(' ')}`);
}
console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
await Promise.all([...gateways.values(), upstream].map((g) => stop(g.child)));
process.exit(0);
