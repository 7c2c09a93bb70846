// Tracing before/after in the same run: scenario 6's gateways of this tree and of another tree's
// build (a worktree of the branch point, built), alternated round by round.
//   node bench/tracing-ab.mjs OTHER_TREE [rounds=7] [seconds=2]
// Six `capstan run bench/fleet.yaml` gateways against one mock upstream (also the OTLP sink):
// this tree unconfigured twice (their round-by-round differences are the noise band), then
// sampler ratio 0 and every trace sampled, each of the other tree and of this one. REST GET /ships
// and MCP tools/call list-ships; prints CPU ms/req (from /proc, medians) and each gateway's
// median paired difference from the first unconfigured one (with the smallest..largest round).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { alternate, cannon, cliOf, fmt, HOST, killAll, machineLoad, median, portLine, spawnNode, startCapstan, stop } from './lib.mjs';
import { openSession, toolCallRequests } from './mcp.mjs';
import { tracingModes } from './tracing.mjs';

const [otherArg, roundsArg = '7', secondsArg = '2'] = process.argv.slice(2);
if (!otherArg) {
  process.stderr.write('usage: node bench/tracing-ab.mjs OTHER_TREE [rounds] [seconds]\n');
  process.exit(2);
}
const otherCli = cliOf(resolve(otherArg));
if (!existsSync(otherCli)) throw new Error(`${otherCli} is missing: build the other tree first`);
process.on('exit', killAll);
for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) delete process.env[name];

const up = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${up.value}`;
const specs = tracingModes(UP, resolve(otherArg));
const gateways = await Promise.all(specs.map(({ env, tree }) => startCapstan(['bench/fleet.yaml'], { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstream: UP, adapters: 2, env, ...(tree ? { cli: otherCli } : {}) })));
const run = { rounds: Number(roundsArg), seconds: Number(secondsArg), warmupSeconds: 1 };
const load0 = machineLoad();
try {
  const sessions = await Promise.all(gateways.map((g) => openSession(g.value['fleet-mcp'])));
  const loads = {
    'REST GET /ships': (g) => (s) => cannon({ url: `${g.value['fleet-rest']}/ships`, connections: 16, seconds: s }),
    'MCP tools/call list-ships': (g, i) => (s) => cannon({ url: g.value['fleet-mcp'].replace(/\/mcp$/, ''), requests: toolCallRequests(sessions[i], 'list-ships'), connections: 16, seconds: s }),
  };
  for (const [title, load] of Object.entries(loads)) {
    const rows = await alternate(gateways.map((g, i) => ({ name: specs[i].name, pid: g.child.pid, run: load(g, i) })), run);
    process.stdout.write(`\n${title}: CPU ms/req (median of ${run.rounds} rounds of ${run.seconds} s), paired difference from "${specs[0].name}"\n`);
    for (const r of rows) {
      const d = r.rounds.map((x, i) => x.cpuMsPerReq - rows[0].rounds[i].cpuMsPerReq);
      process.stdout.write(`  ${r.name.padEnd(28)} ${fmt(r.rps, 0).padStart(6)} req/s  ${fmt(r.cpuMsPerReq, 4)} ms/req${r === rows[0] ? '' : `  ${median(d) >= 0 ? '+' : ''}${fmt(median(d), 4)} (${fmt(Math.min(...d), 4)}..${fmt(Math.max(...d), 4)})`}${r.non2xx || r.errors ? `  [non-2xx ${r.non2xx}, errors ${r.errors}]` : ''}\n`);
    }
  }
} finally {
  await Promise.all(gateways.map((g) => stop(g.child)));
  await stop(up.child);
}
process.stdout.write(`\nload average ${JSON.stringify(load0)} → ${JSON.stringify(machineLoad())}\n`);
