// Types of mock-upstream.mjs, for the TypeScript tests that import it.
import type { IncomingHttpHeaders, IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

/** Connection counts of a local server. */
export interface Connections {
  /** Connections accepted so far. */
  opened(): number;
  /** Connections open now. */
  open(): number;
  /** Most connections open at the same time. */
  peak(): number;
}

/** A server listening on 127.0.0.1. */
export interface Loopback extends Connections {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Destroys the open connections, then closes the server. */
  close(): Promise<void>;
}

export function trackConnections(server: HttpServer | NetServer): Connections & { sockets: Set<Socket> };
export function listenLoopback(server: HttpServer | NetServer, port?: number): Promise<Loopback>;
export function startRecordingServer(onRequest: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void, options?: { port?: number }): Promise<Loopback>;

/** A request as the echo upstream records it (and echoes it back as `{ echo: … }`). */
export interface EchoRequest {
  method: string;
  /** The path as URL parsing normalises it (dot segments resolved), without the query. */
  path: string;
  /** The path exactly as sent. */
  rawPath: string;
  /** The query string, without `?`. */
  query: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, else the text, else undefined. */
  body?: unknown;
  /** The body exactly as received (UTF-8), when there was one. */
  text?: string;
}

/** An answer a route gives instead of the echo. */
export interface EchoAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface EchoUpstream {
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: EchoRequest[];
  close(): Promise<void>;
}

export function startEchoUpstream(options?: { port?: number; routes?: Record<string, (req: EchoRequest) => EchoAnswer> }): Promise<EchoUpstream>;
