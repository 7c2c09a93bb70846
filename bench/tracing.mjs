// Scenario 6 of `bench/run.mjs`: what OpenTelemetry tracing costs per request (#15: "off costs
// nothing measurable"). Four gateways serve bench/fleet.yaml, alternated round by round:
//   off, off (again)  no OTEL_* settings and no `observability` exporter: tracing unconfigured.
//                     The two identical processes give the noise band of the method (A/A).
//   sampler off       an OTLP endpoint (the mock upstream's sink) with OTEL_TRACES_SAMPLER_ARG=0:
//                     the tracing code runs, no trace is sampled or exported.
//   on                the same endpoint, every trace sampled and exported (reference).
// REST GET /ships and MCP tools/call list-ships are measured on each; the figure is CPU ms per
// request (from /proc), and each difference is the median of the round-by-round differences from
// the first "off" gateway (paired: a round's machine load weighs on both alike).
import { alternate, cannon, fmt, median, round, startCapstan, stop } from './lib.mjs';
import { openSession, toolCallRequests } from './mcp.mjs';

const OFF = 'tracing off (unconfigured)';
const OFF2 = 'tracing off, second gateway (A/A)';
const SAMPLER_OFF = 'tracing configured, sampler off (ratio 0)';
const ON = 'tracing on (every trace exported)';

/**
 * The gateways of a before/after comparison (`tracing-ab.mjs`, `tracing-cpu.mjs`): this tree
 * unconfigured twice (the A/A noise band), then ratio 0 and every trace sampled, each of the
 * other tree (when given: a built worktree) and of this one; `tree` undefined is this tree.
 * `sinkUrl` receives the OTLP exports.
 */
export function tracingModes(sinkUrl, otherTree) {
  const sink = (ratio) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_TRACES_SAMPLER_ARG: ratio });
  const other = (name, env) => (otherTree ? [{ name: `${name}, other tree`, env, tree: otherTree }] : []);
  return [
    { name: 'unconfigured', env: {} },
    { name: 'unconfigured again (A/A)', env: {} },
    ...other('ratio 0', sink('0')),
    { name: 'ratio 0', env: sink('0') },
    ...other('every trace', sink('1')),
    { name: 'every trace', env: sink('1') },
  ];
}

/** Round-by-round CPU ms/req differences of `row` from `base`: median, smallest and largest. */
function paired(row, base) {
  const d = row.rounds.map((r, i) => r.cpuMsPerReq - base.rounds[i].cpuMsPerReq).filter(Number.isFinite);
  return { median: median(d), min: Math.min(...d), max: Math.max(...d), rounds: d.map((x) => round(x, 4)) };
}

/**
 * Runs the scenario; returns `{ rest, mcp }`, each with the rows and the paired differences.
 * `run` has the rounds and seconds; `connections` the load's concurrency.
 */
export async function tracingScenario({ upstream, run, connections, log, expect }) {
  // The "off" gateways must not pick up an exporter from the bench's own environment.
  for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) delete process.env[name];
  const sink = (service) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: upstream, OTEL_SERVICE_NAME: service });
  const start = (env) => startCapstan(['bench/fleet.yaml'], { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstream, adapters: 2, env });
  const specs = [
    [OFF, {}],
    [OFF2, {}],
    [SAMPLER_OFF, { ...sink('bench-sampler-off'), OTEL_TRACES_SAMPLER_ARG: '0' }],
    [ON, { ...sink('bench-tracing-on'), OTEL_TRACES_SAMPLER_ARG: '1' }],
  ];
  const gateways = await Promise.all(specs.map(([, env]) => start(env)));
  try {
    const exports = async () => (await fetch(`${upstream}/v1/traces/count`)).json();
    const rest = (g) => (s) => cannon({ url: `${g.value['fleet-rest']}/ships`, connections, seconds: s });
    const sessions = await Promise.all(gateways.map((g) => openSession(g.value['fleet-mcp'])));
    const mcp = (g, i) => (s) => cannon({ url: g.value['fleet-mcp'].replace(/\/mcp$/, ''), requests: toolCallRequests(sessions[i], 'list-ships'), connections, seconds: s });
    const out = {};
    for (const [key, title, load] of [['rest', 'REST GET /ships', rest], ['mcp', 'MCP tools/call list-ships (stateful)', mcp]]) {
      const rows = await alternate(gateways.map((g, i) => ({ name: specs[i][0], pid: g.child.pid, run: load(g, i) })), run);
      const [off] = rows;
      log(`\n6. tracing, ${title}: CPU ms/req (median of ${run.rounds} rounds), paired difference from "${OFF}" (median, min..max of the rounds)`);
      for (const r of rows) {
        const d = r === off ? undefined : paired(r, off);
        log(`  ${r.name.padEnd(44)} ${fmt(r.rps, 0).padStart(7)} req/s  p99 ${fmt(r.p99).padStart(6)} ms  ${fmt(r.cpuMsPerReq, 4)} ms/req${d ? `  ${d.median >= 0 ? '+' : ''}${fmt(d.median, 4)} (${fmt(d.min, 4)}..${fmt(d.max, 4)})` : ''}${r.non2xx || r.errors ? `  [non-2xx ${r.non2xx}, errors ${r.errors}]` : ''}`);
      }
      out[key] = {
        rows: rows.map((r) => ({ name: r.name, rps: round(r.rps, 1), p99: round(r.p99, 3), cpuMsPerReq: round(r.cpuMsPerReq, 4), rounds: r.rounds })),
        noise: paired(rows[1], off),
        samplerOff: paired(rows[2], off),
        on: paired(rows[3], off),
      };
    }
    // Stopped, the gateways flush what they buffered: "on" exported spans, "sampler off" none.
    await Promise.all(gateways.map((g) => stop(g.child)));
    const counted = await exports();
    expect(!counted['bench-sampler-off'], `the sampler-off gateway exported nothing (${counted['bench-sampler-off']} exports)`);
    expect(counted['bench-tracing-on'] > 0, 'the tracing-on gateway exported spans to the sink');
    out.exportsOn = counted['bench-tracing-on'];
    return out;
  } finally {
    await Promise.all(gateways.map((g) => stop(g.child)));
  }
}
