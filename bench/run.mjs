// `pnpm bench [--quick|--smoke] [--only=rest,proxy,mcp,routes,tracing,scale]`: Capstan against hand-written and floor
// servers on loopback. See bench/README.md for what each scenario measures and the targets.
import { setMaxListeners } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { capabilityFolder, largeCapability } from './generate.mjs';
import {
  alternate, cannon, CLI, drive, fmt, freePort, freePortRange, HOST, killAll, machine, machineLoad, median, portLine, ROOT, round, rssOf, sleep,
  spawnNode, startCapstan, stop,
} from './lib.mjs';
import { callTool, openSession, statelessHeaders, toolCallRequests } from './mcp.mjs';
import { tracingScenario } from './tracing.mjs';
import { MAPPED } from './upstream.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
// --smoke: every scenario once, briefly (about 15 s on a quiet box), so the bench cannot rot; it
// fails only when a scenario errors, and its figures are not compared with the goals.
const smoke = argv.includes('--smoke');
const onlyArg = argv.find((a) => a.startsWith('--only='));
const SCENARIOS = ['rest', 'proxy', 'mcp', 'routes', 'tracing', 'scale'];
const only = new Set(onlyArg ? onlyArg.slice('--only='.length).split(',') : SCENARIOS);
const cfg = smoke
  ? { mode: 'smoke', connections: 4, rounds: 1, seconds: 0.3, warmupSeconds: 0.1, coldRuns: 1, scaleRuns: 1, rssLoadSeconds: 1, validateRuns: 1, capabilities: 10 }
  : quick
    ? { mode: 'quick', connections: 16, rounds: 3, seconds: 1, warmupSeconds: 0.5, coldRuns: 1, scaleRuns: 1, rssLoadSeconds: 5, validateRuns: 5, capabilities: 200 }
    : { mode: 'full', connections: 16, rounds: 5, seconds: 5, warmupSeconds: 2, coldRuns: 5, scaleRuns: 3, rssLoadSeconds: 60, validateRuns: 5, capabilities: 200 };
const TOKEN = 'bench-token';
const started = performance.now();
const log = (line = '') => process.stdout.write(`${line}\n`);

// Hard bound on the whole run: nothing the bench starts outlives it.
const overall = setTimeout(() => {
  log(`bench: over its time limit; stopping`);
  killAll();
  process.exit(1);
}, (smoke ? 4 : quick ? 6 : 40) * 60_000);
overall.unref();
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

const results = { date: new Date().toISOString(), mode: cfg.mode, config: cfg, machine: machine(), loadBefore: machineLoad(), scenarios: {}, targets: [] };
log(`Capstan bench (${cfg.mode}): ${results.machine.nproc} cores, ${results.machine.cpu}, node ${results.machine.node}`);
log(`load average before: ${results.loadBefore.loadavg.join(' ')}${results.loadBefore.otherBusyProcesses.length ? `; other busy processes: ${results.loadBefore.otherBusyProcesses.join(', ')}` : ''}`);
log(`${cfg.connections} connections, ${cfg.rounds} rounds of ${cfg.seconds} s per target (A B A B …), medians; logging off\n`);

// ---- helpers -------------------------------------------------------------------------------

async function getJson(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

function expect(ok, message) {
  if (!ok) throw new Error(`check failed: ${message}`);
}

/** Polls `probe` every 5 ms until it resolves truthy (errors count as "not yet"), up to `timeoutMs`. */
async function until(probe, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      if (await probe()) return true;
    } catch { /* not up yet */ }
    await sleep(5);
  }
  throw new Error(`not up within ${timeoutMs} ms`);
}

const ok2xx = async (url, init) => {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.status >= 200 && res.status < 300;
};

function withRatios(rows, baselineName) {
  const base = rows.find((r) => r.name === baselineName);
  return rows.map((r) => ({ ...r, rpsRatio: base ? r.rps / base.rps : NaN, p99Ratio: base ? r.p99 / base.p99 : NaN, cpuRatio: base ? r.cpuMsPerReq / base.cpuMsPerReq : NaN }));
}

