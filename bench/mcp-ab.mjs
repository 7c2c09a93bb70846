// MCP tools/call of this tree against other builds of Capstan, in the same run, alternated, with
// the references of issue #14's MCP rows.
//   node bench/mcp-ab.mjs [--rounds=5] [--seconds=3] [--sdk-client] TREE...
// Each TREE is a checkout with `pnpm install && pnpm build` done (e.g. a `git worktree` of the
// branch point); this tree is the last one. For every tree, `capstan run bench/fleet.yaml` is
// started twice (stateful, and --mcp-stateless) against one mock upstream, and each round runs
// every target once (A B C A B C …). Raw (default): `list-ships` tools/call as raw Streamable
// HTTP (the bench's scenario 3: 16 connections, Accept JSON + SSE, one session for stateful),
// with the SDK per-request server, the SDK with one server and session, and each tree's REST
// `GET /ships` as references. `--sdk-client`: calls through the SDK Client (scenario 3b: 16
// concurrent callers), stateful only, with @ivotoby/openapi-mcp-server as the reference when it is
// installed. Prints req/s and the CPU ms each server spent per answered call (medians over the
// rounds), which a loaded machine disturbs much less than req/s, and the #14 ratios per tree.
import { accessSync, readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { alternate, cannon, cliOf, drive, fmt, freePort, HOST, killAll, machineLoad, portLine, ROOT, spawnNode, adapterLines, sleep } from './lib.mjs';
import { callTool, openSession, statelessHeaders, toolCallRequests } from './mcp.mjs';
import { MAPPED } from './upstream.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const sdkClient = argv.includes('--sdk-client');
const trees = [...argv.filter((a) => !a.startsWith('--')).map((t) => resolve(t)), ROOT];
const C = 16;
const log = (line = '') => process.stdout.write(`${line}\n`);
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

const up = await spawnNode(['bench/upstream.mjs'], { ready: portLine, name: 'mock upstream' });
const UP = `http://${HOST}:${up.value}`;

// Older builds print their adapter lines on stdout; read them where that tree's own bench does.
const linesOn = (tree) => (readFileSync(resolve(tree, 'bench/lib.mjs'), 'utf8').includes("readyFrom: 'stderr'") ? 'stderr' : 'stdout');
const start = (tree, extra) =>
  spawnNode([cliOf(resolve(tree)), 'run', 'bench/fleet.yaml', '--host', HOST, '--port', 'fleet-rest=0', '--port', 'fleet-mcp=0', '--upstream', UP, '--log-level', 'silent', ...extra], {
    ready: adapterLines(2), name: `capstan run (${tree})`, timeoutMs: 60_000, readyFrom: linesOn(tree),
  });

async function sdkConnect(url) {
  const client = new Client({ name: 'capstan-bench', version: '1.0.0' });
  // Node's fetch leaves one abort listener per request on the transport's signal until GC.
  const quietFetch = (input, init) => {
    if (init?.signal) setMaxListeners(0, init.signal);
    return fetch(input, init);
  };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: quietFetch }));
  return client;
}

async function expectMapped(name, result) {
  if (!isDeepStrictEqual(JSON.parse(result.content[0].text), MAPPED)) throw new Error(`${name}: list-ships does not answer the mapped list`);
}

const targets = [];
/** Target names of each tree: stateful, stateless, REST. */
const rowsOf = new Map();
for (const tree of trees) {
  const label = tree === ROOT ? 'this tree' : tree;
  const names = {};
  for (const stateless of sdkClient ? [false] : [false, true]) {
    const gw = await start(tree, stateless ? ['--mcp-stateless'] : []);
    const url = gw.value['fleet-mcp'];
    const name = `${label} MCP ${stateless ? 'stateless' : 'stateful'}`;
    let run;
    if (sdkClient) {
      const client = await sdkConnect(url);
      await expectMapped(name, await client.callTool({ name: 'list-ships', arguments: {} }));
      run = (s) => drive(() => client.callTool({ name: 'list-ships', arguments: {} }), { workers: C, seconds: s });
    } else {
      const headers = stateless ? statelessHeaders() : await openSession(url);
      await expectMapped(name, await callTool(url, headers, 'list-ships'));
      run = (s) => cannon({ url: url.replace(/\/mcp$/, ''), requests: toolCallRequests(headers, 'list-ships'), connections: C, seconds: s });
    }
    targets.push({ name, pid: gw.child.pid, run });
    names[stateless ? 'stateless' : 'stateful'] = name;
    if (!stateless && !sdkClient) {
      const rest = gw.value['fleet-rest'];
      names.rest = `${label} REST GET /ships`;
      targets.push({ name: names.rest, pid: gw.child.pid, run: (s) => cannon({ url: `${rest}/ships`, connections: C, seconds: s }) });
    }
  }
  rowsOf.set(label, names);
}

