/**
 * Cancelled requests on the SDK's Streamable HTTP transport. The SDK server stops a request's
 * handler on `notifications/cancelled` and, as MCP asks, sends no answer for it; but the
 * transport keeps waiting for that answer: the POST that carried the request is never answered
 * (JSON) or its SSE stream never ends, and the transport's tables keep the request. Here:
 *
 * - `settleCancelled` wraps a request handler: when it ends cancelled, the transport forgets the
 *   request, and the POST's answer ends once its other requests are answered: JSON with their
 *   answers, or 202 with no body when none is left; an SSE stream ends (with no event for the
 *   cancelled request).
 * - `cancelRequests` cancels the requests of a POST whose client closed the connection while its
 *   answer could not be resumed (the transport has no way to deliver it later).
 * - `releaseAnswered` drops what the transport keeps of the JSON answers it gave.
 *
 * The transport's tables are not public API: they are read only when they have the shape this
 * SDK version gives them; otherwise nothing changes (the POST waits, as before).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { isRequestMessage } from './carries-request.js';

/** A POST's answer on the transport: a JSON answer still to resolve, or an SSE stream to end. */
interface PendingStream {
  resolveJson?: (response: Response) => void;
  cleanup: () => void;
}

/** The per-request state of `WebStandardStreamableHTTPServerTransport` (SDK 1.x). */
interface RequestTables {
  sessionId?: string;
  _requestToStreamMapping: Map<RequestId, string>;
  _requestResponseMap: Map<RequestId, JSONRPCMessage>;
  _streamMapping: Map<string, PendingStream>;
  _resumableStreams?: Set<string>;
}

function tablesOf(transport: Transport | undefined): RequestTables | undefined {
  const t = transport as Partial<RequestTables> | undefined;
  return t && t._requestToStreamMapping instanceof Map && t._requestResponseMap instanceof Map && t._streamMapping instanceof Map ? (t as RequestTables) : undefined;
}

/**
 * The transport will get no answer for request `id` (its handler ended cancelled): it forgets
 * the request, and the answer of the POST that carried it ends if nothing else is awaited.
 */
export function forgetCancelled(transport: Transport | undefined, id: RequestId): void {
  const t = tablesOf(transport);
  const streamId = t?._requestToStreamMapping.get(id);
  if (!t || streamId === undefined || t._requestResponseMap.has(id)) return;
  t._requestToStreamMapping.delete(id);
  const others: RequestId[] = [];
  for (const [other, stream] of t._requestToStreamMapping) if (stream === streamId) others.push(other);
  // Others still running: the answer ends with the last of them, as the transport does.
  if (!others.every((other) => t._requestResponseMap.has(other))) return;
  const answers = others.map((other) => t._requestResponseMap.get(other)!);
  for (const other of others) {
    t._requestToStreamMapping.delete(other);
    t._requestResponseMap.delete(other);
  }
  t._resumableStreams?.delete(streamId);
  const stream = t._streamMapping.get(streamId);
  if (!stream) return;
  if (stream.resolveJson) {
    const headers: Record<string, string> = t.sessionId !== undefined ? { 'mcp-session-id': t.sessionId } : {};
    // Nothing to answer: 202 with no body, as for a POST of notifications only.
    stream.resolveJson(answers.length
      ? new Response(JSON.stringify(answers.length === 1 ? answers[0] : answers), { status: 200, headers: { ...headers, 'content-type': 'application/json' } })
      : new Response(null, { status: 202, headers }));
  }
  stream.cleanup();
}

/**
 * Drops the entries of JSON answers the transport has resolved. It keeps each one (its resolve
 * function) until the session ends, one per request it answered itself: the session's own
 * requests, not the fast path's. Entries of answers still awaited stay.
 */
export function releaseAnswered(transport: Transport | undefined): void {
  const t = tablesOf(transport);
  if (!t) return;
  for (const [streamId, stream] of t._streamMapping) {
    if (!stream.resolveJson) continue;
    let awaited = false;
    for (const s of t._requestToStreamMapping.values()) if (s === streamId) awaited = true;
    if (!awaited) t._streamMapping.delete(streamId);
  }
}

/** What the SDK passes a request handler that this reads. */
interface CancellableExtra {
  signal: AbortSignal;
  requestId: RequestId;
}

/**
 * `handler`, telling the transport of `server()` when a request ends cancelled. The server does
 * not answer a request whose signal is aborted when its handler ends; the check here runs before
 * the server's (the handler's promise settles after it), so both see the same state.
 */
export function settleCancelled<A, E extends CancellableExtra, R>(transportOf: () => Transport | undefined, handler: (request: A, extra: E) => Promise<R>): (request: A, extra: E) => Promise<R> {
  return (request, extra) => {
    const transport = transportOf();
    const run = handler(request, extra);
    if (!tablesOf(transport)) return run;
    return run.finally(() => {
      if (extra.signal.aborted) forgetCancelled(transport, extra.requestId);
    });
  };
}

/** Cancels the requests in `message` (a JSON-RPC message or batch) on the server behind `transport`, as a client's `notifications/cancelled` would (never `initialize`, which MCP does not let a client cancel). */
export function cancelRequests(transport: Transport, message: unknown, reason: string): void {
  for (const m of Array.isArray(message) ? message : [message]) {
    if (!isRequestMessage(m) || m.method === 'initialize') continue;
    transport.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: m.id, reason } });
  }
}