function printRows(title, rows, baselineLabel) {
  log(`\n${title}`);
  log(`  ${'target'.padEnd(46)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms/req'.padStart(10)}  ${`vs ${baselineLabel}`}`);
  for (const r of rows) {
    const ratio = Number.isFinite(r.rpsRatio) ? `${fmt(r.rpsRatio, 2)}x req/s, ${fmt(r.p99Ratio, 2)}x p99, ${fmt(r.cpuRatio, 2)}x CPU` : '';
    log(`  ${r.name.padEnd(46)} ${fmt(r.rps, 0).padStart(8)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${fmt(r.cpuMsPerReq, 3).padStart(10)}  ${ratio}${r.errors || r.non2xx ? `  [non-2xx ${r.non2xx}, errors ${r.errors}]` : ''}`);
  }
}

const target = (name, value, goal, met, note) => {
  results.targets.push({ name, value, goal, met, ...(note ? { note } : {}) });
};

const roundRows = (rows) => rows.map((r) => ({ ...r, rps: round(r.rps, 1), p50: round(r.p50, 3), p99: round(r.p99, 3), cpuMsPerReq: round(r.cpuMsPerReq, 4), rpsRatio: round(r.rpsRatio, 3), p99Ratio: round(r.p99Ratio, 3), cpuRatio: round(r.cpuRatio, 3) }));

// ---- servers for the throughput scenarios ----------------------------------------------------

const throughput = ['rest', 'proxy', 'mcp'].some((s) => only.has(s));
const upstream = await spawnNode(['bench/upstream.mjs'], { ready: portLine, name: 'mock upstream' });
const UP = `http://${HOST}:${upstream.value}`;
const servers = {};
if (throughput) {
  const fleet = (extra = []) => startCapstan(['bench/fleet.yaml'], { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstream: UP, adapters: 2, extra });
  const wanted = {
    capstan: only.has('rest') || only.has('mcp') ? () => fleet() : undefined,
    capstanStateless: only.has('mcp') ? () => fleet(['--mcp-stateless']) : undefined,
    paragon: only.has('proxy') ? () => startCapstan(['specs/paragon-proxy.yaml'], { ports: { 'paragon-rest': 0, 'paragon-mcp': 0 }, upstream: UP, adapters: 2, env: { PARAGON_TOKEN: TOKEN } }) : undefined,
    hand: only.has('rest') || only.has('proxy') ? () => spawnNode(['bench/servers.mjs', 'handwritten', UP], { ready: portLine, env: { PARAGON_TOKEN: TOKEN } }) : undefined,
    floor: only.has('rest') || only.has('proxy') ? () => spawnNode(['bench/servers.mjs', 'floor', UP], { ready: portLine, env: { PARAGON_TOKEN: TOKEN } }) : undefined,
    sdkPerRequest: only.has('mcp') ? () => spawnNode(['bench/servers.mjs', 'sdk-per-request', UP], { ready: portLine }) : undefined,
    sdkShared: only.has('mcp') ? () => spawnNode(['bench/servers.mjs', 'sdk-shared', UP], { ready: portLine }) : undefined,
  };
  const entries = Object.entries(wanted).filter(([, start]) => start);
  const up = await Promise.all(entries.map(([, start]) => start()));
  entries.forEach(([key], i) => { servers[key] = up[i]; });
  await sleep(300);
  if (servers.capstan) results.capstanGateway = { rssAfterStartMb: round(rssOf(servers.capstan.child.pid).rssMb, 1) };
}
const pid = (key) => servers[key].child.pid;
const url = (key, path = '') => (key === 'capstan' || key === 'capstanStateless' ? servers[key].value['fleet-rest'] : `http://${HOST}:${servers[key].value}`) + path;
const mcpUrl = (key) => (key === 'capstan' || key === 'capstanStateless' ? servers[key].value['fleet-mcp'] : `http://${HOST}:${servers[key].value}/mcp`);
const run = { rounds: cfg.rounds, seconds: cfg.seconds, warmupSeconds: cfg.warmupSeconds, log };
const C = cfg.connections;

/**
 * Scenarios 1 and 2: Capstan, the hand-written route and the floor, alternated; the table and the
 * recorded rows (returned, Capstan first). `targets` are [name, server key, run] with Capstan
 * first and the hand-written route second.
 */
