/**
 * Which JSON-RPC messages from a client are requests: a string `method` and a string or number
 * `id` (a notification has no `id`, a response no `method`).
 */

/** A client's message that asks the server to do something and awaits its answer. */
export interface ClientRequest {
  method: string;
  id: string | number;
}

/** Whether `message` (one element of a POST's body) is a request. */
export function isRequestMessage(message: unknown): message is ClientRequest {
  const m = message as { method?: unknown; id?: unknown } | null;
  return typeof m?.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number');
}

/**
 * Whether a client's JSON-RPC message (or batch) carries a request: only such a POST takes a
 * concurrency slot (`limitAfterBody`). Notifications (`notifications/cancelled` among them) and
 * responses to the server's own requests start no work and may free some.
 */
export function carriesRequest(message: unknown): boolean {
  return Array.isArray(message) ? message.some(isRequestMessage) : isRequestMessage(message);
}
