/**
 * An SDK `Server` on an in-process transport: a request handed to it runs through the SDK's own
 * request handling (the request schema checks, the tools/call wrapper and its result validation,
 * JSON-RPC error answers, cancellation), with no HTTP transport, web `Request` or stream around
 * it. The fast path (`fast-path.ts`) answers its requests with it.
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

/** A transport a server is connected to in-process: requests in, their answers out. */
export class InProcessTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private lastId = 0;
  private readonly waiting = new Map<number, (message: JSONRPCResponse | undefined) => void>();

  async start(): Promise<void> {}

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

  /** Hands `request` to the server under an id of its own: callers' ids may be the same. */
  call(request: JSONRPCRequest, extra: MessageExtraInfo): DirectCall {
    const id = ++this.lastId;
    const answer = new Promise<JSONRPCResponse | undefined>((resolve) => this.waiting.set(id, resolve));
    // Object.assign, not `{ ...request, id }`: on node 20 a literal starting with a spread and adding properties is slow.
    this.onmessage!(Object.assign({}, request, { id }), extra);
    return {
      answer: answer.then((m) => m && Object.assign({}, m, { id: request.id })),
      cancel: (reason) => {
        const settle = this.waiting.get(id);
        if (!settle) return;
        this.waiting.delete(id);
        this.onmessage!({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
        settle(undefined);
      },
    };
  }
}

/** One server for every request of the fast path in sessions, connected on first use. */
export class DirectServer {
  private connected: Promise<{ server: Server; transport: InProcessTransport }> | undefined;

  constructor(private readonly createServer: () => Server) {}

  async call(request: JSONRPCRequest, extra: MessageExtraInfo): Promise<DirectCall> {
    this.connected ??= this.connect();
    return (await this.connected).transport.call(request, extra);
  }

  private async connect(): Promise<{ server: Server; transport: InProcessTransport }> {
    const server = this.createServer();
    const transport = new InProcessTransport();
    await server.connect(transport);
    return { server, transport };
  }

  /** Ends the requests in flight (their answers resolve undefined). */
  async close(): Promise<void> {
    const connected = this.connected;
    this.connected = undefined;
    if (connected) await (await connected).server.close();
  }
}
