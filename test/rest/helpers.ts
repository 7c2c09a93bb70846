/**
 * Helpers for the REST adapter tests: `capstan run` as a child process (loopback only, every
 * port chosen by the OS), local upstreams on 127.0.0.1, raw HTTP requests, and problem+json
 * assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

export { REPO_ROOT };

// Hooks start `capstan run` child processes: leave room for a loaded machine.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 30_000 });
export const BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js');
export const SPECS = join(REPO_ROOT, 'specs');

/** Secrets handed to the seed specs through the environment. */
export const SECRETS = {
  PARAGON_TOKEN: 'paragon-proxy-token-7f3a9c',
  PARAGON_USER_TOKEN: 'paragon-user-token-51d2e8',
  COMPOSIO_API_KEY: 'composio-key-0b8e44',
} as const;

/** A minimal environment for child processes: nothing from the developer's shell leaks in. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}), ...extra };
}

/** A running `capstan run`. */
export interface Running {
  child: ChildProcess;
  /** REST adapter namespace → base URL (`http://127.0.0.1:port`). */
  rest: Record<string, string>;
  /** MCP adapter namespace → URL. */
  mcp: Record<string, string>;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface RunOptions {
  /** Every adapter namespace of the files: each gets `--port NS=0`, and start-up waits for its URL line. */
  namespaces: string[];
  env?: Record<string, string>;
  /** `--upstream URL` (every namespace) or NAMESPACE → URL. */
  upstream?: string | Record<string, string>;
  timeoutMs?: number;
  /** Explicit ports instead of 0 (port sharing); `'spec'` passes no `--port` (the file's own port is used). */
  ports?: Record<string, number | 'spec'>;
  args?: string[];
}

/** Starts `capstan run FILES --host 127.0.0.1 --port NS=0 … --log-level warn` and waits for every adapter's URL line. */
export async function startCapstan(files: string[], options: RunOptions): Promise<Running> {
  const args = [BIN, 'run', ...files, '--host', '127.0.0.1', '--log-level', 'warn'];
  for (const ns of options.namespaces) if (options.ports?.[ns] !== 'spec') args.push('--port', `${ns}=${options.ports?.[ns] ?? 0}`);
  if (typeof options.upstream === 'string') args.push('--upstream', options.upstream);
  else for (const [ns, url] of Object.entries(options.upstream ?? {})) args.push('--upstream', `${ns}=${url}`);
  if (options.timeoutMs !== undefined) args.push('--timeout', String(options.timeoutMs));
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const rest: Record<string, string> = {};
  const mcp: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`capstan run did not start within 15 s\nstdout:\n${out}\nstderr:\n${err}`));
    }, 15_000);
    const check = () => {
      for (const m of out.matchAll(/^(rest|mcp)\s+(\S+)\s+(\S+)$/gm)) (m[1] === 'rest' ? rest : mcp)[m[2]!] = m[3]!;
      if (options.namespaces.every((ns) => rest[ns] || mcp[ns])) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`capstan run exited (${code ?? signal}) before starting\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
  return {
    child, rest, mcp, exited,
    stdout: () => out,
    stderr: () => err,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `capstan run` expecting it to exit by itself (start-up failure); gives up after 15 s. */
export async function runToExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

// ---- upstreams ------------------------------------------------------------------------------

/** A recorded upstream request. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local upstream whose answers the test controls. */
export interface Upstream {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

/** Starts an upstream on 127.0.0.1 answering with `handler` (which may answer later). */
export async function startUpstream(handler: (req: Seen, res: ServerResponse) => void): Promise<Upstream> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      handler(r, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An upstream that accepts connections and reads requests but never answers. */
export async function startHangingUpstream(): Promise<Upstream & { connections(): number }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createNetServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen: [],
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound once by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves true when a TCP connection to 127.0.0.1:port is refused, false when it is accepted. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Polls until connections to the port are refused (true) or `ms` pass (false). */
export async function waitRefused(port: number, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await refused(port)) return true;
    await sleep(25);
  }
  return false;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `cond` every 10 ms until it holds or `ms` pass. */
export async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** The port of a base URL. */
export const portOf = (url: string) => Number(new URL(url).port);

// ---- requests -------------------------------------------------------------------------------

/** A raw answer. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a request exactly as written (no URL normalisation, unlike fetch, which resolves
 * `%2e%2e` and the like) with node:http.
 */
export function raw(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: { connection: 'close', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** JSON request helper over fetch. */
export function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Content Too Large',
  414: 'URI Too Long', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway', 504: 'Gateway Timeout',
};

/** A problem+json body. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId?: string;
  errors?: Array<{ name: string; in?: string; message: string }>;
  upstream?: { namespace: string; operation: string; status?: number };
}

/**
 * Checks an RFC 9457 answer: status, media type, `type` slug, title, status member, a detail,
 * and a requestId equal to the `x-request-id` header (unless `noRequestId`).
 */
export function checkProblem(status: number, headers: Headers | IncomingHttpHeaders, text: string, expected: { status: number; slug: string; noRequestId?: boolean }): ProblemBody {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : ((headers[name] as string | undefined) ?? null));
  expect(status, text).toBe(expected.status);
  expect(get('content-type')).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(text) as ProblemBody;
  expect(body.type).toBe(`https://capstan.dev/problems/${expected.slug}`);
  expect(body.title).toBe(TITLES[expected.status]);
  expect(body.status).toBe(expected.status);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  if (!expected.noRequestId) {
    expect(body.requestId).toMatch(/\S/);
    expect(get('x-request-id')).toBe(body.requestId);
  }
  return body;
}

/** `checkProblem` for a fetch Response. */
export async function expectProblem(res: Response, status: number, slug: string): Promise<ProblemBody> {
  return checkProblem(res.status, res.headers, await res.text(), { status, slug });
}

/** Sends JSON. */
export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}
