// What tracing costs per request, in-process CPU µs: robust on a loaded machine, where the CPU
// a gateway spends per request under concurrent load varies with how requests batch up.
//   node bench/tracing-cpu.mjs [OTHER_TREE] [calls=1000] [rounds=15]
// One child process per mode runs a gateway on bench/fleet.yaml in-process (`startGateway`, as
// `capstan run` does) and, on request, sends it `calls` requests one after the other over a
// keep-alive connection from the same process, measuring that process's user + system CPU.
// Modes: tracing unconfigured (twice: their paired differences are the noise band), sampler
// ratio 0, every trace sampled; with OTHER_TREE (a built worktree, e.g. of the branch point),
// ratio 0 and every trace of that tree's build too. The mock upstream (also the OTLP sink) runs
// in its own process. Rounds alternate the modes (rotating which goes first); REST GET /ships and
// MCP tools/call list-ships; prints the median µs/call and each mode's median paired difference
// from the first unconfigured one (with the smallest..largest round).
import { fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOST, killAll, machineLoad, median, portLine, ROOT, spawnNode } from './lib.mjs';
import { tracingModes } from './tracing.mjs';

const self = fileURLToPath(import.meta.url);

/** Child: the gateway of `tree` in this process, and a client that times batches of calls. */
async function child(tree, upstream) {
  const { request } = await import('undici');
  const { startGateway } = await import(pathToFileURL(join(tree, 'packages/cli/dist/gateway/gateway.js')).href);
  const { setUpObservability } = await import(pathToFileURL(join(tree, 'packages/cli/dist/observability/index.js')).href);
  const { createGatewayLogger } = await import(pathToFileURL(join(tree, 'packages/cli/dist/logging.js')).href);
  const gateway = await startGateway({ files: [join(ROOT, 'bench/fleet.yaml')], host: HOST, ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstreams: { '*': upstream }, logLevel: 'silent' }, {
    createLogger: (stdio) => createGatewayLogger('silent', stdio),
    observe: (graphs, inFlight, breakers) => setUpObservability(graphs, { wantMetrics: false, inFlight, breakers, version: '0.0.0-bench' }),
  });
  const url = (ns) => gateway.adapters.find((a) => a.namespace === ns).url;
  const accept = 'application/json, text/event-stream';
  const init = await request(url('fleet-mcp'), { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }) });
  await init.body.text();
  const mcpHeaders = { 'content-type': 'application/json', accept, 'mcp-session-id': init.headers['mcp-session-id'], 'mcp-protocol-version': '2025-06-18' };
  await (await request(url('fleet-mcp'), { method: 'POST', headers: mcpHeaders, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).body.text();
  let id = 1;
  const calls = {
    rest: () => request(`${url('fleet-rest')}/ships`),
    mcp: () => request(url('fleet-mcp'), { method: 'POST', headers: mcpHeaders, body: JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }) }),
  };
  process.on('message', async ({ kind, count }) => {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      const res = await calls[kind]();
      const text = await res.body.text();
      if (res.statusCode !== 200 || text.includes('"isError":true')) throw new Error(`${kind}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    }
    const used = process.cpuUsage(before);
    process.send({ usPerCall: (used.user + used.system) / count });
  });
  process.send({ ready: true });
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const args = process.argv.slice(2);
  const other = args[0] && !/^\d+$/.test(args[0]) ? resolve(args.shift()) : undefined;
  const [callsArg = '1000', roundsArg = '15'] = args;
  const [calls, rounds] = [Number(callsArg), Number(roundsArg)];
  process.on('exit', killAll);
  for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) delete process.env[name];
  const up = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
  const UP = `http://${HOST}:${up.value}`;
  const modes = tracingModes(UP, other);
  const children = await Promise.all(modes.map(({ tree = ROOT, env }) => new Promise((ok, fail) => {
    const c = fork(self, ['--child', tree, UP], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    c.once('message', () => ok(c));
    c.once('exit', (code) => fail(new Error(`a gateway child exited (${code})`)));
  })));
  const batch = (c, kind, count) => new Promise((ok) => c.once('message', (m) => ok(m.usPerCall)));
  const ask = (c, kind, count) => {
    const answer = batch(c, kind, count);
    c.send({ kind, count });
    return answer;
  };
  const load0 = machineLoad();
  try {
    for (const kind of ['rest', 'mcp']) {
      for (const c of children) await ask(c, kind, Math.min(calls, 500)); // warm-up
      const us = modes.map(() => []);
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < children.length; k++) {
          const i = (r + k) % children.length;
          us[i].push(await ask(children[i], kind, calls));
        }
      }
      process.stdout.write(`\n${kind === 'rest' ? 'REST GET /ships' : 'MCP tools/call list-ships'}: CPU µs per call (client in the same process), ${rounds} rounds of ${calls} calls\n`);
      for (let i = 0; i < modes.length; i++) {
        const d = us[i].map((x, r) => x - us[0][r]);
        process.stdout.write(`  ${modes[i].name.padEnd(26)} ${median(us[i]).toFixed(1).padStart(7)} µs${i === 0 ? '' : `   ${median(d) >= 0 ? '+' : ''}${median(d).toFixed(1)} (${Math.min(...d).toFixed(1)}..${Math.max(...d).toFixed(1)})`}\n`);
      }
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    up.child.kill('SIGTERM');
  }
  process.stdout.write(`\nload average ${JSON.stringify(load0.loadavg)} → ${JSON.stringify(machineLoad().loadavg)}\n`);
}
