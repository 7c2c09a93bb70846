/**
 * Shared pieces of the reliability suite: a fault-injecting upstream, a recording "canary"
 * upstream (stands in for another host), `capstan run` as a child process, raw HTTP and raw
 * JSON-RPC helpers. Every server binds 127.0.0.1 and every request goes to 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `cond` until it holds; resolves false after `ms`. */
export async function eventually(cond: () => boolean, ms = 3_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(10);
  }
  return true;
}

// ---- upstreams ------------------------------------------------------------------------------

/** A request as an upstream saw it (raw target, exactly as sent). */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Connection bookkeeping of a test upstream. */
export interface Connections {
  /** Connections accepted so far. */
  opened(): number;
  /** Connections still open now. */
  open(): number;
  /** Highest number of connections open at the same time. */
  peak(): number;
}

function track(server: { on(event: 'connection', l: (s: Socket) => void): unknown }): Connections & { sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  let opened = 0;
  let peak = 0;
  server.on('connection', (s: Socket) => {
    opened++;
    sockets.add(s);
    peak = Math.max(peak, sockets.size);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  return { sockets, opened: () => opened, open: () => sockets.size, peak: () => peak };
}

/** An HTTP upstream whose answers the test controls (default: echo of the request as JSON). */
export interface HttpUpstream extends Connections {
  url: string;
  port: number;
  seen: Seen[];
  reply: (req: Seen, res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startHttpUpstream(reply?: (req: Seen, res: ServerResponse) => void): Promise<HttpUpstream> {
  const seen: Seen[] = [];
  const state = { reply: reply ?? ((req: Seen, res: ServerResponse) => sendJson(res, 200, { echo: req })) };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      state.reply(r, res);
    });
  });
  const conns = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const up: HttpUpstream = {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    get reply() {
      return state.reply;
    },
    set reply(fn) {
      state.reply = fn;
    },
    opened: conns.opened,
    open: conns.open,
    peak: conns.peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of conns.sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return up;
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }).end(body);
}

/** The kinds of misbehaviour the fault upstream can show, chosen by the request path `/…/fault/<kind>`. */
export const FAULTS = ['ok', 'hang', 'slow-headers', 'stall-body', 'trickle', 'reset', 'server-error', 'truncated-json', 'html', 'huge-declared', 'huge-chunked', 'redirect'] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * A raw TCP upstream that misbehaves on purpose. Complete answers carry `Connection: close`, so
 * any connection still open after a fault is one the gateway did not release.
 */
export interface FaultUpstream extends Connections {
  url: string;
  port: number;
  /** Request lines and headers received, in order. */
  seen: Array<{ method: string; target: string; headers: string }>;
  /** Where `redirect` points (another loopback port). */
  redirectTo: string;
  /** Open connections that carried a request (idle spare connections a pool opened are not counted). */
  openCarrying(): number;
  /** Bytes written by the huge answers (to show the gateway stopped reading early). */
  hugeBytesWritten(): number;
  close(): Promise<void>;
}

export const HUGE_BYTES = 11 * 1024 * 1024; // over the executor's default 10 MiB cap

