/**
 * Runs `capstan run` (the built CLI) as a long-lived child process, the way a user starts it,
 * and reads the adapter lines it prints (`rest <ns> <url>`, `mcp <ns> <url>`, `skill <ns> <url>`).
 * Also starts the tutorial's local mock APIs (`../shared/tutorial/mock-apis/serve.mjs`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** One adapter line printed by `capstan run`. */
export interface PrintedAdapter {
  type: string;
  namespace: string;
  /** The URL as printed. */
  printed: string;
  /** The same URL with a wildcard or `localhost` host replaced by 127.0.0.1, for connecting. */
  url: string;
}

/** A running `capstan run`. */
export interface RunningCapstan {
  adapters: PrintedAdapter[];
  /** Everything written so far to stdout and stderr. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

function connectable(url: string): string {
  return url.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\]|localhost)(?=[:/])/, '$1127.0.0.1');
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/**
 * Starts `capstan run ...args`. Resolves once every namespace in `required` has printed its line
 * and no further line arrived for `settleMs` (other adapters, such as `skill`, may be optional).
 * Rejects with the process output when it exits first or `timeoutMs` passes.
 */
export async function startCapstanRun(
  args: string[],
  options: { required: string[]; env?: NodeJS.ProcessEnv; cwd?: string; settleMs?: number; timeoutMs?: number },
): Promise<RunningCapstan> {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const adapters: PrintedAdapter[] = [];
  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, graceMs))) {
      child.kill('SIGKILL');
      await waitExit(child, 2000);
    }
  };
  const ready = new Promise<void>((resolve, reject) => {
    let settle: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => reject(new Error(`capstan run did not print its adapters within ${options.timeoutMs ?? 15000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)), options.timeoutMs ?? 15000);
    const check = () => {
      const seen = new Set(adapters.map((a) => a.namespace));
      if (!options.required.every((ns) => seen.has(ns))) return;
      clearTimeout(settle);
      settle = setTimeout(() => {
        clearTimeout(timeout);
        resolve();
      }, options.settleMs ?? 250);
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout += `${line}\n`;
      const m = /^(\w+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
      if (m && /^https?:\/\//.test(m[3]!)) {
        adapters.push({ type: m[1]!, namespace: m[2]!, printed: m[3]!, url: connectable(m[3]!) });
        check();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(settle);
      reject(new Error(`capstan run exited (${code ?? signal}) before it was ready\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
    if (options.required.length === 0) check();
  });
  try {
    await ready;
  } catch (err) {
    await stop(1000);
    throw err;
  }
  return { adapters, output: () => ({ stdout, stderr }), stop };
}

/** The tutorial's local mock APIs. */
export interface TutorialMock {
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** Requests recorded since the last `clear()`. */
  requests(): Promise<MockRequest[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/** One request as the mock records it. */
export interface MockRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Starts `serve.mjs --port 0` and reads its base URL (its first stdout line). */
export async function startTutorialMock(serveScript: string): Promise<TutorialMock> {
  const child = spawn(process.execPath, [serveScript, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`mock server exited (${code})`)));
  });
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error(`unexpected mock base URL ${base}`);
  return {
    base,
    requests: async () => (await (await fetch(`${base}/__requests`)).json()) as MockRequest[],
    clear: async () => void (await fetch(`${base}/__requests`, { method: 'DELETE' })).arrayBuffer(),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await waitExit(child, 3000);
    },
  };
}
