/** The tutorial of `../shared` (see ./shared.ts): its folder and its local mock APIs (`mock-apis/serve.mjs`). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SHARED_DIR } from './shared.js';

/** `../shared/tutorial` */
export const TUTORIAL_DIR = join(SHARED_DIR, 'tutorial');

/** Where the mock serves each consumed namespace (`/rest/<api title>/<version>`, as the baseUris of the step files). */
export const MOCK_PATHS: Record<string, string> = {
  registry: '/rest/naftiko-shipyard-maritime-registry-api/1.0.0-alpha2',
  legacy: '/rest/naftiko-shipyard-legacy-dockyard-api/1.0.0-alpha2',
};

/** One request as the mock records it. */
export interface MockRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** The tutorial's local mock APIs, running. */
export interface TutorialMock {
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** Requests recorded since the last `clear()`. */
  requests(): Promise<MockRequest[]>;
  clear(): Promise<void>;
  /** SIGTERM; resolves when it has exited (or after 3 s). */
  stop(): Promise<void>;
}

/** Starts `serve.mjs --port 0` and reads its base URL (its first stdout line). */
export async function startTutorialMock(serveScript = join(TUTORIAL_DIR, 'mock-apis', 'serve.mjs')): Promise<TutorialMock> {
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
      const exited = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      child.kill('SIGTERM');
      await exited;
    },
  };
}
