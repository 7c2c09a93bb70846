/**
 * Re-creating, on this replica, a session another replica opened. The SDK keeps a session's
 * state in its transport (session id, "initialized") and server (client capabilities and info),
 * set only by an `initialize` exchange. So the replica replays that exchange from the shared
 * record on a fresh transport whose id generator returns the known id: the SDK then serves the
 * session exactly as the first replica does, through its public API. The replayed exchange
 * stays inside this process (its events are not stored, its answer is discarded).
 */
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { SessionEventStore, SessionRecord } from './session-sharing.js';

const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

function post(body: unknown, extra: Record<string, string> = {}): Request {
  return new Request('http://localhost/mcp', { method: 'POST', headers: { ...HEADERS, ...extra }, body: JSON.stringify(body) });
}

/**
 * Replays `initialize` (with the recorded version, capabilities and client info) and
 * `notifications/initialized` on `transport`, already connected to its server. Throws when the
 * SDK does not accept the replay (a record from an incompatible version).
 */
export async function replayInitialize(transport: WebStandardStreamableHTTPServerTransport, events: SessionEventStore, record: SessionRecord, sessionId: string): Promise<void> {
  events.muted = true;
  try {
    const initialize = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: record.protocolVersion, capabilities: record.capabilities, clientInfo: record.clientInfo } };
    const answer = await transport.handleRequest(post(initialize));
    const text = await answer.text();
    if (answer.status !== 200 || !text.includes('"result"')) throw new Error(`re-creating session ${sessionId} failed (${answer.status}): ${text.slice(0, 200)}`);
    const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': record.protocolVersion };
    const initialized = await transport.handleRequest(post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers));
    await initialized.body?.cancel();
  } finally {
    events.muted = false;
  }
}
