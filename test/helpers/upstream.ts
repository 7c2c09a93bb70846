/**
 * Local upstreams on 127.0.0.1 whose answers the test controls: a recording HTTP upstream, one
 * that never answers, and a port nothing listens on. Every upstream counts its connections and
 * `close()` destroys the open ones. (The echo upstream of the demo is `startEchoUpstream` in
 * scripts/mock-upstream.mjs.)
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { listenLoopback, startRecordingServer, type Loopback } from '../../scripts/mock-upstream.mjs';

/** A request as the upstream received it. */
export interface Seen<Body extends string | Buffer = string> {
  method: string;
  /** The raw request target (path and query), exactly as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text, or as bytes (`{ body: 'buffer' }`). */
  body: Body;
}

/** Answers one request (it may answer later, or never). */
export type Reply<Body extends string | Buffer = string> = (req: Seen<Body>, res: ServerResponse) => unknown;

/** A recording upstream. */
export interface Upstream<Body extends string | Buffer = string> extends Loopback {
  /** Every request received, in order. */
  seen: Seen<Body>[];
}

/** Answers JSON (with a content-length). */
export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, JSON.stringify(value), 'application/json', headers);
}

/** Answers a body with a content type (with a content-length). */
export function sendBody(res: ServerResponse, status: number, body: string | Buffer, contentType = 'text/plain', headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length, ...headers });
  res.end(buf);
}

/** The default reply: 200 with `{ method, url, body }` of the request (body as text). */
export const echoRequest: Reply<string | Buffer> = (req, res) => json(res, 200, { method: req.method, url: req.url, body: req.body.toString() });

/**
 * Starts a recording upstream answering with `reply` (default `echoRequest`). Request bodies are
 * recorded as text, or as bytes with `{ body: 'buffer' }`. A reply that rejects answers 500.
 */
export function startUpstream(reply?: Reply<string>, options?: { body?: 'text' }): Promise<Upstream<string>>;
export function startUpstream(reply: Reply<Buffer> | undefined, options: { body: 'buffer' }): Promise<Upstream<Buffer>>;
export async function startUpstream(reply?: Reply<string> | Reply<Buffer>, options: { body?: 'text' | 'buffer' } = {}): Promise<Upstream<string | Buffer>> {
  const answer = (reply ?? echoRequest) as Reply<string | Buffer>;
  const seen: Seen<string | Buffer>[] = [];
  const server = await startRecordingServer((req, raw, res) => {
    const r: Seen<string | Buffer> = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: options.body === 'buffer' ? raw : raw.toString('utf8') };
    seen.push(r);
    Promise.resolve(answer(r, res)).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return { ...server, seen };
}

/**
 * An upstream that accepts connections and reads requests but never answers; with `partial`,
 * it writes that text (e.g. headers and part of a body) after the first request bytes, then stalls.
 * `connections()` is `opened()`.
 */
export async function startHangingUpstream(options: { partial?: string } = {}): Promise<Upstream & { connections(): number }> {
  const server = createNetServer((socket) => {
    let wrote = false;
    socket.on('data', () => {
      if (options.partial !== undefined && !wrote) {
        wrote = true;
        socket.write(options.partial);
      }
    });
  });
  const loopback = await listenLoopback(server);
  return { ...loopback, seen: [], connections: loopback.opened };
}

/** A loopback port nothing listens on (bound once by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
