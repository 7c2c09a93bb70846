// CPU microseconds per MCP tools/call against the same REST call, in-process: what the MCP
// envelope costs above the REST path, robust on a loaded machine.
//   node bench/mcp-cpu.mjs [calls=2000] [rounds=7]
// Builds bench/fleet.yaml's executor, REST server and MCP adapter (stateful and stateless) as
// `capstan run` does, with the mock upstream in its own process on loopback, and sends `calls`
// requests to each through fastify's `inject` (no client socket; the upstream call is a real
// socket): REST `GET /ships`, and tools/call `list-ships` as raw Streamable HTTP (Accept JSON +
// SSE, as the bench's scenario 3). Each round runs the three in turn; it prints the median and
// the minimum µs/call of each, and the MCP-minus-REST differences paired by round.
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { HOST, killAll, median, portLine, ROOT, spawnNode } from './lib.mjs';
import { ACCEPT, parseAnswer, PROTOCOL_VERSION } from './mcp.mjs';
import { MAPPED } from './upstream.mjs';

const [calls = 2000, rounds = 7] = process.argv.slice(2).map(Number);
process.on('exit', killAll);

const { checkSpec } = await import(join(ROOT, 'packages/spec/dist/index.js'));
const { Executor } = await import(join(ROOT, 'packages/runtime/dist/index.js'));
const { createRestServer, registerRestAdapter } = await import(join(ROOT, 'packages/rest/dist/index.js'));
const { createHttpServer } = await import(join(ROOT, 'packages/http/dist/index.js'));
const { createMcpAdapter } = await import(join(ROOT, 'packages/mcp/dist/index.js'));

const upstream = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const { graph, diagnostics } = checkSpec(resolve(ROOT, 'bench/fleet.yaml'));
if (!graph) throw new Error(diagnostics.map((d) => d.message).join('\n'));
const executor = await Executor.create(graph, { upstreams: { '*': `http://${HOST}:${upstream.value}` }, env: process.env });
const rest = createRestServer({ logger: false });
for (const adapter of graph.adapters) if (adapter.type === 'rest') registerRestAdapter(rest, adapter, { runner: executor, info: graph.info });
await rest.ready();

const node = graph.adapters.find((a) => a.type === 'mcp');
async function mcpApp(stateless) {
  const adapter = createMcpAdapter(node, executor, { ...(stateless ? { stateless: true } : {}), logger: () => undefined });
  const app = createHttpServer({});
  adapter.mount(app, HOST);
  await app.ready();
  const headers = { host: `${HOST}:1`, 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': PROTOCOL_VERSION };
  if (!stateless) {
    const init = await app.inject({ method: 'POST', url: '/mcp', headers, payload: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }) });
    headers['mcp-session-id'] = init.headers['mcp-session-id'];
    await app.inject({ method: 'POST', url: '/mcp', headers, payload: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  }
  let id = 1;
  return { app, request: () => ({ method: 'POST', url: '/mcp', headers, payload: JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }) }) };
}

const targets = {
  rest: { app: rest, request: () => ({ method: 'GET', url: '/ships' }), check: (body) => isDeepStrictEqual(JSON.parse(body), MAPPED) },
  'mcp stateful': await mcpApp(false),
  'mcp stateless': await mcpApp(true),
};
for (const [name, t] of Object.entries(targets)) {
  if (name.startsWith('mcp')) t.check = (body) => isDeepStrictEqual(JSON.parse(parseAnswer(body).result.content[0].text), MAPPED);
  const res = await t.app.inject(t.request());
  if (res.statusCode !== 200 || !t.check(res.body)) throw new Error(`${name}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
}

async function batch(t, n) {
  for (let i = 0; i < n; i++) {
    const res = await t.app.inject(t.request());
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
}

for (const t of Object.values(targets)) await batch(t, calls); // warm-up: JIT, connections
const perCall = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, t] of Object.entries(targets)) {
    const before = process.cpuUsage();
    await batch(t, calls);
    const used = process.cpuUsage(before);
    perCall[name].push((used.user + used.system) / calls);
  }
}
const us = (x) => Math.round(x * 10) / 10;
for (const [name, v] of Object.entries(perCall)) {
  const diff = name === 'rest' ? '' : `  (minus REST, paired: median ${us(median(v.map((x, i) => x - perCall.rest[i])))})`;
  console.log(`${name.padEnd(14)} median ${us(median(v))} µs/call, min ${us(Math.min(...v))}  rounds ${v.map(Math.round).join(' ')}${diff}`);
}
process.exit(0);
