// What resilience costs per upstream call, in CPU microseconds, in-process:
//   node bench/resilience.mjs [calls=2000] [rounds=7]
// One `GET /ships` of bench/fleet.yaml's `registry` API (20 ships, the mock upstream in its own
// process on loopback), sent four ways on the same HTTP client, alternated round by round:
//   plain     HttpClient.send alone: no resilience code at all (the path before it existed)
//   disabled  through the resilience pipeline with every part off (retry attempts 0, no
//             breaker, limiter or cache): what a capability without resilience pays
//   default   the pipeline as shipped: 2 retries for idempotent calls (the first attempt skips
//             the retry interceptor), nothing else
//   all-on    retries, a circuit breaker and an outbound limiter that never makes a call wait
// Each round measures this process's user + system CPU over `calls` sequential calls per mode;
// it prints the median and minimum per mode, in µs/call, each mode's median minus plain's, and
// the median of its round-by-round differences from plain (paired).
import { join } from 'node:path';
import { HOST, killAll, median, portLine, ROOT, spawnNode } from './lib.mjs';

const [callsArg = '2000', roundsArg = '7'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const calls = Number(callsArg);
const rounds = Number(roundsArg);
process.on('exit', killAll);

const { checkSpec } = await import(join(ROOT, 'packages/spec/dist/index.js'));
const runtime = (path) => import(join(ROOT, 'packages/runtime/dist', path));
const { HttpClient } = await runtime('executor/http.js');
const { UpstreamPipeline } = await runtime('executor/resilience/pipeline.js');

const upstream = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const { graph, diagnostics } = checkSpec(join(ROOT, 'bench/fleet.yaml'));
if (!graph) throw new Error(diagnostics.map((d) => d.message).join('\n'));

const http = new HttpClient({ timeouts: { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 }, maxResponseBytes: 10 * 1024 * 1024, maxConnections: 64 });
const pipeline = (defaults) => new UpstreamPipeline(http, graph, defaults, new Map());
const request = () => ({ url: new URL(`http://${HOST}:${upstream.value}/ships`), method: 'GET', headers: { accept: 'application/json' } });
const ids = { namespace: 'registry', operation: 'list-ships' };

const disabled = pipeline({ retry: { attempts: 0 } });
const shipped = pipeline(undefined);
const allOn = pipeline({ circuitBreaker: {}, rateLimiter: { limitForPeriod: 1_000_000, limitRefreshPeriod: 1_000 } });
const MODES = {
  plain: () => http.send(request(), ids),
  disabled: () => disabled.send(request(), ids, {}),
  default: () => shipped.send(request(), ids, {}),
  'all-on': () => allOn.send(request(), ids, {}),
};

async function batch(send, n) {
  for (let i = 0; i < n; i++) {
    const res = await send();
    if (res.status !== 200) throw new Error(`GET /ships: HTTP ${res.status}`);
  }
}

for (const send of Object.values(MODES)) await batch(send, calls); // warm-up: JIT, connections
const perCall = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
const names = Object.keys(MODES);
for (let r = 0; r < rounds; r++) {
  // A different mode goes first each round, so none always runs on a warmer or colder process.
  for (const mode of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
    const before = process.cpuUsage();
    await batch(MODES[mode], calls);
    const used = process.cpuUsage(before);
    perCall[mode].push((used.user + used.system) / calls);
  }
}
const r1 = (x) => Math.round(x * 10) / 10;
const plainMedian = median(perCall.plain);
const out = Object.fromEntries(
  names.map((m) => [
    m,
    {
      medianUs: r1(median(perCall[m])),
      minUs: r1(Math.min(...perCall[m])),
      vsPlainUs: r1(median(perCall[m]) - plainMedian),
      // Median of the round-by-round differences: a round's load weighs on both modes alike.
      pairedVsPlainUs: r1(median(perCall[m].map((x, i) => x - perCall.plain[i]))),
      roundsUs: perCall[m].map(Math.round),
    },
  ]),
);
console.log(`${calls} calls × ${rounds} rounds per mode; CPU µs per call`);
for (const [mode, o] of Object.entries(out)) console.log(`${mode.padEnd(9)} median ${String(o.medianUs).padStart(6)}  min ${String(o.minUs).padStart(6)}  vs plain ${o.vsPlainUs >= 0 ? '+' : ''}${o.vsPlainUs} (paired ${o.pairedVsPlainUs >= 0 ? '+' : ''}${o.pairedVsPlainUs})  rounds ${o.roundsUs.join(' ')}`);
console.log(JSON.stringify({ calls, rounds, ...out }));
await http.close();
process.exit(0);
