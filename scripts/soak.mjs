#!/usr/bin/env node
// Soak test (not part of the test suite): holds mixed REST and MCP load, with bounded
// concurrency, against `capstan run` in front of a fault-injecting upstream, for a bounded time,
// and reports errors by kind, latency, and the gateway process's RSS and open file descriptors
// at start and end. Everything listens on and talks to 127.0.0.1 only.
//
//   pnpm soak [--minutes 10] [--concurrency 24] [--timeout 1000] [--max-requests 5000000]
//             [--sample-seconds 15] [--reload-seconds 30] [--gateway-node-options=--max-old-space-size=96]
//
// Every --reload-seconds (0: never) the capability file is rewritten and the gateway gets SIGHUP
// (a hot reload under load): no request may fail because of it.
//
// Needs a build (`pnpm exec tsc -b`). Exit status: 0 when the gateway survived, every healthy
// call succeeded, every fault got its expected answer, and descriptors came back to their
// starting level after the load; 1 otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bundle/capstan.js');

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '24' },
    timeout: { type: 'string', default: '1000' },
    'max-requests': { type: 'string', default: '5000000' },
    'sample-seconds': { type: 'string', default: '15' },
    'reload-seconds': { type: 'string', default: '30' },
    // Node options for the gateway process, e.g. `--gateway-node-options=--max-old-space-size=96` to tell a leak (which
    // then crashes) from a heap that is merely collected lazily (which then stays small).
    'gateway-node-options': { type: 'string', default: '' },
  },
});
const MINUTES = Number(opts.minutes);
const CONCURRENCY = Math.min(256, Math.max(1, Number(opts.concurrency)));
const TIMEOUT = Number(opts.timeout);
const MAX_REQUESTS = Number(opts['max-requests']);
const SAMPLE_MS = Number(opts['sample-seconds']) * 1000;
if (!(MINUTES > 0 && MINUTES <= 24 * 60) || !(TIMEOUT > 0)) {
  console.error('usage: node scripts/soak.mjs [--minutes N (0 < N <= 1440)] [--concurrency C] [--timeout MS]');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the fault-injecting upstream ------------------------------------------------------------

const HUGE = 11 * 1024 * 1024;
function startUpstream() {
  const sockets = new Set();
  const timers = new Set();
  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  let requests = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    // Keep-alive: answer each request on the connection in turn (complete answers only).
    const onData = (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.slice(0, end);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.slice(end + 4 + length);
        requests++;
        const target = head.split(' ')[1] ?? '/';
        answer(socket, /\/fault\/([a-z-]+)/.exec(target)?.[1] ?? 'ok', target);
      }
    };
    socket.on('data', onData);
  });
  const complete = (socket, status, type, body, extra = '') => {
    if (socket.destroyed) return;
    const buf = Buffer.from(body);
    // One write per answer: two small writes would meet Nagle and delayed ACKs (40 ms stalls).
    socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\ncontent-type: ${type}\r\ncontent-length: ${buf.length}\r\n${extra}\r\n`), buf]));
  };
  const answer = (socket, kind, target) => {
    switch (kind) {
      case 'ok':
        return complete(socket, '200 OK', 'application/json', JSON.stringify({ ok: true, path: target }));
      case 'hang':
        return;
      case 'slow-headers':
        return later(TIMEOUT * 2, () => complete(socket, '200 OK', 'application/json', '{"ok":true}'));
      case 'stall-body':
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"ok":');
        return;
      case 'reset':
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"ok":');
        return later(20, () => socket.resetAndDestroy());
      case 'server-error':
        return complete(socket, '503 Service Unavailable', 'application/json', '{"error":"down"}');
      case 'truncated-json':
        return complete(socket, '200 OK', 'application/json', '{"ok": true, "items": [1,');
      case 'html':
        return complete(socket, '200 OK', 'text/html', '<html>oops</html>');
      case 'redirect':
        return complete(socket, '302 Found', 'text/plain', 'moved', 'location: http://127.0.0.1:9/elsewhere\r\n');
      case 'huge': {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${HUGE}\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (!socket.destroyed && sent < HUGE) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        return pump();
      }
      default:
        return complete(socket, '404 Not Found', 'application/json', '{"error":"no such fault"}');
    }
  };
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        open: () => sockets.size,
        requests: () => requests,
        close: () =>
          new Promise((r) => {
            for (const t of timers) clearTimeout(t);
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

/** A loopback port nothing listens on. */
function closedPort() {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  }));
}

// ---- the capability -------------------------------------------------------------------------

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Soak
  description: Soak target
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: http://127.0.0.1:9/base
      resources:
        - name: fault
          path: /fault/{{kind}}
          operations:
            - name: fault
              method: GET
        - name: echo
          path: /echo
          operations:
            - name: echo
              method: POST
              inputParameters:
                - name: body
                  in: body
    - type: http
      namespace: dead
      baseUri: http://127.0.0.1:9/base
      resources:
        - name: x
          path: /x
          operations:
            - name: x
              method: GET
  exposes:
    - type: rest
      namespace: api
      port: 8080
      resources:
        - path: /faults/{kind}
          name: fault
          description: fault
          operations:
            - method: GET
              name: fault
              description: fault
              inputParameters:
                - name: kind
                  in: path
                  type: string
                  description: kind
              call: up.fault
              with:
                kind: api.kind
              outputParameters:
                - type: object
                  properties:
                    ok:
                      type: boolean
                      mapping: $.ok
        - path: /echo
          name: echo
          description: echo
          operations:
            - method: POST
              name: echo
              description: echo
              inputParameters:
                - name: body
                  in: body
                  type: object
                  description: body
              call: up.echo
              with:
                body: api.body
        - path: /dead
          name: dead
          description: refused
          operations:
            - method: GET
              name: dead
              description: refused
              call: dead.x
    - type: mcp
      namespace: tools
      address: 127.0.0.1
      port: 9090
      description: Soak tools
      tools:
        - name: fault
          description: fault
          inputParameters:
            - name: kind
              type: string
              description: kind
          call: up.fault
          with:
            kind: tools.kind
          outputParameters:
            - type: object
              properties:
                ok:
                  type: boolean
                  mapping: $.ok
        - name: dead
          description: refused
          call: dead.x
`;

// ---- the gateway process ----------------------------------------------------------------------

function startGateway(file, upstreamUrl, deadPort) {
  const args = [BIN, 'run', file, '--host', '127.0.0.1', '--port', 'api=0', '--port', 'tools=0', '--upstream', `up=${upstreamUrl}/base`, '--upstream', `dead=http://127.0.0.1:${deadPort}/base`, '--timeout', String(TIMEOUT), '--log-level', 'error'];
  const env = { PATH: process.env.PATH ?? '', ...(opts['gateway-node-options'] ? { NODE_OPTIONS: opts['gateway-node-options'] } : {}) };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errText = '';
  let logBytes = 0;
  child.stdout.setEncoding('utf8').on('data', (d) => {
    logBytes += d.length;
    if (out.length < 64 * 1024) out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d) => {
    logBytes += d.length;
    if (errText.length < 64 * 1024) errText += d;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`capstan run did not start\n${out}\n${errText}`));
    }, 30_000);
    const check = () => {
      const rest = /^rest\s+api\s+(\S+)$/m.exec(errText)?.[1];
      const mcp = /^mcp\s+tools\s+(\S+)$/m.exec(errText)?.[1];
      if (rest && mcp) {
        clearTimeout(timer);
        child.stderr.off('data', check);
        resolve({ child, rest, mcp, exited, alive: () => child.exitCode === null && child.signalCode === null, logs: () => out + errText, logBytes: () => logBytes });
      }
    };
    child.stderr.on('data', check);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`capstan run exited (${code ?? signal})\n${out}\n${errText}`));
    });
  });
}

