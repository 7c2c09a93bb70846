/**
 * A real `haproxy` for tests on a random loopback port, started and stopped by the test (never
 * left behind). `HAPROXY` is the binary's path, empty when absent (suites skip with a message
 * then; CI installs it). redis-server: `redis-server.ts`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { closedPort } from './upstream.js';
import { tempSpecDir } from './tmp.js';
import { sleep } from './wait.js';

function which(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export const HAPROXY = which('haproxy');

/** A daemon the test started. */
export interface Daemon {
  port: number;
  child: ChildProcess;
  /** Stops it (SIGTERM, SIGKILL after 2 s) and waits for the exit. */
  stop(): Promise<void>;
}

/** Resolves once something accepts connections on `port` (rejects after `ms`). */
export async function listening(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await sleep(25);
  }
}

function daemon(child: ChildProcess, port: number): Daemon {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * HAProxy balancing round-robin over `backends` (loopback ports), with fast (TCP) health checks so a
 * killed backend leaves the rotation within a second, and a retry of requests whose connection
 * was refused on another backend. The same configuration as `deploy/haproxy.cfg`, on test ports.
 */
export async function startHaproxy(backends: number[]): Promise<Daemon & { url: string }> {
  const port = await closedPort();
  const servers = backends.map((b, i) => `  server replica${i + 1} 127.0.0.1:${b} check inter 300ms fall 1 rise 2`).join('\n');
  const config = `global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option http-server-close
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response
frontend mcp
  bind 127.0.0.1:${port}
  default_backend replicas
backend replicas
  balance roundrobin
${servers}
`;
  const file = join(tempSpecDir({ 'haproxy.cfg': config }), 'haproxy.cfg');
  const child = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  try {
    await listening(port);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`haproxy did not start: ${err || (e as Error).message}`);
  }
  return { ...daemon(child, port), url: `http://127.0.0.1:${port}` };
}
