/**
 * `capstan run` (the built CLI) as a long-lived child process, the way a user starts it, and the
 * adapter lines it prints on stderr (`rest|mcp|skill|control <namespace> <url>`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { vi } from 'vitest';
import { BIN, REPO_ROOT, childEnv } from './cli.js';

// Hooks start `capstan run` child processes: leave room for a loaded machine.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 30_000 });

/** One adapter line printed by `capstan run`. */
export interface PrintedAdapter {
  type: string;
  namespace: string;
  /** The URL as printed. */
  printed: string;
  /** The same URL with a wildcard or `localhost` host replaced by 127.0.0.1, for connecting. */
  url: string;
  /** The whole line. */
  line: string;
}

/** How the process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `capstan run`. */
export interface CapstanRun {
  child: ChildProcess;
  pid: number;
  /** The adapter lines printed so far, in order. */
  adapters: PrintedAdapter[];
  /** REST adapter namespace → URL as printed. */
  rest: Record<string, string>;
  /** MCP adapter namespace → URL as printed. */
  mcp: Record<string, string>;
  /** Everything written so far to stdout. */
  stdout(): string;
  /** Everything written so far to stderr. */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** True while the process runs. */
  alive(): boolean;
  /** Sends `signal` (default SIGTERM) unless it has exited, SIGKILL after `graceMs`; resolves with the exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

export interface SpawnOptions {
  /** Namespaces whose adapter line start-up waits for (other adapters, such as `skill`, may be optional). */
  waitFor: string[];
  /** The whole environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Default: the repository root. */
  cwd?: string;
  /** Once every awaited line is there, wait until no further adapter line arrived for this long (default 0). */
  settleMs?: number;
  /** Give up (SIGKILL, reject with the output) when start-up takes longer (default 20 s). */
  startTimeoutMs?: number;
  /** Close the read end of the child's stdout at once (a log reader that went away). */
  closeStdout?: boolean;
  /** The CLI to run (default: the bundle, `BIN`) and node arguments before it. */
  bin?: string;
  nodeArgs?: string[];
}

function connectable(url: string): string {
  return url.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\]|localhost)(?=[:/])/, '$1127.0.0.1');
}

/**
 * Starts `capstan run ...args` exactly as given. Resolves once every namespace of `waitFor` has
 * printed its line (and `settleMs` passed quietly); rejects with the output when the process
 * exits first or `startTimeoutMs` passes.
 */
export async function spawnCapstanRun(args: string[], options: SpawnOptions): Promise<CapstanRun> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.bin ?? BIN, 'run', ...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.closeStdout) child.stdout!.destroy();
  let out = '';
  let err = '';
  let partial = '';
  const adapters: PrintedAdapter[] = [];
  const rest: Record<string, string> = {};
  const mcp: Record<string, string> = {};
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 12_000): Promise<Exit> => {
    if (alive()) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const settleMs = options.settleMs ?? 0;
  await new Promise<void>((resolve, reject) => {
    let settle: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      clearTimeout(settle);
      child.kill('SIGKILL');
      reject(new Error(`capstan run did not print its adapters within ${startTimeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, startTimeoutMs);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    const check = () => {
      const seen = new Set(adapters.map((a) => a.namespace));
      if (!options.waitFor.every((ns) => seen.has(ns))) return;
      clearTimeout(settle);
      if (settleMs > 0) settle = setTimeout(ready, settleMs);
      else ready();
    };
    const onLine = (line: string) => {
      const m = /^(\w+)\s+(\S+)\s+(https?:\/\/\S+)\s*$/.exec(line);
      if (!m) return;
      const [, type, namespace, printed] = m as unknown as [string, string, string, string];
      adapters.push({ type, namespace, printed, url: connectable(printed), line });
      if (type === 'rest') rest[namespace] = printed;
      if (type === 'mcp') mcp[namespace] = printed;
      check();
    };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    // Adapter lines go to stderr: stdout carries JSON log lines only.
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      partial += d;
      for (let i = partial.indexOf('\n'); i >= 0; i = partial.indexOf('\n')) {
        onLine(partial.slice(0, i).replace(/\r$/, ''));
        partial = partial.slice(i + 1);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      clearTimeout(settle);
      reject(new Error(`capstan run exited (${code ?? signal}) before it was ready\nstdout:\n${out}\nstderr:\n${err}`));
    });
    if (options.waitFor.length === 0) check();
  });
  return { child, pid: child.pid!, adapters, rest, mcp, stdout: () => out, stderr: () => err, exited, alive, stop };
}

export interface RunOptions {
  /** Every adapter namespace of the files: each gets `--port NS=0` (unless `ports` says otherwise), and start-up waits for its line. */
  namespaces: string[];
  /** Variables added to a minimal environment (`childEnv`): nothing from the developer's shell leaks in. */
  env?: Record<string, string>;
  /** `--upstream URL` (every namespace), or NAMESPACE → URL (key `*`: every namespace). */
  upstream?: string | Record<string, string>;
  /** `--timeout MS` (upstream calls). */
  timeoutMs?: number;
  /** Explicit ports instead of 0 (port sharing); `'spec'` passes no `--port` (the file's own port is used). */
  ports?: Record<string, number | 'spec'>;
  /** `--log-level` (default warn). */
  logLevel?: string;
  /** Further arguments, last. */
  args?: string[];
}

/**
 * Starts `capstan run FILES --host 127.0.0.1 --log-level warn --port NS=0 …` (loopback only, every
 * port chosen by the OS) and waits for every namespace's adapter line.
 */
export function startCapstan(files: string[], options: RunOptions): Promise<CapstanRun> {
  const args = [...files, '--host', '127.0.0.1', '--log-level', options.logLevel ?? 'warn'];
  for (const ns of options.namespaces) if (options.ports?.[ns] !== 'spec') args.push('--port', `${ns}=${options.ports?.[ns] ?? 0}`);
  if (typeof options.upstream === 'string') args.push('--upstream', options.upstream);
  else for (const [ns, url] of Object.entries(options.upstream ?? {})) args.push('--upstream', ns === '*' ? url : `${ns}=${url}`);
  if (options.timeoutMs !== undefined) args.push('--timeout', String(options.timeoutMs));
  args.push(...(options.args ?? []));
  return spawnCapstanRun(args, { waitFor: options.namespaces, env: childEnv(options.env) });
}