async function versusHandWritten(title, resultKey, targetLabel, targets) {
  const rows = withRatios(await alternate(targets.map(([name, key, runTarget]) => ({ name, pid: pid(key), run: runTarget })), run), targets[1][0]);
  printRows(title, rows, 'hand-written');
  results.scenarios[resultKey] = roundRows(rows);
  return rows;
}

// ---- 1. REST mapped ------------------------------------------------------------------------------

if (only.has('rest')) {
  log('1. REST mapped: GET /ships, the 20-ship list mapped to 5 fields per ship');
  for (const key of ['capstan', 'hand']) expect(isDeepStrictEqual(await getJson(url(key, '/ships')), MAPPED), `${key} GET /ships maps the list`);
  expect((await getJson(url('floor', '/ships'))).ships.length === 20, 'floor GET /ships passes the list through');
  const [cap] = await versusHandWritten('1. REST mapped', 'restMapped', 'REST mapped', [
    ['capstan REST (mapped)', 'capstan', (s) => cannon({ url: url('capstan', '/ships'), connections: C, seconds: s })],
    ['hand-written fastify + undici', 'hand', (s) => cannon({ url: url('hand', '/ships'), connections: C, seconds: s })],
    ['@fastify/http-proxy (floor, no mapping)', 'floor', (s) => cannon({ url: url('floor', '/ships'), connections: C, seconds: s })],
  ]);
  target('REST mapped req/s vs hand-written fastify+undici', round(cap.rpsRatio, 3), '>= 0.95x', cap.rpsRatio >= 0.95);
  target('REST mapped p99 vs hand-written fastify+undici', round(cap.p99Ratio, 3), '<= 1.1x', cap.p99Ratio <= 1.1);
}

// ---- 2. REST pass-through proxy ---------------------------------------------------------------------

if (only.has('proxy')) {
  log('\n2. REST pass-through proxy: specs/paragon-proxy.yaml, GET and POST alternately through /projects/…/sdk/proxy/slack/…');
  const getPath = '/projects/bench/sdk/proxy/slack/api/conversations.list?limit=20&cursor=abc';
  const postPath = '/projects/bench/sdk/proxy/slack/api/chat.postMessage';
  const postBody = JSON.stringify({ channel: 'general', text: 'hello from the Capstan bench', blocks: [{ type: 'section', text: 'one' }] });
  const origin = (key) => (key === 'paragon' ? servers.paragon.value['paragon-rest'] : url(key));
  for (const key of ['paragon', 'hand', 'floor']) {
    const got = await getJson(origin(key) + getPath);
    expect(got.method === 'GET' && got.path === '/projects/bench/sdk/proxy/slack/api/conversations.list' && got.query === 'limit=20&cursor=abc' && got.bearer, `${key} proxies GET (${JSON.stringify(got)})`);
    const posted = await getJson(origin(key) + postPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: postBody });
    expect(posted.method === 'POST' && isDeepStrictEqual(posted.body, JSON.parse(postBody)) && posted.bearer, `${key} proxies POST (${JSON.stringify(posted)})`);
  }
  const requests = [
    { method: 'GET', path: getPath },
    { method: 'POST', path: postPath, headers: { 'content-type': 'application/json' }, body: postBody },
  ];
  const [cap, , floor] = await versusHandWritten('2. REST pass-through proxy', 'restProxy', 'proxy', [
    ['capstan paragon-proxy.yaml ($. output)', 'paragon', (s) => cannon({ url: origin('paragon'), requests, connections: C, seconds: s })],
    ['hand-written fastify + undici', 'hand', (s) => cannon({ url: origin('hand'), requests, connections: C, seconds: s })],
    ['@fastify/http-proxy (floor)', 'floor', (s) => cannon({ url: origin('floor'), requests, connections: C, seconds: s })],
  ]);
  // #14 compares the pass-through with @fastify/http-proxy, which does the same job.
  target('Paragon pass-through req/s vs @fastify/http-proxy', round(cap.rps / floor.rps, 3), '>= 0.9x', cap.rps / floor.rps >= 0.9);
  target('Paragon pass-through p99 vs @fastify/http-proxy', round(cap.p99 / floor.p99, 3), '<= 1.2x', cap.p99 / floor.p99 <= 1.2);
}

