/**
 * Pieces of the reliability suite no other suite needs: a fault-injecting upstream, open file
 * descriptors of a process, and raw JSON-RPC calls to an MCP endpoint. Every server binds
 * 127.0.0.1 and every request goes to 127.0.0.1.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { readdirSync } from 'node:fs';
import { createServer as createNetServer, type Socket } from 'node:net';
import { listenLoopback, type Loopback } from '../../scripts/mock-upstream.mjs';
import { raw } from '../helpers/http.js';

/** The kinds of misbehaviour the fault upstream can show, chosen by the request path `/…/fault/<kind>`. */
export const FAULTS = ['ok', 'hang', 'slow-headers', 'stall-body', 'trickle', 'reset', 'server-error', 'truncated-json', 'html', 'huge-declared', 'huge-chunked', 'redirect'] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * A raw TCP upstream that misbehaves on purpose. Complete answers carry `Connection: close`, so
 * any connection still open after a fault is one the gateway did not release.
 */
export interface FaultUpstream extends Loopback {
  /** Request lines and headers received, in order. */
  seen: Array<{ method: string; target: string; headers: string }>;
  /** Where `redirect` points (another loopback port). */
  redirectTo: string;
  /** Open connections that carried a request (idle spare connections a pool opened are not counted). */
  openCarrying(): number;
  /** Bytes written by the huge answers (to show the gateway stopped reading early). */
  hugeBytesWritten(): number;
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
  /** Writes `head`, then 64 KiB body chunks of `fill` (framed as HTTP chunks when `chunked`) until the socket closes or 4 × HUGE_BYTES went out. */
  const stream = (socket: Socket, head: string, fill: string, chunked = false) => {
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, fill);
    const framed = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
    const pump = () => {
      while (!socket.destroyed && hugeWritten < HUGE_BYTES * 4) {
        hugeWritten += chunk.length;
        if (!socket.write(framed)) {
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
        return stream(socket, `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${HUGE_BYTES}\r\n\r\n`, 'x');
      case 'huge-chunked':
        // No content-length: the cap must be enforced while reading.
        return stream(socket, 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', 'y', true);
      case 'redirect':
        return complete(socket, '302 Found', 'application/json', '{}', `location: ${options.redirectTo}/stolen\r\n`);
    }
  };
  const loopback = await listenLoopback(server);
  return {
    ...loopback,
    seen,
    redirectTo: options.redirectTo,
    openCarrying: () => carrying.size,
    hugeBytesWritten: () => hugeWritten,
    close: () => {
      for (const t of timers) clearTimeout(t);
      return loopback.close();
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

// ---- JSON-RPC -------------------------------------------------------------------------------

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
