/**
 * Whether a client's JSON-RPC message (or batch) asks the server to do something: only such a
 * POST takes a concurrency slot (`limitAfterBody`). Notifications (`notifications/cancelled`
 * among them) and responses to the server's own requests start no work and may free some.
 */
export function carriesRequest(message: unknown): boolean {
  if (Array.isArray(message)) return message.some(isRequest);
  return isRequest(message);
}

function isRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'method' in message && 'id' in message;
}