// ---- 3. MCP tools/call -------------------------------------------------------------------------------

if (only.has('mcp')) {
  log('\n3. MCP tools/call list-ships (the same 5-field mapping), Streamable HTTP, Accept: JSON + SSE');
  const sessions = {
    capstan: await openSession(mcpUrl('capstan')),
    capstanStateless: statelessHeaders(),
    sdkPerRequest: statelessHeaders(),
    sdkShared: await openSession(mcpUrl('sdkShared')),
  };
  for (const [key, headers] of Object.entries(sessions)) {
    const result = await callTool(mcpUrl(key), headers, 'list-ships');
    expect(isDeepStrictEqual(JSON.parse(result.content[0].text), MAPPED), `${key} tools/call list-ships answers the mapped list`);
  }
  const tool = (key) => (s) => cannon({ url: mcpUrl(key).replace(/\/mcp$/, ''), requests: toolCallRequests(sessions[key], 'list-ships'), connections: C, seconds: s });
  const rows = withRatios(await alternate([
    { name: 'capstan MCP, stateful (one session)', pid: pid('capstan'), run: tool('capstan') },
    { name: 'capstan MCP, --mcp-stateless', pid: pid('capstanStateless'), run: tool('capstanStateless') },
    { name: 'SDK per request (new server+transport)', pid: pid('sdkPerRequest'), run: tool('sdkPerRequest') },
    { name: 'SDK one server, one session', pid: pid('sdkShared'), run: tool('sdkShared') },
    { name: 'capstan REST GET /ships (reference)', pid: pid('capstan'), run: (s) => cannon({ url: url('capstan', '/ships'), connections: C, seconds: s }) },
  ], run), 'SDK per request (new server+transport)');
  printRows('3. MCP tools/call (autocannon, raw Streamable HTTP)', rows, 'SDK per-request');
  const restRef = rows[4];
  for (const r of rows) r.vsCapstanRest = r.rps / restRef.rps;
  log(`  capstan MCP vs capstan REST: stateful ${fmt(rows[0].vsCapstanRest)}x, stateless ${fmt(rows[1].vsCapstanRest)}x`);
  results.scenarios.mcp = roundRows(rows).map((r) => ({ ...r, vsCapstanRest: round(r.vsCapstanRest, 3), cpuVsCapstanRest: round(r.cpuMsPerReq / restRef.cpuMsPerReq, 3) }));
  for (const [i, label] of [[0, 'stateful'], [1, 'stateless']]) {
    target(`MCP ${label} calls/s vs SDK per-request`, round(rows[i].rpsRatio, 3), '>= 3x', rows[i].rpsRatio >= 3);
    target(`MCP ${label} calls/s vs capstan REST`, round(rows[i].vsCapstanRest, 3), '>= 0.8x', rows[i].vsCapstanRest >= 0.8);
  }

  // @ivotoby/openapi-mcp-server needs sessions and is driven with the SDK client; Capstan is
  // measured the same way beside it so the two rows compare.
  let skip;
  let ivo;
  let clients = [];
  try {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const connect = async (endpoint) => {
      const client = new Client({ name: 'capstan-bench', version: '1.0.0' });
      // Node's fetch leaves one abort listener per request on the transport's signal until GC;
      // with thousands of calls that trips the listener-leak warning, so it is turned off there.
      const quietFetch = (input, init) => {
        if (init?.signal) setMaxListeners(0, init.signal);
        return fetch(input, init);
      };
      await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { fetch: quietFetch }));
      clients.push(client);
      return client;
    };
    let bin;
    try {
      bin = join(ROOT, 'node_modules/@ivotoby/openapi-mcp-server/bin/mcp-server.js');
      await import('node:fs').then((fs) => fs.accessSync(bin));
    } catch {
      throw Object.assign(new Error('@ivotoby/openapi-mcp-server is not installed (pnpm install)'), { skip: true });
    }
    const port = await freePort();
    ivo = await spawnNode([bin, '--api-base-url', UP, '--openapi-spec', `${UP}/openapi.json`, '--transport', 'http', '--host', HOST, '--port', String(port), '--verbose', 'false'], { name: 'openapi-mcp-server' });
    const ivoUrl = `http://${HOST}:${port}/mcp`;
    let ivoClient;
    await until(async () => { ivoClient = await connect(ivoUrl); return true; }, 20_000).catch(() => {
      throw Object.assign(new Error(`@ivotoby/openapi-mcp-server did not answer initialize at ${ivoUrl} within 20 s`), { skip: true });
    });
    const listed = (await ivoClient.listTools()).tools;
    const ivoTool = listed.find((t) => /ship/i.test(t.name) && !(t.inputSchema?.required ?? []).length);
    if (!ivoTool) throw Object.assign(new Error(`no list tool among ${listed.map((t) => t.name).join(', ')}`), { skip: true });
    const sample = await ivoClient.callTool({ name: ivoTool.name, arguments: {} });
    expect(JSON.parse(sample.content[0].text).ships.length === 20, 'openapi-mcp-server returns the ship list');
    const capClient = await connect(mcpUrl('capstan'));
    await capClient.listTools();
    const pair = withRatios(await alternate([
      { name: 'capstan MCP, stateful (SDK client)', pid: pid('capstan'), run: (s) => drive(() => capClient.callTool({ name: 'list-ships', arguments: {} }), { workers: C, seconds: s }) },
      { name: `openapi-mcp-server ${ivoTool.name} (SDK client)`, pid: ivo.child.pid, run: (s) => drive(() => ivoClient.callTool({ name: ivoTool.name, arguments: {} }), { workers: C, seconds: s }) },
    ], run), `openapi-mcp-server ${ivoTool.name} (SDK client)`);
    printRows('3b. MCP through the SDK client (openapi-mcp-server returns the raw, unmapped list)', pair, 'openapi-mcp-server');
    results.scenarios.mcpSdkClient = roundRows(pair);
    target('MCP stateful calls/s vs openapi-mcp-server (SDK client)', round(pair[0].rpsRatio, 3), '>= 2x', pair[0].rpsRatio >= 2);
  } catch (err) {
    if (!err.skip) throw err;
    skip = err.message;
    log(`\n3b. @ivotoby/openapi-mcp-server skipped: ${skip}`);
    results.scenarios.mcpSdkClient = { skipped: skip };
    target('MCP stateful calls/s vs openapi-mcp-server (SDK client)', 'skipped', '>= 2x', false, skip);
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    clients = [];
    if (ivo) await stop(ivo.child, 3000);
  }
}