function processStats(pid) {
  const stats = { rssKiB: -1, fds: -1, threads: -1 };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    stats.rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? -1);
    stats.threads = Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? -1);
    stats.fds = readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    // not Linux, or the process is gone
  }
  return stats;
}

// ---- load -------------------------------------------------------------------------------------

/** One request with a hard client-side deadline; resolves { status, body, ms } or { error, ms }. */
function send(base, method, path, headers, body, deadlineMs) {
  const { hostname, port } = new URL(base);
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      resolve({ ...r, ms: performance.now() - started });
    };
    const req = httpRequest({ host: hostname, port, method, path, headers: { connection: 'close', ...headers }, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish({ error: e.code ?? e.message }));
    });
    req.setTimeout(deadlineMs, () => req.destroy(Object.assign(new Error('client deadline'), { code: 'CLIENT_DEADLINE' })));
    req.on('error', (e) => finish({ error: e.code ?? e.message }));
    req.end(body);
  });
}

/** Expected REST answer per fault (status) and MCP tool-error text. */
const EXPECT = {
  ok: { status: 200, mcp: null },
  hang: { status: 504, mcp: /^Upstream timeout/ },
  'slow-headers': { status: 504, mcp: /^Upstream timeout/ },
  'stall-body': { status: 504, mcp: /^Upstream timeout/ },
  reset: { status: 502, mcp: /^Upstream unavailable/ },
  'server-error': { status: 503, mcp: /down/ },
  'truncated-json': { status: 502, mcp: /^Upstream unreadable answer/ },
  html: { status: 502, mcp: /^Upstream unreadable answer/ },
  redirect: { status: 502, mcp: /^Upstream redirect/ },
  huge: { status: 502, mcp: /^Upstream answer too large/ },
};
/** Weighted mix of faults (most traffic healthy; slow and huge ones rarer, they cost time or bandwidth). */
const MIX = [
  ['ok', 60], ['server-error', 5], ['truncated-json', 4], ['html', 4], ['redirect', 4], ['reset', 4], ['hang', 2], ['slow-headers', 2], ['stall-body', 2], ['huge', 1], ['dead', 3], ['echo', 6], ['session', 3],
];
const TOTAL_WEIGHT = MIX.reduce((n, [, w]) => n + w, 0);
function pick() {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [kind, w] of MIX) if ((r -= w) < 0) return kind;
  return 'ok';
}

