/**
 * One listening socket whose requests go to the app currently mounted on it. A reload mounts a
 * new app: requests already in flight finish on the old one, new ones reach the new one, and the
 * port never closes. Closing drains: stop accepting, let in-flight answers finish (connections
 * close after their answer), then cut what is left when the grace period ends.
 *
 * One app may be mounted on several listeners (a shared app routing on each listener's port key,
 * ports.ts): the app is handed back by a remount, or closed by `close()`, only by the last
 * listener that had it mounted, once that listener's own answers are done.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RequestInterceptor } from './observe.js';
import { createNodeServer, requestHandlerOf, type HttpServerOptions } from './server.js';
import { InFlight } from './in-flight.js';
import { tagSocket } from './ports.js';

const LONG_LIVED = Symbol('capstan.longLived');
/** The id of a response in its generation's `InFlight` table. */
const SLOT = Symbol('capstan.inFlightSlot');

type Tracked = ServerResponse & { [SLOT]?: number };

/** Marks a response as a long-lived stream (MCP's notification GET): a drain does not wait for it. */
export function markLongLived(res: ServerResponse): void {
  (res as ServerResponse & { [LONG_LIVED]?: boolean })[LONG_LIVED] = true;
}

function isLongLived(res: ServerResponse): boolean {
  return (res as ServerResponse & { [LONG_LIVED]?: boolean })[LONG_LIVED] === true;
}

/**
 * An app mounted on a listener and the requests it is answering: answers in flight sit in an
 * `InFlight` slot table (a `Set` promoted every answered request to old space, see in-flight.ts;
 * measured with bench/scavenge.mjs), each removed when its answer closes.
 */
class Generation {
  private readonly answers = new InFlight<ServerResponse>();
  private waiters: Array<() => void> = [];
  /** The `close` listener of every response of this generation (one function, not a closure per request). */
  private readonly untrack: (this: Tracked) => void;

  constructor(readonly app: FastifyInstance, readonly handle: (req: IncomingMessage, res: ServerResponse) => void) {
    const gen = this;
    this.untrack = function untrack() {
      gen.answers.take(this[SLOT]!);
      if (gen.waiters.length && gen.busy() === 0) for (const w of gen.waiters.splice(0)) w();
    };
  }

  track(res: Tracked): void {
    res[SLOT] = this.answers.add(res);
    // `close` is emitted once per response: `on` does what `once` would, without a wrapper per request.
    res.on('close', this.untrack);
  }

  /** Answers in flight, streams included. */
  open(): Iterable<ServerResponse> {
    return this.answers;
  }

  /** Answers in flight, streams excluded. */
  busy(): number {
    let n = 0;
    for (const res of this.open()) if (!isLongLived(res)) n++;
    return n;
  }

  /** Resolves when no answer (streams excluded) is in flight. */
  idle(): Promise<void> {
    return this.busy() === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** How many listeners have each app mounted. */
const mounts = new WeakMap<FastifyInstance, number>();

/** Counts a listener off `app`; true when it was the last one. */
function release(app: FastifyInstance): boolean {
  const left = (mounts.get(app) ?? 1) - 1;
  mounts.set(app, left);
  return left === 0;
}

/** Options of a listener: the socket's limits, plus what routes its requests. */
export interface HttpListenerOptions extends HttpServerOptions {
  /** Sees every request first (tracing); without it requests go straight to the app. */
  intercept?: RequestInterceptor;
  /** The port key its connections are tagged with, for an app that serves several ports (`servePort`). */
  port?: string;
}

export class HttpListener {
  readonly server: Server;
  private current: Generation | undefined;
  private draining = false;

  private readonly intercept: RequestInterceptor | undefined;

  constructor(options: HttpListenerOptions = {}) {
    this.intercept = options.intercept;
    this.server = createNodeServer(options, (req, res) => this.dispatch(req, res));
    const key = options.port;
    // Tagged once per connection, not per request: a socket belongs to one listener for life.
    if (key !== undefined) this.server.on('connection', (socket) => tagSocket(socket, key));
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const gen = this.current;
    if (!gen) {
      res.writeHead(503, { 'content-type': 'application/problem+json', connection: 'close' }).end(JSON.stringify({ type: 'https://capstan.dev/problems/overloaded', title: 'Service Unavailable', status: 503, detail: 'the gateway is starting' }));
      return;
    }
    if (this.draining) res.setHeader('connection', 'close');
    gen.track(res);
    if (this.intercept) this.intercept(req, res, gen.handle);
    else gen.handle(req, res);
  }

  /**
   * Routes new requests to `app` (made by `createHttpServer`); once this listener's answers on
   * the app it replaced are done, returns that app if no other listener still has it mounted (the
   * caller closes it), else undefined.
   */
  async mount(app: FastifyInstance): Promise<FastifyInstance | undefined> {
    await app.ready();
    mounts.set(app, (mounts.get(app) ?? 0) + 1);
    const previous = this.current;
    this.current = new Generation(app, requestHandlerOf(app));
    if (!previous) return undefined;
    await previous.idle();
    return release(previous.app) ? previous.app : undefined;
  }

  /** The app answering new requests. */
  get app(): FastifyInstance | undefined {
    return this.current?.app;
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting, lets answers in flight finish (up to `graceMs`, streams excluded), runs `beforeCut` (to end streams), then closes every connection, and the app unless another listener still has it mounted. */
  async close(graceMs: number, beforeCut?: () => Promise<void>): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
    this.server.closeIdleConnections();
    const gen = this.current;
    if (gen) {
      for (const res of gen.open()) if (!res.headersSent) res.setHeader('connection', 'close');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gen.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    await beforeCut?.();
    this.server.closeAllConnections();
    await closed;
    // The app mounted now (a remount during the drain hands back the one it replaced itself).
    const last = this.current;
    this.current = undefined;
    if (last && release(last.app)) await last.app.close();
  }
}
