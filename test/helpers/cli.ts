/** Runs the built CLI to completion as a child process, as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The `capstan` command as users run it: the bundle of the built CLI (`packages/cli/scripts/bundle.mjs`). */
export const BIN = fileURLToPath(new URL('../../packages/cli/dist/bundle/capstan.js', import.meta.url));
/** The built CLI before bundling (`packages/cli/dist/bin.js`): each module a file of its own. */
export const UNBUNDLED_BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** A minimal environment for child processes (PATH and `extra`): nothing from the developer's shell leaks in. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}), ...extra };
}

/** Runs `capstan ...args` to completion (blocking). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** What `runCliAsync` gives: the exit code (null when killed), each stream, and both interleaved as written. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/**
 * Runs `capstan ...args` to completion without blocking (several may run side by side), e.g. a
 * `capstan run` expected to exit by itself; SIGKILLed after `timeoutMs`. `env` is the whole
 * environment (default: this process's).
 */
export function runCliAsync(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliOutcome> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome: CliOutcome = { code: null, stdout: '', stderr: '', output: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    outcome.stdout += d;
    outcome.output += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    outcome.stderr += d;
    outcome.output += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ...outcome, code });
    });
  });
}