if (servers.capstan) {
  Object.assign(results.capstanGateway, { rssAfterLoadMb: round(rssOf(servers.capstan.child.pid).rssMb, 1), peakRssMb: round(rssOf(servers.capstan.child.pid).peakMb, 1) });
}
await Promise.all(Object.values(servers).map((s) => stop(s.child)));

// ---- 5. Many routes ---------------------------------------------------------------------------------

if (only.has('routes')) {
  // The same mapped GET on a capability with 1,000 REST routes and on one with a single route:
  // routing and per-route state must not make a large capability slower per request.
  log('\n5. REST on a 1,000-route capability vs a 1-route one: GET /items-N/42 (2 items mapped)');
  const dir = join(ROOT, 'bench/.generated/routes');
  mkdirSync(dir, { recursive: true });
  const files = { many: join(dir, 'routes-1000.yaml'), one: join(dir, 'routes-1.yaml') };
  writeFileSync(files.many, largeCapability(1000, { address: HOST }));
  writeFileSync(files.one, largeCapability(1, { address: HOST }));
  const gw = {};
  for (const key of ['many', 'one']) gw[key] = await startCapstan([files[key]], { ports: { 'api-0': 0, 'tools-0': 0 }, upstream: UP, adapters: 2 });
  const routeUrl = { many: `${gw.many.value['api-0']}/items-500/42`, one: `${gw.one.value['api-0']}/items-0/42` };
  for (const key of ['many', 'one']) expect((await getJson(routeUrl[key])).length === 2, `${key}-route capability maps GET /items-N/42`);
  const rows = withRatios(await alternate([
    { name: 'capstan, 1,000 routes', pid: gw.many.child.pid, run: (s) => cannon({ url: routeUrl.many, connections: C, seconds: s }) },
    { name: 'capstan, 1 route', pid: gw.one.child.pid, run: (s) => cannon({ url: routeUrl.one, connections: C, seconds: s }) },
  ], run), 'capstan, 1 route');
  printRows('5. REST, 1,000 routes vs 1', rows, '1 route');
  results.scenarios.routes = roundRows(rows);
  target('REST req/s, 1,000-route vs 1-route capability', round(rows[0].rpsRatio, 3), '>= 0.95x', rows[0].rpsRatio >= 0.95);
  await Promise.all(Object.values(gw).map((g) => stop(g.child)));
}

