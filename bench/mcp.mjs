// Raw MCP over Streamable HTTP for the load generator: open a session, build a tools/call body,
// read an answer that may be JSON or one SSE event.

export const PROTOCOL_VERSION = '2025-06-18';
export const ACCEPT = 'application/json, text/event-stream';

/** The JSON-RPC message of an answer, whether it came as JSON or as an SSE `message` event. */
export function parseAnswer(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed);
  const data = trimmed.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
  return JSON.parse(data);
}

/** `initialize` + `notifications/initialized`; returns the headers later requests must carry. */
export async function openSession(url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'capstan-bench', version: '1.0.0' } } }),
  });
  const session = res.headers.get('mcp-session-id');
  const answer = parseAnswer(await res.text());
  if (!session) throw new Error(`initialize at ${url} opened no session (status ${res.status})`);
  const version = answer.result?.protocolVersion ?? PROTOCOL_VERSION;
  const headers = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': session, 'mcp-protocol-version': version };
  const note = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  await note.arrayBuffer();
  return headers;
}

export const statelessHeaders = () => ({ 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': PROTOCOL_VERSION });

/** One tools/call over plain fetch; returns the tool result. */
export async function callTool(url, headers, name, args = {}) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`tools/call ${name} at ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  const answer = parseAnswer(text);
  if (answer.error) throw new Error(`tools/call ${name} at ${url}: ${answer.error.message}`);
  return answer.result;
}

/** autocannon request list for tools/call: a fresh JSON-RPC id per request (ids must differ within a session). */
export function toolCallRequests(headers, name, args = {}) {
  let id = 1;
  return [{
    method: 'POST',
    path: '/mcp',
    headers,
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name, arguments: args } }) }),
  }];
}
