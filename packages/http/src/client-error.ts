/**
 * Answers for what never reaches a route: requests Node's HTTP parser refused or timed out, and
 * `CONNECT` (Capstan is no forward proxy). Written to the socket as problem+json, then closed.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, PROBLEM_TYPE, type Problem } from '@capstan/runtime';

function writeAndClose(socket: Duplex, body: Problem, extra = ''): void {
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}Connection: close\r\n\r\n${text}`);
  }
  socket.destroy();
}

/**
 * 414 when the request line alone is over the URL limit, 431 for any other header overflow, 408
 * for a request (headers or body) that took too long to arrive, 400 otherwise.
 */
export function answerClientError(err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex, maxUrl: number): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let body = problem('bad-request', 'the request is not valid HTTP/1.1');
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') body = problem('request-timeout', 'the request took too long to arrive');
  else if (err.code === 'HPE_HEADER_OVERFLOW') {
    body = requestLineLength(err.rawPacket) > maxUrl
      ? problem('uri-too-long', `the URL is longer than the limit of ${maxUrl} characters`)
      : problem('header-fields-too-large', 'the request header section is too large');
  }
  writeAndClose(socket, body);
}

/** Length of the request line at the start of a raw packet (the whole packet when no line end is in it), or 0 when the packet does not start with one. */
function requestLineLength(packet: unknown): number {
  if (!Buffer.isBuffer(packet) || !/^[A-Z]+ /.test(packet.subarray(0, 16).toString('latin1'))) return 0;
  const end = packet.indexOf('\r\n');
  return end < 0 ? packet.length : end;
}

/** Limits every Capstan HTTP server shares, whichever adapter it serves. */
export interface SocketLimits {
  /** Longest URL accepted, in characters (default 8192). */
  maxUrlLength: number;
  /** Idle keep-alive timeout, ms. */
  keepAliveTimeoutMs: number;
  /** Time allowed to receive a whole request (headers and body), ms; a request that trickles in longer gets 408. */
  requestTimeoutMs: number;
}

/** Applies the shared timeouts and the raw-socket answers to a node server. */
export function guardServer(server: Server, limits: SocketLimits, options: { clientErrors: boolean }): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.requestTimeoutMs, 60_000);
  if (options.clientErrors) server.on('clientError', (err: Error, socket: Duplex) => answerClientError(err, socket, limits.maxUrlLength));
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    writeAndClose(socket, problem('method-not-allowed', 'CONNECT is not supported: this is a gateway, not a forward proxy'), 'Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n');
  });
}
