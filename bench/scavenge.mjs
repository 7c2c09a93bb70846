// What each scavenge (young-generation GC) promotes to old space under load: objects that outlive
// two scavenges are promoted, so a request path that keeps per-request objects reachable for a
// while (a listener, a map entry released late) shows up here as promoted bytes per scavenge.
//   node bench/scavenge.mjs [rest|proxy] [seconds=5] [TREE...]
// Starts `capstan run` of this tree (and of each TREE, a built checkout) with --trace-gc-nvp on the
// scenario's capability, drives it with 16 connections for `seconds` after a 1 s warm-up, and prints
// per tree: requests/s, scavenges, median promoted bytes and median pause per scavenge, and the
// hand-written route's figures under the same flags as the yardstick.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { cannon, CLI, cliOf, fmt, HOST, killAll, median, portLine, spawnNode, stop } from './lib.mjs';

const [scenario = 'rest', secondsArg = '5', ...trees] = process.argv.slice(2);
const seconds = Number(secondsArg);
process.on('exit', killAll);
const TOKEN = 'bench-token';

/** Spawns a node process with GC tracing; collects the scavenge lines; resolves when `ready` sees its stderr line. */
function traced(args, readyFrom, ready) {
  const child = spawn(process.execPath, ['--trace-gc-nvp', ...args], { cwd: join(import.meta.dirname, '..'), env: { ...process.env, PARAGON_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  const scavenges = [];
  let counting = false;
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    out += c;
    const lines = out.split('\n');
    out = lines.pop();
    for (const line of lines) {
      if (!counting || !/\bgc=s\b/.test(line)) continue;
      const promoted = /\bpromoted=(\d+)/.exec(line);
      const pause = /\bpause=([\d.]+)/.exec(line);
      if (promoted) scavenges.push({ promoted: Number(promoted[1]), pause: Number(pause?.[1] ?? 0) });
    }
  });
  return new Promise((res, rej) => {
    let text = '';
    const onData = (c) => {
      text += c;
      const value = ready(text.split('\n'));
      if (value === undefined) return;
      child[readyFrom].off('data', onData);
      child[readyFrom].resume();
      child.off('exit', onExit);
      res({ child, value, scavenges, count: (on) => { counting = on; } });
    };
    const onExit = (code) => rej(new Error(`${args[0]} exited with ${code} before it was ready`));
    child[readyFrom].setEncoding('utf8').on('data', onData);
    child.on('exit', onExit);
  });
}

const up = await spawnNode(['bench/upstream.mjs'], { ready: portLine, name: 'mock upstream' });
const UP = `http://${HOST}:${up.value}`;
const file = scenario === 'proxy' ? 'specs/paragon-proxy.yaml' : 'bench/fleet.yaml';
const ns = scenario === 'proxy' ? 'paragon-rest' : 'fleet-rest';
const capstan = (cli) => traced([cli, 'run', file, '--host', HOST, '--port', `${ns}=0`, '--upstream', UP, '--log-level', 'silent', '--port', `${scenario === 'proxy' ? 'paragon-mcp' : 'fleet-mcp'}=0`], 'stderr', (seen) => {
  for (const l of seen) {
    const m = new RegExp(`^rest\\s+${ns}\\s+(\\S+)$`).exec(l);
    if (m) return m[1].replace('//localhost:', `//${HOST}:`);
  }
  return undefined;
});
const hand = () => traced(['bench/servers.mjs', 'handwritten', UP], 'stdout', (seen) => {
  for (const l of seen) {
    const p = portLine(l);
    if (p !== undefined) return `http://${HOST}:${p}`;
  }
  return undefined;
});
const requests = [
  { method: 'GET', path: '/projects/bench/sdk/proxy/slack/api/conversations.list?limit=20&cursor=abc' },
  { method: 'POST', path: '/projects/bench/sdk/proxy/slack/api/chat.postMessage', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'general', text: 'hello' }) },
];
const load = (base, s) => (scenario === 'proxy' ? cannon({ url: base, requests, connections: 16, seconds: s }) : cannon({ url: `${base}/ships`, connections: 16, seconds: s }));

const targets = [['this tree', () => capstan(CLI)], ...trees.map((t) => [t, () => capstan(cliOf(resolve(t)))]), ['hand-written', hand]];
for (const [name, start] of targets) {
  const t = await start();
  await load(t.value, 1);
  t.count(true);
  const r = await load(t.value, seconds);
  t.count(false);
  const s = t.scavenges;
  process.stdout.write(`${name.padEnd(32)} ${fmt(r.rps, 0).padStart(6)} req/s  scavenges ${String(s.length).padStart(4)} (${fmt(s.length / Math.max(1, r.ok) * 1000, 2)} per 1000 req)  promoted median ${String(median(s.map((x) => x.promoted))).padStart(7)} B  pause median ${fmt(median(s.map((x) => x.pause)))} ms\n`);
  await stop(t.child);
}
await stop(up.child);
process.exit(0);
