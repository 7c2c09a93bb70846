// CPU profile of Capstan's gateway under one benchmark load, summarised.
//   node bench/profile.mjs rest|proxy|mcp|mcp-stateless|start1|start200|hand-rest|hand-proxy [seconds=10]
// Runs `capstan run` with --cpu-prof (profiles land in bench/.generated/profiles/), drives the
// scenario's load on loopback for `seconds` (start200: no load, the start of the 200-capability
// folder until every adapter answers; start1: bench/fleet.yaml), stops it, and prints where the time went: by package,
// the heaviest functions by self time, and Capstan's own functions by inclusive time.
// hand-rest and hand-proxy profile the hand-written fastify + undici server instead, to compare.
//   node bench/profile.mjs summary FILE.cpuprofile    summarises an existing profile
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityFolder } from './generate.mjs';
import { cannon, CLI, freePortRange, HOST, killAll, portLine, ROOT, sleep, spawnNode, startCapstan, stop, UNBUNDLED_CLI } from './lib.mjs';
import { openSession, statelessHeaders, toolCallRequests } from './mcp.mjs';

// The unbundled CLI by default, so time is told apart by package; `--bundled` profiles the bundle users run.
const bundled = process.argv.includes('--bundled');
const [, , scenario = 'rest', arg = '10'] = process.argv.filter((a) => a !== '--bundled');
const cli = bundled ? CLI : UNBUNDLED_CLI;
process.on('exit', killAll);

