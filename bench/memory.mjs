// Memory budget, in-process: what modules, compiled graphs, executors, REST routes and MCP tools
// cost on the V8 heap, measured after full garbage collections (so only live objects count).
//   node --expose-gc bench/memory.mjs [capabilities=200] [operations per capability=25]
// Builds the gateway's parts one stage at a time, the way `capstan run` does (packages from
// dist), for generated capabilities (bench/generate.mjs), with the mock upstream in its own
// process: graphs, executors, REST and MCP ports on shared apps (a scope per port, up to
// PORTS_PER_APP ports an app), a listener per REST port. The last stage sends one REST call per
// capability through its listener (so every executor opens its upstream connections). Prints one
// JSON line: heap and RSS after each stage, and the budget per capability, per app, per port, per
// idle REST route, per MCP tool and per listener, in bytes.
import { rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { capabilityFolder } from './generate.mjs';
import { HOST, killAll, portLine, ROOT, spawnNode } from './lib.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const [count = 200, ops = 25] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
process.on('exit', killAll);

/** Heap and RSS after full collections: only what is still referenced counts. */
async function settle() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return { heapBytes: m.heapUsed, rssBytes: m.rss, externalBytes: m.external + m.arrayBuffers };
}

const stages = [];
const mark = async (name) => {
  const at = await settle();
  const prev = stages[stages.length - 1];
  stages.push({ name, ...at, heapDeltaBytes: prev ? at.heapBytes - prev.heapBytes : at.heapBytes });
};

const upstream = await spawnNode(['bench/upstream.mjs', '0'], { ready: portLine, name: 'upstream' });
const UP = `http://${HOST}:${upstream.value}`;
const dir = join(ROOT, `bench/.generated/memory-${count}x${ops}`);
rmSync(dir, { recursive: true, force: true });
const files = capabilityFolder(dir, { count, operations: count * ops, basePort: 40000, address: HOST });

await mark('node');
const { checkSpec, releaseSource } = await import(join(ROOT, 'packages/spec/dist/index.js'));
const { Executor } = await import(join(ROOT, 'packages/runtime/dist/index.js'));
const { createRestServer, registerRestAdapter } = await import(join(ROOT, 'packages/rest/dist/index.js'));
const { HttpListener, PORTS_PER_APP, servePort } = await import(join(ROOT, 'packages/http/dist/index.js'));
const { createMcpAdapter } = await import(join(ROOT, 'packages/mcp/dist/index.js'));
await mark('modules loaded');

const graphs = files.map((file) => {
  const { graph, diagnostics } = checkSpec(file);
  if (!graph) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  // What the gateway does once the diagnostics are printed (absent before that change).
  releaseSource?.(graph);
  return graph;
});
await mark(`${count} compiled graphs`);

const executors = [];
for (const graph of graphs) executors.push(await Executor.create(graph, { upstreams: { '*': UP }, env: process.env }));
await mark(`${count} executors`);

// Empty servers first, to tell a server's own cost from its routes'.
const empty = Array.from({ length: count }, () => createRestServer({ logger: false }));
await Promise.all(empty.map((app) => app.ready()));
await mark(`${count} empty REST servers`);
await Promise.all(empty.map((app) => app.close()));
empty.length = 0;
await mark('empty servers closed');

/** Apps the way the gateway builds them (apps.ts): ports share apps, PORTS_PER_APP each, a scope per port. */
function portsOnApps(n, register) {
  const apps = [];
  for (let i = 0; i < n; i += PORTS_PER_APP) {
    const app = createRestServer({ logger: false });
    for (let j = i; j < Math.min(n, i + PORTS_PER_APP); j++) servePort(app, `port-${j}`, (scope) => register(scope, j));
    apps.push(app);
  }
  return apps;
}

const emptyPorts = portsOnApps(count, () => {});
await Promise.all(emptyPorts.map((app) => app.ready()));
await mark(`${count} empty ports on shared apps`);
await Promise.all(emptyPorts.map((app) => app.close()));
emptyPorts.length = 0;
await mark('empty ports closed');

const rest = portsOnApps(count, (scope, i) => {
  for (const adapter of graphs[i].adapters) if (adapter.type === 'rest') registerRestAdapter(scope, adapter, { runner: executors[i], info: graphs[i].info });
});
await Promise.all(rest.map((app) => app.ready()));
await mark(`${count} REST ports, ${ops} routes each`);

const mcp = portsOnApps(count, (scope, i) => {
  for (const adapter of graphs[i].adapters) if (adapter.type === 'mcp') createMcpAdapter(adapter, executors[i], { logger: { info() {}, warn() {}, error() {} } }).mount(scope, HOST);
});
await Promise.all(mcp.map((app) => app.ready()));
await mark(`${count} MCP ports, ${ops} tools each`);

// A listener per REST port, as `capstan run` has (its sockets tagged with the port key).
const listeners = [];
for (let i = 0; i < count; i++) {
  const listener = new HttpListener({ port: `port-${i}` });
  await listener.mount(rest[Math.floor(i / PORTS_PER_APP)]);
  listeners.push({ listener, port: await listener.listen(HOST, 0) });
}
await mark(`${count} listeners`);

// One call per capability over a connection that closes after it (no client pool stays on the heap).
const getOnce = (port, path) => new Promise((resolve, reject) => {
  http.get({ host: HOST, port, path, agent: false, headers: { connection: 'close' } }, (res) => {
    res.resume().on('end', () => resolve(res.statusCode));
  }).on('error', reject);
});
for (let i = 0; i < count; i++) {
  const status = await getOnce(listeners[i].port, `/items-0/${i}`);
  if (status !== 200) throw new Error(`capability ${i}: GET /items-0/${i}: HTTP ${status}`);
}
await mark(`one REST call per capability`);

const by = (name) => stages.find((s) => s.name.startsWith(name));
const perPort = by(`${count} empty ports`).heapDeltaBytes / count;
const budget = {
  capabilityGraphBytes: Math.round(by(`${count} compiled graphs`).heapDeltaBytes / count),
  executorBytes: Math.round(by(`${count} executors`).heapDeltaBytes / count),
  emptyRestServerBytes: Math.round(by(`${count} empty REST servers`).heapDeltaBytes / count),
  emptyPortBytes: Math.round(perPort),
  restRouteBytes: Math.round((by(`${count} REST ports`).heapDeltaBytes - perPort * count) / (count * ops)),
  mcpToolBytes: Math.round((by(`${count} MCP ports`).heapDeltaBytes - perPort * count) / (count * ops)),
  listenerBytes: Math.round(by(`${count} listeners`).heapDeltaBytes / count),
  firstCallPerCapabilityBytes: Math.round(by('one REST call').heapDeltaBytes / count),
};
const mb = (b) => Math.round((b / 1048576) * 10) / 10;
console.log(JSON.stringify({
  capabilities: count, operationsEach: ops, node: process.version, budget,
  stages: stages.map((s) => ({ stage: s.name, heapMb: mb(s.heapBytes), heapDeltaMb: mb(s.heapDeltaBytes), rssMb: mb(s.rssBytes), externalMb: mb(s.externalBytes) })),
}));
await Promise.all(listeners.map(({ listener }) => listener.close(0)));
await Promise.all([...rest, ...mcp].map((app) => app.close()));
await Promise.all(executors.map((e) => e.close()));
process.exit(0);
