/** Runs `capstan run` as a child process and waits for its adapters to be listening. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A running `capstan run`. */
export interface RunningCapstan {
  proc: ChildProcess;
  /** Adapter URL by namespace, as printed (`rest ns url`). */
  urls: Record<string, string>;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `capstan run ARGS` and resolves once `expected` adapters have printed their URL lines;
 * rejects with the output when the process exits or `timeoutMs` passes first.
 */
export function startCapstan(args: string[], options: { expected: number; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunningCapstan> {
  const proc = spawn(process.execPath, [BIN, 'run', ...args], { cwd: REPO, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const urls: Record<string, string> = {};
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`capstan run did not start in time\nstdout:\n${out}\nstderr:\n${err}`));
    }, options.timeoutMs ?? 15_000);
    const scan = () => {
      for (const m of `${out}\n${err}`.matchAll(/^(rest|mcp|skill)\s+(\S+)\s+(\S+)$/gm)) urls[m[2]!] = m[3]!;
      if (Object.keys(urls).length >= options.expected) {
        clearTimeout(timer);
        resolve({
          proc, urls, stdout: () => out, stderr: () => err,
          stop: () => {
            proc.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      scan();
    });
    proc.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      scan();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`capstan run exited with ${code}\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}