// ---- 6. Tracing: what it costs when off, when configured with the sampler off, and on -------------

if (only.has('tracing')) {
  log('\n6. OpenTelemetry tracing: unconfigured (twice, for the noise band), configured with sampler ratio 0, and on');
  const traced = await tracingScenario({ upstream: UP, run: { ...run, seconds: Math.min(cfg.seconds, 3) }, connections: C, log, expect });
  results.scenarios.tracing = traced;
  for (const [key, label] of [['rest', 'REST'], ['mcp', 'MCP']]) {
    const { noise, samplerOff } = traced[key];
    // The noise band: the largest round-by-round difference between two identical gateways.
    const band = Math.max(Math.abs(noise.min), Math.abs(noise.max));
    target(`${label}: tracing configured with sampler off vs unconfigured, CPU ms/req (A/A noise band ±${fmt(band, 4)})`, round(samplerOff.median, 4), 'within the noise band', Math.abs(samplerOff.median) <= band);
  }
}

// ---- 4. Cold start and scale ------------------------------------------------------------------------

if (only.has('scale')) {
  log('\n4. Cold start and scale');
  const scale = {};
  // 4a. one capability: spawn → first 200 on GET /ships.
  const cold = [];
  for (let i = 0; i < cfg.coldRuns; i++) {
    const port = await freePort();
    const t0 = performance.now();
    const { child } = await spawnNode([CLI, 'run', 'bench/fleet.yaml', '--host', HOST, '--port', `fleet-rest=${port}`, '--port', 'fleet-mcp=0', '--upstream', UP, '--log-level', 'silent']);
    await until(() => ok2xx(`http://${HOST}:${port}/ships`));
    const ms = performance.now() - t0;
    const rssMb = rssOf(child.pid).rssMb;
    // Idle: the first answer given, nothing else asked for a while.
    await sleep(smoke ? 100 : 2000);
    cold.push({ ms, rssMb, idleRssMb: rssOf(child.pid).rssMb });
    await stop(child);
  }
  scale.oneCapability = { firstRequestMs: round(median(cold.map((c) => c.ms)), 1), rssAfterStartMb: round(median(cold.map((c) => c.rssMb)), 1), idleRssMb: round(median(cold.map((c) => c.idleRssMb)), 1), runsMs: cold.map((c) => round(c.ms, 1)) };
  log(`  1 capability: first successful request ${fmt(scale.oneCapability.firstRequestMs, 0)} ms after spawn (median of ${cfg.coldRuns}); RSS ${fmt(scale.oneCapability.rssAfterStartMb, 1)} MB, ${fmt(scale.oneCapability.idleRssMb, 1)} MB idle 2 s later`);

  // 4b. 200 capabilities (10 with --smoke), 25 operations each, each on its own REST and MCP port.
  const count = cfg.capabilities;
  const dir = join(ROOT, `bench/.generated/caps-${count}`);
  rmSync(dir, { recursive: true, force: true });
  const base = await freePortRange(2 * count);
  capabilityFolder(dir, { count, operations: 25 * count, basePort: base, address: HOST });
  const restUrl = (i) => `http://${HOST}:${base + i}/items-0/42`;
  const mcpEndpoint = (i) => `http://${HOST}:${base + count + i}/mcp`;
  const mcpCall = (i, k = 0) => ({ method: 'POST', headers: statelessHeaders(), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: `get-item-${k}`, arguments: { id: '42' } } }) });
  const runs = [];
  let last;
  for (let r = 0; r < cfg.scaleRuns; r++) {
    const t0 = performance.now();
    const { child } = await spawnNode([CLI, 'run', dir, '--host', HOST, '--upstream', UP, '--log-level', 'silent']);
    await until(() => ok2xx(restUrl(0)), 120_000);
    const firstMs = performance.now() - t0;
    // Every adapter answers once: 200 REST GETs and 200 MCP tools/call, 8 at a time.
    const probes = [...Array.from({ length: count }, (_, i) => () => ok2xx(restUrl(i))), ...Array.from({ length: count }, (_, i) => () => ok2xx(mcpEndpoint(i), mcpCall(i)))];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < probes.length) await until(probes[next++], 120_000);
    }));
    const allMs = performance.now() - t0;
    const rss = rssOf(child.pid).rssMb;
    runs.push({ firstMs, allMs, rss });
    log(`  ${count} capabilities run ${r + 1}/${cfg.scaleRuns}: first request ${fmt(firstMs, 0)} ms, all ${2 * count} adapters answered ${fmt(allMs, 0)} ms after spawn; RSS ${fmt(rss, 1)} MB`);
    if (r === cfg.scaleRuns - 1) last = child;
    else await stop(child);
  }
  // Load across every capability (REST and MCP alternately), sampling RSS, then RSS again.
  let k = 0;
  const timeline = [];
  const every = Math.max(1, Math.round(cfg.rssLoadSeconds / 12));
  let sampling = true;
  const sampler = (async () => {
    for (let t = every; sampling; t += every) {
      await sleep(every * 1000);
      if (sampling) timeline.push([t, round(rssOf(last.pid).rssMb, 0)]);
    }
  })();
  const loadResult = await drive(async () => {
    const n = k++;
    const i = (n >> 1) % count;
    const ok = n % 2 ? await ok2xx(mcpEndpoint(i), mcpCall(i, n % 25)) : await ok2xx(`http://${HOST}:${base + i}/items-${n % 25}/${n}`);
    if (!ok) throw new Error('non-2xx');
  }, { workers: C, seconds: cfg.rssLoadSeconds });
  sampling = false;
  await sampler;
  const after = rssOf(last.pid);
  await stop(last);
  scale.twoHundred = {
    capabilities: count, operations: 5000,
    firstRequestMs: round(median(runs.map((r) => r.firstMs)), 1),
    allServingMs: round(median(runs.map((r) => r.allMs)), 1),
    rssAfterStartMb: round(median(runs.map((r) => r.rss)), 1),
    load: { seconds: cfg.rssLoadSeconds, callsPerSecond: round(loadResult.rps, 1), failures: loadResult.errors },
    rssAfterLoadMb: round(after.rssMb, 1), peakRssMb: round(after.peakMb, 1),
    rssTimelineMb: timeline,
    runs: runs.map((r) => ({ firstMs: round(r.firstMs, 1), allMs: round(r.allMs, 1), rssMb: round(r.rss, 1) })),
  };
  log(`  ${count} capabilities after ${cfg.rssLoadSeconds} s of load (${fmt(loadResult.rps, 0)} calls/s across all of them, ${loadResult.errors} failures): RSS ${fmt(after.rssMb, 1)} MB, peak ${fmt(after.peakMb, 1)} MB`);
  log(`    RSS during the load (s: MB): ${timeline.map(([t, mb]) => `${t}: ${mb}`).join(', ')}`);

  // 4c. validate + compile 1,000 operations, in-process (its own process, so the bench's state does not count).
  const { value: v } = await spawnNode(['bench/validate.mjs', '1000', String(cfg.validateRuns)], { ready: (line) => JSON.parse(line), name: 'validate', timeoutMs: 120_000 });
  scale.validate1000 = { medianMs: round(v.medianMs, 1), coldMs: round(v.coldMs, 1), importMs: round(v.importMs, 1), runsMs: v.runsMs.map((x) => round(x, 1)) };
  log(`  validate+compile 1,000 operations: median ${fmt(v.medianMs, 0)} ms of ${cfg.validateRuns} after a warm-up (first call ${fmt(v.coldMs, 0)} ms)`);
  // 4d. the largest real shape: 1,158 consumed operations, REST operations and MCP tools with de-facto forms (1.9 MB, ~15,000 warnings).
  const { value: d } = await spawnNode(['bench/validate.mjs', '1158', String(Math.min(cfg.validateRuns, 3)), 'defacto'], { ready: (line) => JSON.parse(line), name: 'validate-defacto', timeoutMs: 300_000 });
  scale.validateDefacto1158 = { medianMs: round(d.medianMs, 1), coldMs: round(d.coldMs, 1), runsMs: d.runsMs.map((x) => round(x, 1)) };
  log(`  validate+compile the 1.9 MB de-facto file (1,158 × consumed/REST/MCP): median ${fmt(d.medianMs, 0)} ms after a warm-up (first call ${fmt(d.coldMs, 0)} ms)`);
  // 4e. the memory budget: heap per compiled capability, idle REST route and MCP tool (bench/memory.mjs).
  const memCount = smoke ? 10 : quick ? 50 : 200;
  const { value: m } = await spawnNode(['--expose-gc', 'bench/memory.mjs', String(memCount), '25'], { ready: (line) => JSON.parse(line), name: 'memory', timeoutMs: 300_000 });
  scale.memoryBudget = { capabilities: memCount, ...m.budget };
  log(`  memory budget (${memCount} capabilities × 25 operations, heap after GC): capability graph ${fmt(m.budget.capabilityGraphBytes / 1024, 1)} KB, idle REST route ${fmt(m.budget.restRouteBytes / 1024, 2)} KB, MCP tool ${fmt(m.budget.mcpToolBytes / 1024, 2)} KB, empty REST server ${fmt(m.budget.emptyRestServerBytes / 1024, 0)} KB, executor ${fmt(m.budget.executorBytes / 1024, 1)} KB`);
  results.scenarios.scale = scale;
  target('1 capability: spawn to first answer (ms)', scale.oneCapability.firstRequestMs, '< 300', scale.oneCapability.firstRequestMs < 300);
  target('1 capability: RSS idle (MB)', scale.oneCapability.idleRssMb, '< 80', scale.oneCapability.idleRssMb < 80);
  target(`${count} capabilities: all ${2 * count} adapters serving (ms)`, scale.twoHundred.allServingMs, '< 1500', scale.twoHundred.allServingMs < 1500);
  target(`${count} capabilities: RSS after ${cfg.rssLoadSeconds} s of load (MB)`, scale.twoHundred.rssAfterLoadMb, '< 200', scale.twoHundred.rssAfterLoadMb < 200);
  target('validate+compile 1,000 operations (ms)', scale.validate1000.medianMs, '< 50', scale.validate1000.medianMs < 50);
  target('validate+compile the real-shaped file, 1,158 × 3 operations (ms)', scale.validateDefacto1158.medianMs, '< 1000', scale.validateDefacto1158.medianMs < 1000);
}

