/** A real `redis-server` on a random loopback port for one suite (no persistence), or a reason to skip. */
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { closedPort } from './upstream.js';
import { sleep } from './wait.js';

/** True when `redis-server` is on PATH (`.ci/run` installs it). */
export const HAVE_REDIS = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0;

/** A running server. */
export interface RedisServer {
  port: number;
  url: string;
  /** Starts `redis-cli monitor`: every command the server runs (those of Lua scripts included), as printed. */
  monitor(): Promise<RedisMonitor>;
  stop(): Promise<void>;
}

/** A running `redis-cli monitor`. */
export interface RedisMonitor {
  /** Stops it and gives the lines it printed. */
  stop(): Promise<string[]>;
}

/** Starts `redis-cli monitor` on `port`; resolves once the server has acknowledged it. */
function startMonitor(port: number): Promise<RedisMonitor> {
  const child = spawn('redis-cli', ['-p', String(port), 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const first = !text;
      text += chunk;
      if (first) resolve({ stop: () => new Promise((done) => (child.once('exit', () => done(text.split('\n').filter(Boolean))), child.kill())) });
    });
  });
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true))).once('error', () => resolve(false));
  });

/** Starts `redis-server` and resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await closedPort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const end = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await sleep(20);
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    monitor: () => startMonitor(port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
