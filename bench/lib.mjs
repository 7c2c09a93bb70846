// Shared pieces of the benchmark: child processes, the load generators, statistics.
// Every server the bench starts listens on 127.0.0.1 and every request it sends goes there.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The `capstan` command of a checkout: its bundle, or the unbundled CLI of a tree built before bundles existed. */
export function cliOf(tree) {
  const bundle = join(tree, 'packages/cli/dist/bundle/capstan.js');
  return existsSync(bundle) ? bundle : join(tree, 'packages/cli/dist/bin.js');
}
export const CLI = cliOf(ROOT);
/** This tree's CLI before bundling: one file per module (module loading and profiles by package). */
export const UNBUNDLED_CLI = join(ROOT, 'packages/cli/dist/bin.js');
export const HOST = '127.0.0.1';

// ---- statistics ---------------------------------------------------------------------------

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The q-quantile (0..1) of an unsorted sample, nearest rank. */
export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- processes ----------------------------------------------------------------------------

const children = new Set();

/** Spawns a node process; resolves once `ready(line)` returns a value for one of its stdout (or `readyFrom`) lines. */
export function spawnNode(args, { env = {}, ready, timeoutMs = 30_000, name = args[0], readyFrom = 'stdout' } = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
  if (!ready) return Promise.resolve({ child, value: undefined });
  return new Promise((resolve, reject) => {
    let buffer = '';
    let done = false;
    const seen = [];
    const timer = setTimeout(() => fail(new Error(`${name} did not become ready in ${timeoutMs} ms`)), timeoutMs);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    };
    child.on('exit', (code) => fail(new Error(`${name} exited with ${code} before it was ready`)));
    child[readyFrom].on('data', (chunk) => {
      if (done) return undefined;
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        seen.push(line);
        const value = ready(line, seen);
        if (value !== undefined) {
          done = true;
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.on('exit', () => children.delete(child));
          child.stdout.resume();
          child.stderr.resume();
          return resolve({ child, value });
        }
      }
      return undefined;
    });
  });
}