const counts = new Map(); // "REST ok 200" → n
const unexpected = new Map(); // kind → { n, example }
const latencies = new Map(); // "REST ok" → number[] (sampled)
let total = 0;
function record(label, outcome, ok, example, ms) {
  counts.set(`${label} ${outcome}`, (counts.get(`${label} ${outcome}`) ?? 0) + 1);
  total++;
  const l = latencies.get(label) ?? [];
  if (l.length < 20_000) l.push(ms);
  else l[Math.floor(Math.random() * l.length)] = ms;
  latencies.set(label, l);
  if (!ok) {
    const u = unexpected.get(`${label} ${outcome}`) ?? { n: 0, example };
    u.n++;
    unexpected.set(`${label} ${outcome}`, u);
  }
}

let nextId = 1;
const jsonRpc = (method, params) => JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const DEADLINE = TIMEOUT * 3 + 7_000; // the gateway's overall upstream deadline is connect (5 s) + 2 × timeout

async function restFault(gw, kind) {
  const path = kind === 'dead' ? '/dead' : `/faults/${kind}`;
  const want = kind === 'dead' ? 502 : EXPECT[kind].status;
  const r = await send(gw.rest, 'GET', path, {}, undefined, DEADLINE);
  const outcome = r.error ?? String(r.status);
  record(`REST ${kind}`, outcome, r.status === want, r.error ?? r.body?.slice(0, 200), r.ms);
}

async function mcpFault(gw, kind) {
  const { pathname } = new URL(gw.mcp);
  const tool = kind === 'dead' ? 'dead' : 'fault';
  const r = await send(new URL(gw.mcp).origin, 'POST', pathname, MCP_HEADERS, jsonRpc('tools/call', { name: tool, arguments: kind === 'dead' ? {} : { kind } }), DEADLINE);
  if (r.error) return record(`MCP ${kind}`, r.error, false, r.error, r.ms);
  let result;
  try {
    result = JSON.parse(r.body).result;
  } catch {
    return record(`MCP ${kind}`, `http ${r.status} non-json`, false, r.body.slice(0, 200), r.ms);
  }
  const text = (result?.content ?? []).map((c) => c.text ?? '').join('\n');
  const want = kind === 'dead' ? /^Upstream unavailable/ : EXPECT[kind].mcp;
  const ok = want === null ? !result?.isError : result?.isError === true && want.test(text);
  record(`MCP ${kind}`, result?.isError ? 'isError' : 'result', ok, text.slice(0, 200), r.ms);
}

