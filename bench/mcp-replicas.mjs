// `node bench/mcp-replicas.mjs [--seconds=S] [--warmup=S] [--connections=C] [--replicas=1,3] [--rounds=R]`: MCP tools/call per second through
// HAProxy (round-robin) in front of 1 and then 3 `capstan run --redis` replicas sharing sessions
// through one redis-server, as deployed by deploy/mcp-scale. One stateful session (the answers as
// SSE, each stored in Redis Streams for resumption) driven by C connections. Needs redis-server
// and haproxy on PATH; everything it starts is stopped at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannon, cpuMsOf, fmt, freePort, HOST, killAll, machine, median, ROOT, sleep, startCapstan, stop } from './lib.mjs';
import { callTool, openSession, toolCallRequests } from './mcp.mjs';
import { startUpstream } from './upstream.mjs';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 10);
const connections = arg('connections', 16);
const rounds = arg('rounds', 1);
const warmup = arg('warmup', 15);
const counts = (process.argv.find((a) => a.startsWith('--replicas='))?.split('=')[1] ?? '1,3').split(',').map(Number);
const log = (line = '') => process.stdout.write(`${line}\n`);
process.on('exit', killAll);

async function listening(port) {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`http://${HOST}:${port}/`, { signal: AbortSignal.timeout(200) });
      return;
    } catch (err) {
      if (err.cause?.code !== 'ECONNREFUSED') return;
      await sleep(25);
    }
  }
  throw new Error(`nothing listens on ${port}`);
}

function daemon(command, args) {
  const child = spawn(command, args, { stdio: 'ignore' });
  process.on('exit', () => child.kill('SIGKILL'));
  return child;
}

async function measure(replicaCount, redisUrl, upstreamUrl) {
  const ports = [];
  const replicas = [];
  for (let i = 0; i < replicaCount; i++) {
    const port = await freePort();
    ports.push(port);
    replicas.push(await startCapstan([join(ROOT, 'bench/fleet.yaml')], { ports: { 'fleet-mcp': port, 'fleet-rest': await freePort() }, upstream: upstreamUrl, extra: ['--redis', redisUrl], adapters: 2 }));
  }
  const lbPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'capstan-bench-'));
  const servers = ports.map((p, i) => `  server r${i + 1} ${HOST}:${p} check inter 300ms`).join('\n');
  writeFileSync(join(dir, 'haproxy.cfg'), `global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n  option http-server-close\nfrontend mcp\n  bind ${HOST}:${lbPort}\n  default_backend r\nbackend r\n  balance roundrobin\n${servers}\n`);
  const haproxy = daemon('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db']);
  await listening(lbPort);
  const url = `http://${HOST}:${lbPort}/mcp`;
  const headers = await openSession(url);
  await callTool(url, headers, 'get-ship', { imo: 'IMO-9300000' });
  // Every replica's JIT warms up on its share of the calls: a short warm-up favours one replica.
  await cannon({ url, connections, seconds: warmup, requests: toolCallRequests(headers, 'get-ship', { imo: 'IMO-9300000' }) });
  const cpuBefore = replicas.map((r) => cpuMsOf(r.child.pid));
  const result = await cannon({ url, connections, seconds, requests: toolCallRequests(headers, 'get-ship', { imo: 'IMO-9300000' }) });
  const cpuMs = replicas.reduce((sum, r, i) => sum + cpuMsOf(r.child.pid) - cpuBefore[i], 0);
  result.cpuMsPerCall = cpuMs / result.ok;
  haproxy.kill('SIGTERM');
  await Promise.all(replicas.map((r) => stop(r.child)));
  return result;
}

const redisPort = await freePort();
const redis = daemon('redis-server', ['--port', String(redisPort), '--bind', HOST, '--save', '', '--appendonly', 'no']);
await listening(redisPort).catch(() => undefined);
await sleep(200);
const upstream = await startUpstream();
const upstreamUrl = `http://${HOST}:${upstream.address().port}`;
log(`MCP tools/call through HAProxy, one stateful session, ${connections} connections, ${seconds} s after ${warmup} s of warm-up, ${rounds} round(s) alternating; ${JSON.stringify(machine())}`);
const figures = new Map(counts.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const n of counts) {
    const r = await measure(n, `redis://${HOST}:${redisPort}`, upstreamUrl);
    figures.get(n).push(r.rps);
    log(`  ${n} replica${n > 1 ? 's' : ''}: ${fmt(r.rps, 0)} calls/s (p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms; replicas' CPU ${fmt(r.cpuMsPerCall, 2)} ms per call; ok ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}; load ${loadavg()[0].toFixed(1)})`);
  }
}
for (const [n, rps] of figures) log(`${n} replica${n > 1 ? 's' : ''}: median ${fmt(median(rps), 0)} calls/s over ${rps.length} run(s)`);
upstream.closeAllConnections();
upstream.close();
redis.kill('SIGTERM');