/** For children that print `{"port":N}` once listening. */
export const portLine = (line) => {
  try {
    const { port } = JSON.parse(line);
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
};

/** For `capstan run`: waits for `count` adapter lines; returns namespace → URL. */
export const adapterLines = (count) => (_line, seen) => {
  const urls = {};
  for (const l of seen) {
    const m = /^(rest|mcp)\s+(\S+)\s+(\S+)$/.exec(l);
    if (m) urls[m[2]] = m[3].replace('//localhost:', `//${HOST}:`);
  }
  return Object.keys(urls).length >= count ? urls : undefined;
};

/** Starts `capstan run` with the given extra arguments (logging off); `cli` runs another tree's build (`bench/ab.mjs`). */
export function startCapstan(files, { ports = {}, upstream, extra = [], adapters, env = {}, nodeArgs = [], cli = CLI }) {
  const args = [...nodeArgs, cli, 'run', ...files, '--host', HOST, ...Object.entries(ports).flatMap(([ns, p]) => ['--port', `${ns}=${p}`]),
    ...(upstream ? ['--upstream', upstream] : []), '--log-level', 'silent', ...extra];
  // Capstan prints its adapter lines on stderr (stdout is JSON logs only).
  return spawnNode(args, { env, ready: adapterLines(adapters), name: 'capstan run', timeoutMs: 60_000, readyFrom: 'stderr' });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stop(child, graceMs = 12_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Kills every child still running (on exit or failure); only processes this bench started. */
export function killAll() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

/** Resident set size (and its peak) of a process, in MB, from /proc. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (NaN elsewhere): all its
 * threads, or with `mainThread` only the JavaScript thread's (not V8's GC helpers and libuv's
 * pool), which bounds how soon a busy process can answer on a loaded machine.
 */
export function cpuMsOf(pid, { mainThread = false } = {}) {
  try {
    const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch { /* the usual Linux value */ }

/** A port free right now on 127.0.0.1 (for processes whose port must be known before they start). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `count` consecutive ports free on 127.0.0.1, searched from a pseudo-random base. */
export async function freePortRange(count) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const held = [];
    let ok = true;
    for (let p = base; p < base + count; p++) {
      const s = createServer();
      const bound = await new Promise((resolve) => {
        s.once('error', () => resolve(false));
        s.listen(p, HOST, () => resolve(true));
      });
      if (!bound) {
        ok = false;
        break;
      }
      held.push(s);
    }
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

// ---- machine ------------------------------------------------------------------------------

export function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch { /* not Linux */ }
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch { /* keep os.cpus() */ }
  return { nproc, cpu, node: process.version, platform: `${process.platform} ${process.arch}` };
}

/** Load average, and processes outside this bench that were using CPU (ps's %CPU, lifetime average). */
export function machineLoad() {
  const [one, five, fifteen] = loadavg();
  let busy = [];
  try {
    const mine = new Set([process.pid, ...[...children].map((c) => c.pid)]);
    const out = execFileSync('ps', ['-eo', 'pid,ppid,pcpu,etimes,comm', '--sort=-pcpu'], { encoding: 'utf8' });
    busy = out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter(([pid, ppid, pcpu]) => !mine.has(Number(pid)) && !mine.has(Number(ppid)) && Number(pcpu) >= 5)
      .slice(0, 5).map(([pid, , pcpu, , comm]) => `${comm}(${pid}) ${pcpu}%`);
  } catch { /* no ps */ }
  return { loadavg: [one, five, fifteen].map((x) => Math.round(x * 100) / 100), otherBusyProcesses: busy };
}

// ---- load generation ----------------------------------------------------------------------

/**
 * One autocannon run against `url`, bounded by `seconds` and by `maxRequests`. Latency
 * percentiles come from every 2xx response time (autocannon's own histogram is in whole ms).
 */
export function cannon({ url, connections, seconds, requests, method = 'GET', headers, body, maxRequests = 3_000_000 }) {
  return new Promise((resolve, reject) => {
    const times = new Float64Array(Math.min(maxRequests, 4_000_000));
    let n = 0;
    let bad = 0;
    const instance = autocannon({
      url, connections, duration: seconds, pipelining: 1, timeout: 10,
      maxOverallRequests: maxRequests,
      ...(requests ? { requests } : { method, ...(headers ? { headers } : {}), ...(body ? { body } : {}) }),
    }, (err, result) => {
      clearTimeout(watchdog);
      if (err) return reject(err);
      const sorted = times.subarray(0, n).sort();
      return resolve({
        rps: result['2xx'] / result.duration,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        badBodies: bad,
      });
    });
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status >= 200 && status < 300 && n < times.length) times[n++] = responseTime;
    });
    // A second bound on time, in case the target stops answering.
    const watchdog = setTimeout(() => instance.stop(), (seconds + 15) * 1000);
  });
}

/**
 * Drives `call()` from `workers` concurrent loops for `seconds` (and at most `maxCalls` calls):
 * for load through a client library (the MCP SDK client) rather than raw HTTP. Also reports the
 * CPU this process (the load generator) spent per call and its share of one core: a generator
 * near 100 % of its core, or spending more per call than the server, limits the calls/s itself.
 */
export async function drive(call, { workers, seconds, maxCalls = 1_000_000 }) {
  const times = [];
  let failures = 0;
  let issued = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline && issued < maxCalls) {
      issued++;
      const t0 = performance.now();
      try {
        await call();
        times.push(performance.now() - t0);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const clientCpuMs = (cpu.user + cpu.system) / 1000;
  const sorted = Float64Array.from(times).sort();
  return {
    rps: times.length / elapsed, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), ok: times.length, non2xx: 0, errors: failures, timeouts: 0,
    clientCpuMsPerReq: clientCpuMs / Math.max(1, times.length), clientCpuShare: clientCpuMs / (elapsed * 1000),
  };
}

/**
 * A/B/A/B: every round runs each target once, in order; after one warm-up run each. Returns,
 * per target, the medians over the rounds and the rounds themselves. A target with `pid` also
 * gets the CPU time its server process spent per answered request (user + system), which other
 * processes on the machine disturb far less than throughput.
 */
export async function alternate(targets, { rounds, seconds, warmupSeconds, log }) {
  const runs = new Map(targets.map((t) => [t.name, []]));
  for (const t of targets) {
    if (warmupSeconds > 0) await t.run(warmupSeconds);
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      const cpu0 = t.pid ? cpuMsOf(t.pid) : NaN;
      const result = await t.run(seconds);
      result.cpuMsPerReq = t.pid ? (cpuMsOf(t.pid) - cpu0) / Math.max(1, result.ok) : NaN;
      runs.get(t.name).push(result);
      log?.(`  round ${r + 1}/${rounds} ${t.name.padEnd(34)} ${fmt(result.rps, 0).padStart(7)} req/s  p50 ${fmt(result.p50, 2)} ms  p99 ${fmt(result.p99, 2)} ms${Number.isFinite(result.cpuMsPerReq) ? `  cpu ${fmt(result.cpuMsPerReq, 3)} ms/req` : ''}${result.clientCpuMsPerReq !== undefined ? `  client cpu ${fmt(result.clientCpuMsPerReq, 3)} ms/req (${fmt(100 * result.clientCpuShare, 0)} % of a core)` : ''}${result.non2xx || result.errors ? `  (non-2xx ${result.non2xx}, errors ${result.errors})` : ''}`);
    }
  }
  return targets.map((t) => {
    const rs = runs.get(t.name);
    return {
      name: t.name,
      rps: median(rs.map((x) => x.rps)),
      p50: median(rs.map((x) => x.p50)),
      p99: median(rs.map((x) => x.p99)),
      cpuMsPerReq: median(rs.map((x) => x.cpuMsPerReq)),
      ...(rs[0]?.clientCpuMsPerReq !== undefined ? { clientCpuMsPerReq: median(rs.map((x) => x.clientCpuMsPerReq)), clientCpuShare: median(rs.map((x) => x.clientCpuShare)) } : {}),
      non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
      errors: rs.reduce((a, x) => a + x.errors + x.timeouts, 0),
      rounds: rs.map((x) => ({ rps: round(x.rps, 1), p50: round(x.p50, 3), p99: round(x.p99, 3), cpuMsPerReq: round(x.cpuMsPerReq, 4) })),
    };
  });
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);
export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