await stop(upstream.child);
if (results.capstanGateway) log(`\n1-capability gateway RSS: ${fmt(results.capstanGateway.rssAfterStartMb, 1)} MB after start, ${fmt(results.capstanGateway.rssAfterLoadMb, 1)} MB after the load above (peak ${fmt(results.capstanGateway.peakRssMb, 1)} MB)`);

// ---- summary -------------------------------------------------------------------------------------

results.loadAfter = machineLoad();
results.seconds = round((performance.now() - started) / 1000, 1);
log(smoke ? '\nSmoke run: every scenario ran; figures are not compared with the goals' : '\nThe #14 table (goals, not gates)');
for (const t of smoke ? [] : results.targets) log(`  ${t.met ? 'met   ' : 'missed'}  ${t.name.padEnd(58)} ${String(t.value).padStart(9)}   goal ${t.goal}`);
log(`\nload average after: ${results.loadAfter.loadavg.join(' ')}${results.loadAfter.otherBusyProcesses.length ? `; other busy processes: ${results.loadAfter.otherBusyProcesses.join(', ')}` : ''}`);
const outDir = join(ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
// latest.json is the last run of either mode; <mode>.json keeps the last run of each.
const partial = only.size < SCENARIOS.length ? '-partial' : '';
if (!smoke) writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, `${cfg.mode}${partial}.json`), `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${smoke ? '' : 'bench/results/latest.json and '}bench/results/${cfg.mode}${partial}.json (${results.seconds} s)`);
clearTimeout(overall);