async function restEcho(gw) {
  const body = JSON.stringify({ body: { n: Math.random(), pad: 'p'.repeat(Math.floor(Math.random() * 4096)) } });
  const r = await send(gw.rest, 'POST', '/echo', { 'content-type': 'application/json' }, body, DEADLINE);
  record('REST echo', r.error ?? String(r.status), r.status === 200, r.error ?? r.body?.slice(0, 200), r.ms);
}

/** A stateful MCP session: initialize, initialized, one call, delete. */
async function mcpSession(gw) {
  const origin = new URL(gw.mcp).origin;
  const path = new URL(gw.mcp).pathname;
  const init = await send(origin, 'POST', path, MCP_HEADERS, jsonRpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'soak', version: '1' } }), DEADLINE);
  const sid = init.headers?.['mcp-session-id'];
  if (!sid) return record('MCP session', init.error ?? `init ${init.status}`, false, init.error ?? init.body?.slice(0, 200), init.ms);
  const h = { ...MCP_HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' };
  await send(origin, 'POST', path, h, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), DEADLINE);
  const call = await send(origin, 'POST', path, h, jsonRpc('tools/call', { name: 'fault', arguments: { kind: 'ok' } }), DEADLINE);
  const del = await send(origin, 'DELETE', path, h, undefined, DEADLINE);
  const ok = call.status === 200 && !JSON.parse(call.body || '{}').result?.isError && del.status === 200;
  record('MCP session', ok ? 'ok' : `call ${call.error ?? call.status} delete ${del.error ?? del.status}`, ok, call.body?.slice(0, 200), init.ms + call.ms + del.ms);
}

async function worker(gw, until) {
  while (Date.now() < until && total < MAX_REQUESTS && gw.alive()) {
    const kind = pick();
    const mcp = Math.random() < 0.45;
    if (kind === 'echo') await restEcho(gw);
    else if (kind === 'session') await mcpSession(gw);
    else if (mcp) await mcpFault(gw, kind);
    else await restFault(gw, kind);
  }
}

const pct = (arr, p) => {
  if (!arr.length) return 0;
  const s = [...arr].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const mib = (kib) => (kib < 0 ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);

// ---- main -------------------------------------------------------------------------------------

const upstream = await startUpstream();
const deadPort = await closedPort();
const dir = mkdtempSync(join(tmpdir(), 'capstan-soak-'));
const file = join(dir, 'soak.yaml');
writeFileSync(file, SPEC);
const gw = await startGateway(file, upstream.url, deadPort);
const pid = gw.child.pid;
console.log(`soak: capstan run pid ${pid}; REST ${gw.rest}; MCP ${gw.mcp}; upstream ${upstream.url}`);
console.log(`soak: ${MINUTES} min, concurrency ${CONCURRENCY}, --timeout ${TIMEOUT} ms, at most ${MAX_REQUESTS} requests`);

// Warm-up (JIT, pools), then the baseline.
await Promise.all(Array.from({ length: 4 }, () => worker(gw, Date.now() + 3_000)));
await sleep(5_000); // idle keep-alive connections close (4 s)
counts.clear();
unexpected.clear();
latencies.clear();
total = 0;
const baseline = processStats(pid);
const samples = [{ t: 0, ...baseline, upstreamOpen: upstream.open() }];
console.log(`soak: start  rss ${mib(baseline.rssKiB)}, fds ${baseline.fds}, threads ${baseline.threads}`);

const started = Date.now();
const until = started + MINUTES * 60_000;
const sampler = setInterval(() => {
  const s = { t: Math.round((Date.now() - started) / 1000), ...processStats(pid), upstreamOpen: upstream.open() };
  samples.push(s);
  const bad = [...unexpected.values()].reduce((n, u) => n + u.n, 0);
  console.log(`soak: t=${s.t}s requests ${total} (${Math.round(total / Math.max(1, s.t))}/s), unexpected ${bad}, rss ${mib(s.rssKiB)}, fds ${s.fds}, upstream conns ${s.upstreamOpen}`);
}, SAMPLE_MS);
// Hot reloads under load: the file changes (a comment is enough to make it a new version) and SIGHUP.
let reloads = 0;
const reloadMs = Number(opts['reload-seconds']) * 1000;
const reloader = reloadMs > 0
  ? setInterval(() => {
    reloads++;
    writeFileSync(file, `${SPEC}\n# reload ${reloads}\n`);
    gw.child.kill('SIGHUP');
  }, reloadMs)
  : undefined;
await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(gw, until)));
clearInterval(sampler);
clearInterval(reloader);
const elapsed = (Date.now() - started) / 1000;
const loaded = processStats(pid);
// Drain: idle upstream connections close after the keep-alive timeout; inbound ones at once.
await sleep(6_000);
const drained = processStats(pid);
const upstreamAfter = upstream.open();
const alive = gw.alive();
gw.child.kill('SIGTERM');
const exit = await Promise.race([gw.exited, sleep(15_000).then(() => ({ code: 'no exit within 15 s' }))]);
if (gw.alive()) gw.child.kill('SIGKILL');
await upstream.close();
rmSync(dir, { recursive: true, force: true });