let reference;
if (sdkClient) {
  const bin = join(ROOT, 'node_modules/@ivotoby/openapi-mcp-server/bin/mcp-server.js');
  try {
    accessSync(bin);
    const port = await freePort();
    const ivo = await spawnNode([bin, '--api-base-url', UP, '--openapi-spec', `${UP}/openapi.json`, '--transport', 'http', '--host', HOST, '--port', String(port), '--verbose', 'false'], { name: 'openapi-mcp-server' });
    let client;
    for (let i = 0; i < 200 && !client; i++) client = await sdkConnect(`http://${HOST}:${port}/mcp`).catch(() => sleep(100).then(() => undefined));
    const tool = (await client.listTools()).tools.find((t) => /ship/i.test(t.name) && !(t.inputSchema?.required ?? []).length);
    reference = 'openapi-mcp-server (SDK client, unmapped)';
    targets.push({ name: reference, pid: ivo.child.pid, run: (s) => drive(() => client.callTool({ name: tool.name, arguments: {} }), { workers: C, seconds: s }) });
  } catch (err) {
    log(`openapi-mcp-server not measured: ${err.message}`);
  }
} else {
  for (const kind of ['sdk-per-request', 'sdk-shared']) {
    const server = await spawnNode(['bench/servers.mjs', kind, UP], { ready: portLine });
    const url = `http://${HOST}:${server.value}/mcp`;
    const headers = kind === 'sdk-shared' ? await openSession(url) : statelessHeaders();
    await expectMapped(kind, await callTool(url, headers, 'list-ships'));
    targets.push({ name: kind === 'sdk-shared' ? 'SDK one server, one session' : 'SDK per request', pid: server.child.pid, run: (s) => cannon({ url: url.replace(/\/mcp$/, ''), requests: toolCallRequests(headers, 'list-ships'), connections: C, seconds: s }) });
  }
  reference = 'SDK per request';
}

const before = machineLoad();
log(`MCP tools/call list-ships, ${sdkClient ? 'SDK client' : 'raw Streamable HTTP'}, ${C} concurrent; load average before: ${before.loadavg.join(' ')}`);
const rows = await alternate(targets, { rounds: opt('rounds', 5), seconds: opt('seconds', 3), warmupSeconds: 1, log });
log(`load average after: ${machineLoad().loadavg.join(' ')}\n`);
log(`${'target'.padEnd(64)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms/call'.padStart(11)}`);
for (const r of rows) log(`${r.name.padEnd(64)} ${fmt(r.rps, 0).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${fmt(r.cpuMsPerReq, 3).padStart(11)}${r.non2xx || r.errors ? `  [non-2xx ${r.non2xx}, errors ${r.errors}]` : ''}`);
const row = (name) => rows.find((r) => r.name === name);
const ref = reference && row(reference);
log('');
for (const [label, names] of rowsOf) {
  const parts = [];
  for (const kind of ['stateful', 'stateless']) {
    const r = names[kind] && row(names[kind]);
    if (!r) continue;
    const vs = [];
    if (ref) vs.push(`${fmt(r.rps / ref.rps)}x req/s, ${fmt(r.cpuMsPerReq / ref.cpuMsPerReq)}x CPU vs ${reference}`);
    if (names.rest) vs.push(`${fmt(r.rps / row(names.rest).rps)}x req/s, ${fmt(r.cpuMsPerReq / row(names.rest).cpuMsPerReq)}x CPU vs its REST`);
    parts.push(`${kind}: ${vs.join('; ')}`);
  }
  log(`${label}: ${parts.join(' | ')}`);
}
log(`per round (CPU ms/call): ${rows.map((r) => `${r.name}: ${r.rounds.map((x) => fmt(x.cpuMsPerReq, 3)).join(' ')}`).join('; ')}`);
process.exit(0);