export async function startFaultUpstream(options: { redirectTo: string; slowMs?: number }): Promise<FaultUpstream> {
  const seen: FaultUpstream['seen'] = [];
  let hugeWritten = 0;
  const slowMs = options.slowMs ?? 4_000;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const carrying = new Set<Socket>();
  const server = createNetServer((socket) => {
    let buffered = '';
    let handled = false;
    socket.on('close', () => carrying.delete(socket));
    socket.on('data', (chunk) => {
      if (handled) return;
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      handled = true;
      if (!socket.destroyed) carrying.add(socket);
      const [line = '', ...headerLines] = buffered.slice(0, end).split('\r\n');
      const [method = '', target = ''] = line.split(' ');
      seen.push({ method, target, headers: headerLines.join('\n') });
      const kind = (/\/fault\/([a-z-]+)/.exec(target)?.[1] ?? 'ok') as Fault;
      respond(socket, kind);
    });
  });
  const complete = (socket: Socket, status: string, type: string, body: string | Buffer, extra = '') => {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\ncontent-type: ${type}\r\ncontent-length: ${buf.length}\r\nconnection: close\r\n${extra}\r\n`), buf]));
  };
  const stream = (socket: Socket, head: string) => {
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!socket.destroyed && hugeWritten < HUGE_BYTES * 4) {
        hugeWritten += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };
  const respond = (socket: Socket, kind: Fault) => {
    switch (kind) {
      case 'ok':
        return complete(socket, '200 OK', 'application/json', '{"ok":true}');
      case 'hang':
        return; // accepted and read, never answered
      case 'slow-headers':
        return later(slowMs, () => !socket.destroyed && complete(socket, '200 OK', 'application/json', '{"ok":true}'));
      case 'stall-body':
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"ok":');
        return; // the rest never comes
      case 'trickle': {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
        const drip = () => {
          if (socket.destroyed) return;
          socket.write('1\r\n \r\n');
          later(250, drip);
        };
        return drip();
      }
      case 'reset':
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"ok":true,"pad":"');
        return later(50, () => socket.resetAndDestroy());
      case 'server-error':
        return complete(socket, '503 Service Unavailable', 'application/json', '{"error":"upstream is down for maintenance"}');
      case 'truncated-json':
        return complete(socket, '200 OK', 'application/json', '{"ok": true, "items": [1, 2');
      case 'html':
        return complete(socket, '200 OK', 'text/html; charset=utf-8', '<!doctype html><html><body>Bad gateway page</body></html>');
      case 'huge-declared':
        return stream(socket, `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${HUGE_BYTES}\r\n\r\n`);
      case 'huge-chunked': {
        // No content-length: the cap must be enforced while reading.
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
        const chunk = Buffer.alloc(64 * 1024, 'y');
        const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
        const pump = () => {
          while (!socket.destroyed && hugeWritten < HUGE_BYTES * 4) {
            hugeWritten += chunk.length;
            if (!socket.write(framed)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        return pump();
      }
      case 'redirect':
        return complete(socket, '302 Found', 'application/json', '{}', `location: ${options.redirectTo}/stolen\r\n`);
    }
  };
  const conns = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    redirectTo: options.redirectTo,
    openCarrying: () => carrying.size,
    hugeBytesWritten: () => hugeWritten,
    opened: conns.opened,
    open: conns.open,
    peak: conns.peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of conns.sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- capstan run ----------------------------------------------------------------------------

export interface Gateway {
  child: ChildProcess;
  pid: number;
  rest: Record<string, string>;
  mcp: Record<string, string>;
  stdout(): string;
  stderr(): string;
  /** True while the process runs. */
  alive(): boolean;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface GatewayOptions {
  /** Every adapter namespace: each gets `--port NS=0` and start-up waits for its URL line. */
  namespaces: string[];
  env?: Record<string, string>;
  upstreams?: Record<string, string>;
  timeoutMs?: number;
  logLevel?: string;
  args?: string[];
}

/** A minimal child environment: nothing from the developer's shell leaks into the gateway. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', ...extra };
}

/** `capstan run FILES --host 127.0.0.1 --port NS=0 …`, resolved once every adapter printed its URL. */
export async function startGateway(files: string[], options: GatewayOptions): Promise<Gateway> {
  const args = [BIN, 'run', ...files, '--host', '127.0.0.1', '--log-level', options.logLevel ?? 'warn'];
  for (const ns of options.namespaces) args.push('--port', `${ns}=0`);
  for (const [ns, url] of Object.entries(options.upstreams ?? {})) args.push('--upstream', ns === '*' ? url : `${ns}=${url}`);
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
      reject(new Error(`capstan run did not start within 20 s\nstdout:\n${out}\nstderr:\n${err}`));
    }, 20_000);
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
    child,
    pid: child.pid!,
    rest,
    mcp,
    stdout: () => out,
    stderr: () => err,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Open file descriptors of a process (Linux), or -1 where /proc is not available. */
export function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

// ---- requests -------------------------------------------------------------------------------

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Milliseconds from sending to the end of the answer. */
  ms: number;
}

/** Sends a request exactly as written (no URL normalisation) with node:http, one connection per request. */
export function raw(base: string, method: string, path: string, options: { headers?: Record<string, string | string[]>; body?: string | Buffer; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: { connection: 'close', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`no answer to ${method} ${path} within ${options.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId?: string;
  errors?: Array<{ name: string; in?: string; message: string }>;
  upstream?: { namespace: string; operation: string; status?: number };
}

/** Parses a problem+json answer, failing with the raw text when it is not one. */
export function problemOf(answer: RawAnswer): Problem {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${answer.status} ${type}: ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as Problem;
}

/** A JSON-RPC answer from the MCP endpoint. */
export interface RpcAnswer {
  status: number;
  body: { jsonrpc?: string; id?: unknown; result?: { content?: Array<{ type: string; text?: string }>; isError?: boolean; [k: string]: unknown }; error?: { code: number; message: string } } & Record<string, unknown>;
  text: string;
  headers: IncomingHttpHeaders;
  ms: number;
}

/** POSTs one JSON-RPC message (or any text) to an MCP endpoint without a session; the answer is plain JSON. */
export async function rpc(url: string, message: unknown, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  const u = new URL(url);
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  const answer = await raw(u.origin, 'POST', u.pathname, { headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: text });
  let body: RpcAnswer['body'] = {};
  try {
    body = answer.body ? (JSON.parse(answer.body) as RpcAnswer['body']) : {};
  } catch {
    body = {};
  }
  return { status: answer.status, body, text: answer.body, headers: answer.headers, ms: answer.ms };
}

let nextId = 1;
/** `tools/call` over a one-shot JSON-RPC POST. */
export function callTool(url: string, name: string, args: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  return rpc(url, { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } }, headers);
}

/** The text of a tool result. */
export function toolText(answer: RpcAnswer): string {
  return (answer.body.result?.content ?? []).map((c) => c.text ?? '').join('\n');
}