// ---- report -----------------------------------------------------------------------------------

const maxRss = Math.max(...samples.map((s) => s.rssKiB), loaded.rssKiB);
const maxFds = Math.max(...samples.map((s) => s.fds), loaded.fds);
const badTotal = [...unexpected.values()].reduce((n, u) => n + u.n, 0);
console.log('\n=== soak report ===');
const rejected = (gw.logs().match(/reload \(SIGHUP\) rejected/g) ?? []).length;
console.log(`hot reloads (SIGHUP) ${reloads}, rejected ${rejected}`);
console.log(`duration ${elapsed.toFixed(0)} s, ${total} requests (${(total / elapsed).toFixed(0)}/s), concurrency ${CONCURRENCY}, upstream saw ${upstream.requests()} requests`);
console.log(`gateway RSS   start ${mib(baseline.rssKiB)}, end of load ${mib(loaded.rssKiB)}, max ${mib(maxRss)}, after drain ${mib(drained.rssKiB)}${opts['gateway-node-options'] ? ` (gateway NODE_OPTIONS ${opts['gateway-node-options']})` : ''}`);
console.log(`gateway RSS samples (MiB): ${samples.map((s) => (s.rssKiB / 1024).toFixed(0)).join(' ')}`);
console.log(`gateway fds   start ${baseline.fds}, end of load ${loaded.fds}, max ${maxFds}, after drain ${drained.fds}`);
console.log(`upstream connections open after drain: ${upstreamAfter}; gateway alive at the end: ${alive}; exit on SIGTERM: ${JSON.stringify(exit)}; log bytes ${gw.logBytes()}`);
console.log('outcomes by kind (label, outcome, count, p50/p99 ms):');
const labels = [...new Set([...counts.keys()].map((k) => k.split(' ').slice(0, 2).join(' ')))].sort();
for (const label of labels) {
  const outcomes = [...counts.entries()].filter(([k]) => k.startsWith(`${label} `)).map(([k, n]) => `${k.slice(label.length + 1)}×${n}`).join(', ');
  const l = latencies.get(label) ?? [];
  console.log(`  ${label.padEnd(22)} ${outcomes.padEnd(34)} p50 ${pct(l, 50).toFixed(0)} / p99 ${pct(l, 99).toFixed(0)}`);
}
console.log(`unexpected outcomes: ${badTotal}`);
for (const [k, u] of unexpected) console.log(`  ${k}: ${u.n} (e.g. ${JSON.stringify(u.example)})`);
const fdsOk = drained.fds < 0 || drained.fds <= baseline.fds + 4;
const pass = alive && badTotal === 0 && fdsOk && rejected === 0;
console.log(`verdict: ${pass ? 'PASS' : 'FAIL'} (alive ${alive}, unexpected ${badTotal}, fds back to baseline ${fdsOk}, reloads rejected ${rejected})`);
process.exitCode = pass ? 0 : 1;
