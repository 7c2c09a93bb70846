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
  private lastId = 0;
  private readonly waiting = new Map<number, (message: JSONRPCResponse | undefined) => void>();

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
    const settle = this.waiting.get(message.id as number);
    this.waiting.delete(message.id as number);
    settle?.(message);
  }

  async close(): Promise<void> {
    for (const settle of this.waiting.values()) settle(undefined);
    this.waiting.clear();
    this.onclose?.();
  }

  /**
   * Hands `request` (a message `isJSONRPCRequest` accepts) to the server under an id of its own:
   * callers' ids may be the same.
   */
  call(request: JSONRPCRequest, extra: MessageExtraInfo): DirectCall {
    const id = ++this.lastId;
    const answer = new Promise<JSONRPCResponse | undefined>((resolve) => this.waiting.set(id, resolve));
    if (this.dispatch && this.onmessage) this.dispatch({ ...request, id }, extra);
    else this.deliver({ ...request, id }, extra);
    return {
      answer: answer.then((m) => m && { ...m, id: request.id }),
      cancel: (reason) => {
        const settle = this.waiting.get(id);
        if (!settle) return;
        this.waiting.delete(id);
        this.deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
        settle(undefined);
      },
    };
  }

  private deliver(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (this.onmessage) this.onmessage(message, extra);
    else void this.attached.then(() => this.onmessage?.(message, extra));
  }
}

/** The one server of the fast path, created and connected on first use. */
export class DirectServer {
  private connected: { server: Server; transport: InProcessTransport } | undefined;

  constructor(private readonly createServer: () => Server) {}

  call(request: JSONRPCRequest, extra: MessageExtraInfo): DirectCall {
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

  /** Ends the requests in flight (their answers resolve undefined). */
  async close(): Promise<void> {
    const connected = this.connected;
    this.connected = undefined;
    if (connected) await connected.server.close();
  }
}