/** Package (or runtime part) a profile URL belongs to. */
function bucket(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/builtin)';
  const pnpm = /node_modules\/\.pnpm\/((?:@[^+/]+\+)?[^@/]+)@/.exec(url);
  if (pnpm) return pnpm[1].replace('+', '/');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const ours = /packages\/([^/]+)\/dist\/(.+)$/.exec(url);
  if (ours) return `capstan/${ours[1]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url.replace(/^file:\/\//, '').replace(ROOT, '.');
}

export function summarize(file, { top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const cf = n.callFrame;
    const where = cf.url ? `${cf.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')}:${cf.lineNumber + 1}` : '';
    return `${cf.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map();
  const inclusive = new Map();
  const pkgSelf = new Map();
  const pkgIncl = new Map();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i]);
    if (!leaf) continue;
    if (leaf.callFrame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    const leafPkg = bucket(leaf.callFrame.url, leaf.callFrame.functionName);
    pkgSelf.set(leafPkg, (pkgSelf.get(leafPkg) ?? 0) + dt);
    const seenFns = new Set();
    const seenPkgs = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      const k = key(n);
      if (!seenFns.has(k)) {
        seenFns.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
      const p = bucket(n.callFrame.url, n.callFrame.functionName);
      if (!seenPkgs.has(p)) {
        seenPkgs.add(p);
        pkgIncl.set(p, (pkgIncl.get(p) ?? 0) + dt);
      }
    }
  }
  const pct = (ms) => `${((100 * ms) / total).toFixed(1).padStart(5)}%`;
  const lines = [`profile ${file.replace(`${ROOT}/`, '')}: ${total.toFixed(0)} ms on CPU, ${idle.toFixed(0)} ms idle`];
  lines.push('\nby package, self time (inclusive in brackets):');
  for (const [p, ms] of [...pkgSelf].sort((a, b) => b[1] - a[1]).slice(0, 18)) lines.push(`  ${pct(ms)}  [${pct(pkgIncl.get(p) ?? 0)}]  ${p}`);
  lines.push(`\ntop ${top} functions by self time:`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${k}`);
  lines.push('\nCapstan functions by inclusive time:');
  for (const [k, ms] of [...inclusive].filter(([k]) => /^\S+ packages\//.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${k}`);
  return lines.join('\n');
}

async function main() {
  if (scenario === 'summary') {
    process.stdout.write(`${summarize(arg)}\n`);
    return;
  }
  const seconds = Number(arg);
  const dir = join(ROOT, 'bench/.generated/profiles', scenario);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir];
  const up = await spawnNode(['bench/upstream.mjs'], { ready: portLine, name: 'mock upstream' });
  const UP = `http://${HOST}:${up.value}`;
  const C = 16;
  let cap;
  if (scenario === 'start200') {
    const gen = join(ROOT, 'bench/.generated/caps-200-profile');
    rmSync(gen, { recursive: true, force: true });
    const base = await freePortRange(400);
    capabilityFolder(gen, { count: 200, operations: 5000, basePort: base, address: HOST });
    const t0 = performance.now();
    cap = await startCapstan([gen], { upstream: UP, adapters: 400, nodeArgs, cli });
    process.stdout.write(`200 capabilities: every adapter listed after ${(performance.now() - t0).toFixed(0)} ms\n`);
  } else if (scenario === 'start1') {
    const t0 = performance.now();
    cap = await startCapstan(['bench/fleet.yaml'], { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstream: UP, adapters: 2, nodeArgs, cli });
    process.stdout.write(`1 capability: adapters listed after ${(performance.now() - t0).toFixed(0)} ms\n`);
  } else if (scenario === 'hand-rest') {
    cap = await spawnNode([...nodeArgs, 'bench/servers.mjs', 'handwritten', UP], { ready: portLine });
    const r = await cannon({ url: `http://${HOST}:${cap.value}/ships`, connections: C, seconds });
    process.stdout.write(`hand-written rest: ${r.rps.toFixed(0)} req/s under the profiler\n`);
  } else if (scenario === 'proxy' || scenario === 'hand-proxy') {
    let origin;
    if (scenario === 'proxy') {
      cap = await startCapstan(['specs/paragon-proxy.yaml'], { ports: { 'paragon-rest': 0, 'paragon-mcp': 0 }, upstream: UP, adapters: 2, env: { PARAGON_TOKEN: 'bench-token' }, nodeArgs, cli });
      origin = cap.value['paragon-rest'];
    } else {
      cap = await spawnNode([...nodeArgs, 'bench/servers.mjs', 'handwritten', UP], { ready: portLine, env: { PARAGON_TOKEN: 'bench-token' } });
      origin = `http://${HOST}:${cap.value}`;
    }
    const r = await cannon({
      url: origin, connections: C, seconds,
      requests: [
        { method: 'GET', path: '/projects/bench/sdk/proxy/slack/api/conversations.list?limit=20&cursor=abc' },
        { method: 'POST', path: '/projects/bench/sdk/proxy/slack/api/chat.postMessage', headers: { 'content-type': 'application/json' }, body: '{"channel":"general","text":"hello"}' },
      ],
    });
    process.stdout.write(`${scenario}: ${r.rps.toFixed(0)} req/s under the profiler\n`);
  } else {
    const stateless = scenario === 'mcp-stateless';
    cap = await startCapstan(['bench/fleet.yaml'], { ports: { 'fleet-rest': 0, 'fleet-mcp': 0 }, upstream: UP, adapters: 2, extra: stateless ? ['--mcp-stateless'] : [], nodeArgs, cli });
    if (scenario === 'rest') {
      const r = await cannon({ url: `${cap.value['fleet-rest']}/ships`, connections: C, seconds });
      process.stdout.write(`rest: ${r.rps.toFixed(0)} req/s under the profiler\n`);
    } else {
      const mcp = cap.value['fleet-mcp'];
      const headers = stateless ? statelessHeaders() : await openSession(mcp);
      const r = await cannon({ url: mcp.replace(/\/mcp$/, ''), requests: toolCallRequests(headers, 'list-ships'), connections: C, seconds });
      process.stdout.write(`${scenario}: ${r.rps.toFixed(0)} calls/s under the profiler\n`);
    }
  }
  await sleep(200);
  await stop(cap.child, 20_000);
  await stop(up.child);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  if (!files.length) throw new Error(`no profile was written to ${dir}`);
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  process.stdout.write(`${summarize(newest)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
