/**
 * An SDK `Server` on an in-process transport: a request handed to it runs through the SDK's own
 * request handling (the request schema checks, the tools/call wrapper and its result validation,
 * JSON-RPC error answers, cancellation), with no HTTP transport, web `Request` or stream around
 * it. The fast path (`fast-path.ts`) answers its requests with it: one server for the requests of
 * every session and every stateless caller. Nothing of a caller stays on it: the caller's identity
 * and headers travel with each request (`MessageExtraInfo`), the server never sees `initialize`,
 * and each request runs under an id of the transport's own, so callers' ids cannot collide.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest, JSONRPCResponse, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { InFlight } from '@capstan/http';
import { callTool, type ToolHandler } from './tool-call.js';

/** A request in flight: its answer (under the caller's id; undefined once cancelled) and how to cancel it. */
export interface DirectCall {
  answer: Promise<JSONRPCResponse | undefined>;
  /** Aborts the handler (the SDK's `notifications/cancelled`); the answer resolves undefined. */
  cancel(reason: string): void;
}

/** How a request reaches the server. */
type Dispatch = (request: JSONRPCRequest, extra: MessageExtraInfo) => void;

/**
 * The server's own request dispatch (`Protocol._onrequest`), when this SDK version has it: what
 * `onmessage` runs for a message `isJSONRPCRequest` accepts, after checking it against the result
 * and error response schemas first (two failing zod parses, each building an error: about a fifth
 * of the fast path's CPU per call). The fast path hands over only requests `isJSONRPCRequest`
 * accepted (`fastRequest`), so both routes run the same handling; without it, `onmessage`.
 */
function requestDispatch(server: Server): Dispatch | undefined {
  const dispatch = (server as unknown as { _onrequest?: unknown })._onrequest;
  return typeof dispatch === 'function' ? (request, extra) => dispatch.call(server, request, extra) : undefined;
}

/** A transport a server is connected to in-process: requests in, their answers out. */
export class InProcessTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Set by `DirectServer`: the server's request dispatch, past `onmessage`'s message-kind checks. */
  dispatch: Dispatch | undefined;
  /** How to settle the answer of each request in flight, by the id it runs under. */
  private readonly waiting = new InFlight<(message: JSONRPCResponse | undefined) => void>();

  /** Resolves once the server has attached (`Protocol.connect` sets `onmessage`, then starts the transport). */
  private readonly attached: Promise<void>;
  private markAttached: () => void = () => undefined;

  constructor() {
    this.attached = new Promise((resolve) => (this.markAttached = resolve));
  }

  async start(): Promise<void> {
    this.markAttached();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    // Only answers come back: the registry's handlers send no notification or request of their own.
    if (!('id' in message) || !('result' in message || 'error' in message)) return;
    this.settled(this.waiting.take(message.id as number), message);
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    return this.waiting.size ? new Promise((resolve) => this.onIdle.push(resolve)) : Promise.resolve();
  }

  private readonly onIdle: Array<() => void> = [];

  private settled(settle: ((message: JSONRPCResponse | undefined) => void) | undefined, message: JSONRPCResponse | undefined): void {
    if (!settle) return;
    settle(message);
    if (!this.waiting.size) for (const resolve of this.onIdle.splice(0)) resolve();
  }

  async close(): Promise<void> {
    for (const settle of this.waiting.takeAll()) settle(undefined);
    for (const resolve of this.onIdle.splice(0)) resolve();
    this.onclose?.();
  }

  /**
   * Hands `request` (a message `isJSONRPCRequest` accepts) to the server under an id of its own:
   * callers' ids may be the same.
   */
  call(request: JSONRPCRequest, extra: MessageExtraInfo): DirectCall {
    let settle!: (message: JSONRPCResponse | undefined) => void;
    const answer = new Promise<JSONRPCResponse | undefined>((resolve) => (settle = resolve));
    const id = this.waiting.add(settle);
    // Object.assign, not `{ ...request, id }`: on node 20 a literal starting with a spread and adding properties is slow.
    const message = Object.assign({}, request, { id });
    if (this.dispatch && this.onmessage) this.dispatch(message, extra);
    else this.deliver(message, extra);
    return {
      answer: answer.then((m) => m && Object.assign({}, m, { id: request.id })),
      cancel: (reason) => {
        const taken = this.waiting.take(id);
        if (!taken) return;
        this.deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
        this.settled(taken, undefined);
      },
    };
  }

  private deliver(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (this.onmessage) this.onmessage(message, extra);
    else void this.attached.then(() => this.onmessage?.(message, extra));
  }
}

/**
 * The one server of the fast path, created and connected on first use. With `tools`, a
 * `tools/call` runs on it without the server's dispatch (`tool-call.ts`), unless the server must
 * answer it itself.
 */
export class DirectServer {
  private connected: { server: Server; transport: InProcessTransport } | undefined;

  constructor(private readonly createServer: () => Server, private readonly tools?: ToolHandler) {}

  call(request: JSONRPCRequest, extra: MessageExtraInfo): DirectCall {
    const direct = this.tools && request.method === 'tools/call' ? callTool(this.tools, request, extra) : undefined;
    if (direct) return direct;
    this.connected ??= this.connect();
    return this.connected.transport.call(request, extra);
  }

  private connect(): { server: Server; transport: InProcessTransport } {
    const server = this.createServer();
    const transport = new InProcessTransport();
    // Requests handed over before the server has attached wait for it (`InProcessTransport.deliver`).
    void server.connect(transport);
    transport.dispatch = requestDispatch(server);
    return { server, transport };
  }

  /**
   * Takes no more requests; the server closes once those in flight are answered (a call without a
   * session finishes as it would on a server of its own; a session's end cancels its own calls).
   */
  async close(): Promise<void> {
    const connected = this.connected;
    this.connected = undefined;
    if (connected) void connected.transport.idle().then(() => connected.server.close()).catch(() => undefined);
  }
}
