// CPU microseconds per call, in-process: robust on a loaded machine, where req/s is not.
//   node bench/cpu.mjs rest|proxy [calls=2000] [rounds=7]
// Builds one REST server the way `capstan run` does (core + rest packages from dist), with the
// mock upstream in its own process on loopback, and sends `calls` requests through fastify's
// `inject` (no client socket; the upstream call is a real socket). Each round measures this
// process's user + system CPU over the calls; it prints the median and the minimum, in µs/call.
//   rest:  GET /ships of bench/fleet.yaml (20 ships mapped to 5 fields each)
//   proxy: specs/paragon-proxy.yaml, a GET with a query and a POST with a JSON body alternately
//   routes1000, routes1: GET /items-N/42 on a generated capability with 1,000 REST routes, or 1
// `--no-retry` turns retries off (gateway default attempts: 0), to price the retry path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { largeCapability } from './generate.mjs';
import { HOST, killAll, median, portLine, ROOT, spawnNode } from './lib.mjs';

const noRetry = process.argv.includes('--no-retry');
const [scenario = 'rest', callsArg = '2000', roundsArg = '7'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const calls = Number(callsArg);
const rounds = Number(roundsArg);
process.on('exit', killAll);

const { checkSpec } = await import(join(ROOT, 'packages/spec/dist/index.js'));
const { Executor } = await import(join(ROOT, 'packages/runtime/dist/index.js'));
const { createRestServer, registerRestAdapter } = await import(join(ROOT, 'packages/rest/dist/index.js'));

const upstream = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${upstream.value}`;

const SCENARIOS = {
  rest: { file: 'bench/fleet.yaml', requests: [{ method: 'GET', url: '/ships' }] },
  proxy: {
    file: 'specs/paragon-proxy.yaml',
    env: { PARAGON_TOKEN: 'bench-token' },
    requests: [
      { method: 'GET', url: '/projects/bench/sdk/proxy/slack/api/conversations.list?limit=20&cursor=abc' },
      { method: 'POST', url: '/projects/bench/sdk/proxy/slack/api/chat.postMessage', headers: { 'content-type': 'application/json' }, payload: '{"channel":"general","text":"hello"}' },
    ],
  },
};
for (const n of [1000, 1]) {
  const file = join(ROOT, `bench/.generated/routes/routes-${n}.yaml`);
  mkdirSync(join(ROOT, 'bench/.generated/routes'), { recursive: true });
  SCENARIOS[`routes${n}`] = { file, write: () => writeFileSync(file, largeCapability(n, { address: HOST })), requests: [{ method: 'GET', url: `/items-${n === 1 ? 0 : 500}/42` }] };
}
const s = SCENARIOS[scenario];
if (!s) throw new Error(`unknown scenario ${scenario}: one of ${Object.keys(SCENARIOS).join(', ')}`);

s.write?.();
const { graph, diagnostics } = checkSpec(resolve(ROOT, s.file));
if (!graph) throw new Error(diagnostics.map((d) => d.message).join('\n'));
const executor = await Executor.create(graph, { upstreams: { '*': UP }, env: { ...process.env, ...(s.env ?? {}) }, ...(noRetry ? { resilience: { retry: { attempts: 0 } } } : {}) });
const app = createRestServer({ logger: false });
for (const adapter of graph.adapters) if (adapter.type === 'rest') registerRestAdapter(app, adapter, { runner: executor, info: graph.info });
await app.ready();

async function batch(n) {
  for (let i = 0; i < n; i++) {
    const res = await app.inject(s.requests[i % s.requests.length]);
    if (res.statusCode !== 200) throw new Error(`${s.requests[i % s.requests.length].url}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
}

await batch(calls); // warm-up: JIT, connections
const perCall = [];
for (let r = 0; r < rounds; r++) {
  const before = process.cpuUsage();
  await batch(calls);
  const used = process.cpuUsage(before);
  perCall.push((used.user + used.system) / calls);
}
const sorted = [...perCall].sort((a, b) => a - b);
console.log(JSON.stringify({ scenario, retries: !noRetry, calls, rounds, medianUs: Math.round(median(perCall) * 10) / 10, minUs: Math.round(sorted[0] * 10) / 10, rounds_us: perCall.map((x) => Math.round(x)) }));
await app.close();
await executor.close();
process.exit(0);
