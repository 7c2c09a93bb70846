// MCP tools/call of this tree against other builds of Capstan, in the same run, alternated.
//   node bench/mcp-ab.mjs [--rounds=5] [--seconds=3] [--sdk-client] [--label=name] TREE...
// Each TREE is a checkout with `pnpm install && pnpm build` done (e.g. a `git worktree` of the
// branch point); this tree is the last target. For every tree, `capstan run bench/fleet.yaml` is
// started twice (stateful, and --mcp-stateless) against one mock upstream, and each round runs
// every target once (A B C A B C …): `list-ships` tools/call as raw Streamable HTTP (the bench's
// scenario 3: 16 connections, Accept JSON + SSE, one session for stateful), or with
// `--sdk-client` through the SDK Client (scenario 3b: 16 concurrent callers). Prints req/s and
// the CPU ms each gateway spent per answered call (medians over the rounds), which a loaded
// machine disturbs much less than req/s.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { alternate, cannon, drive, fmt, HOST, killAll, machineLoad, portLine, ROOT, spawnNode, adapterLines } from './lib.mjs';
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
  spawnNode([resolve(tree, 'packages/cli/dist/bin.js'), 'run', 'bench/fleet.yaml', '--host', HOST, '--port', 'fleet-rest=0', '--port', 'fleet-mcp=0', '--upstream', UP, '--log-level', 'silent', ...extra], {
    ready: adapterLines(2), name: `capstan run (${tree})`, timeoutMs: 60_000, readyFrom: linesOn(tree),
  });

async function sdkConnect(url) {
  const client = new Client({ name: 'capstan-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const targets = [];
for (const tree of trees) {
  const label = tree === ROOT ? 'this tree' : tree;
  for (const stateless of [false, true]) {
    const gw = await start(tree, stateless ? ['--mcp-stateless'] : []);
    const url = gw.value['fleet-mcp'];
    const name = `${label} ${stateless ? 'stateless' : 'stateful'}`;
    let run;
    if (sdkClient) {
      const client = await sdkConnect(url);
      const result = await client.callTool({ name: 'list-ships', arguments: {} });
      if (!isDeepStrictEqual(JSON.parse(result.content[0].text), MAPPED)) throw new Error(`${name}: list-ships does not answer the mapped list`);
      run = (s) => drive(() => client.callTool({ name: 'list-ships', arguments: {} }), { workers: C, seconds: s });
    } else {
      const headers = stateless ? statelessHeaders() : await openSession(url);
      const result = await callTool(url, headers, 'list-ships');
      if (!isDeepStrictEqual(JSON.parse(result.content[0].text), MAPPED)) throw new Error(`${name}: list-ships does not answer the mapped list`);
      run = (s) => cannon({ url: url.replace(/\/mcp$/, ''), requests: toolCallRequests(headers, 'list-ships'), connections: C, seconds: s });
    }
    targets.push({ name, pid: gw.child.pid, run });
  }
}

const before = machineLoad();
log(`MCP tools/call list-ships, ${sdkClient ? 'SDK client' : 'raw Streamable HTTP'}, ${C} concurrent; load average before: ${before.loadavg.join(' ')}`);
const rows = await alternate(targets, { rounds: opt('rounds', 5), seconds: opt('seconds', 3), warmupSeconds: 1, log });
log(`load average after: ${machineLoad().loadavg.join(' ')}\n`);
log(`${'target'.padEnd(60)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms/call'.padStart(11)}`);
for (const r of rows) log(`${r.name.padEnd(60)} ${fmt(r.rps, 0).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${fmt(r.cpuMsPerReq, 3).padStart(11)}${r.non2xx || r.errors ? `  [non-2xx ${r.non2xx}, errors ${r.errors}]` : ''}`);
log(`per round (CPU ms/call): ${rows.map((r) => `${r.name}: ${r.rounds.map((x) => fmt(x.cpuMsPerReq, 3)).join(' ')}`).join('; ')}`);
process.exit(0);
