// Local stand-ins for the seed vendors, on 127.0.0.1 only, for the demo and the tests: Paragon
// ActionKit (an action catalogue in json_schema, openai and anthropic formats, and a Slack-like
// tool run answering like the vendor's documented example) and Composio proxy execute
// ({data, binary_data, status, headers}, the documented error shape). Each records what it
// received, like the echo upstream.
import { startRecordingServer } from './mock-upstream.mjs';

/** The small catalogue: one Slack action, one Salesforce action. */
const ACTIONS = [
  {
    integration: 'slack',
    name: 'SLACK_SEND_MESSAGE',
    description: 'Send a message to a Slack channel.',
    parameters: {
      type: 'object',
      properties: { channel: { type: 'string', description: 'Channel ID, e.g. C0123456789' }, text: { type: 'string', description: 'Message text' } },
      required: ['channel', 'text'],
    },
  },
  {
    integration: 'salesforce',
    name: 'SALESFORCE_CREATE_RECORD_CONTACT',
    description: 'Create a Contact record in Salesforce.',
    parameters: {
      type: 'object',
      properties: { LastName: { type: 'string' }, Email: { type: 'string' } },
      required: ['LastName'],
    },
  },
];

const CATEGORIES = { slack: 'communication', salesforce: 'crm' };

/** One action definition in the requested format. */
function definition(action, format) {
  switch (format) {
    case 'openai':
      return { type: 'function', function: { name: action.name, description: action.description, parameters: action.parameters } };
    case 'anthropic':
      return { name: action.name, description: action.description, input_schema: action.parameters };
    default: // json_schema
      return { name: action.name, description: action.description, parameters: action.parameters };
  }
}

/** The documented answer of SLACK_SEND_MESSAGE (ActionKit "Run Tool" example), with the sent text and channel. */
function slackAnswer(parameters) {
  const ts = '1739896301.418839';
  return {
    ok: true,
    channel: parameters.channel ?? 'CSQCUNXBP',
    ts,
    message: {
      user: 'U0101SYAC07', type: 'message', ts, bot_id: 'B0101SYAB3R', app_id: 'A01001G1G7J', text: parameters.text ?? '', team: 'TM7FL705V',
      bot_profile: { id: 'B0101SYAB3R', app_id: 'A01001G1G7J', name: 'Paragon', deleted: false, updated: 1587073960, team_id: 'TM7FL705V' },
      blocks: [{ type: 'section', block_id: 'iAHFB', text: { type: 'mrkdwn', text: parameters.text ?? '', verbatim: false } }],
    },
    response_metadata: { scopes: ['chat:write', 'channels:read'], acceptedScopes: ['chat:write'] },
  };
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parse(raw) {
  const text = raw.toString('utf8');
  try {
    return { text, json: text ? JSON.parse(text) : undefined };
  } catch {
    return { text, json: undefined };
  }
}

function record(requests, req, url, raw) {
  const { text, json } = parse(raw);
  const seen = { method: req.method, path: url.pathname, query: url.search.slice(1), headers: req.headers, body: json ?? (text || undefined), ...(text ? { text } : {}) };
  requests.push(seen);
  return seen;
}

/** Runs a tool by name for ActionKit: Slack sends, Salesforce creates, anything else is unknown. */
function runTool(res, tool, parameters) {
  if (typeof tool !== 'string' || !parameters || typeof parameters !== 'object') return send(res, 400, { message: 'Body must be {"tool": string, "parameters": object}.' });
  if (tool === 'SLACK_SEND_MESSAGE') return send(res, 200, slackAnswer(parameters));
  if (tool === 'SALESFORCE_CREATE_RECORD_CONTACT') return send(res, 200, { id: '003XX000004TMM2', success: true, errors: [] });
  return send(res, 404, { message: `Unknown action ${tool}.` });
}

/** Paragon ActionKit on 127.0.0.1: list actions (with filters and formats), run tool (both paths), run named action. */
export async function startActionKitMock({ port = 0 } = {}) {
  const requests = [];
  const server = await startRecordingServer((req, raw, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen = record(requests, req, url, raw);
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) return send(res, 401, { message: 'Unauthorized. Invalid or missing Paragon User Token.' });
    const list = /^\/projects\/[^/]+\/actions$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      const q = url.searchParams;
      const format = q.get('format') ?? 'json_schema';
      const wanted = [q.get('integration'), ...(q.get('integrations') ?? '').split(',')].filter(Boolean);
      const categories = (q.get('categories') ?? '').split(',').filter(Boolean);
      const actions = {};
      for (const a of ACTIONS) {
        if (wanted.length && !wanted.includes(a.integration)) continue;
        if (categories.length && !categories.includes(CATEGORIES[a.integration])) continue;
        (actions[a.integration] ??= []).push(definition(a, format));
      }
      return send(res, 200, { actions, errors: [] });
    }
    if (req.method === 'POST' && /^\/projects\/[^/]+\/(tools|actions)$/.test(url.pathname)) return runTool(res, seen.body?.tool, seen.body?.parameters);
    const named = /^\/projects\/[^/]+\/actions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && named) return runTool(res, decodeURIComponent(named[1]), seen.body);
    return send(res, 404, { message: `No route ${req.method} ${url.pathname}.` });
  }, { port });
  return { url: server.url, port: server.port, requests, close: server.close };
}

function composioError(res, status, slug, message) {
  send(res, status, { error: { message, code: status * 10, slug, status, request_id: 'req_mock', suggested_fix: 'Check the request.', errors: [] } });
}

/**
 * Composio on 127.0.0.1: POST /api/v3/tools/execute/proxy answers {data, binary_data, status,
 * headers} describing the proxied call (an endpoint ending in .pdf gives a binary answer).
 */
export async function startComposioMock({ port = 0 } = {}) {
  const requests = [];
  const server = await startRecordingServer((req, raw, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen = record(requests, req, url, raw);
    if (req.method !== 'POST' || url.pathname !== '/api/v3/tools/execute/proxy') return composioError(res, 404, 'not_found', `No route ${req.method} ${url.pathname}.`);
    if (!req.headers['x-api-key'] && !req.headers['x-user-api-key']) return composioError(res, 401, 'unauthorized', 'Missing x-api-key or x-user-api-key header.');
    const body = seen.body;
    if (!body || typeof body.endpoint !== 'string' || typeof body.method !== 'string') return composioError(res, 400, 'bad_request', '`endpoint` and `method` are required.');
    const query = Object.fromEntries((body.parameters ?? []).filter((p) => p.type === 'query').map((p) => [p.name, p.value]));
    const headers = { 'content-type': 'application/json', 'x-proxied-method': body.method };
    if (String(body.endpoint).endsWith('.pdf')) {
      return send(res, 200, { data: null, binary_data: { url: 'https://files.example.test/f/1.pdf', content_type: 'application/pdf', size: 1024, expires_at: '2026-12-01T00:00:00Z' }, status: 200, headers: { 'content-type': 'application/pdf' } });
    }
    const data = { endpoint: body.endpoint, method: body.method, query, received: body.body ?? null, account: body.connected_account_id ?? 'default' };
    return send(res, 200, { data, status: body.method === 'POST' ? 201 : 200, headers });
  }, { port });
  return { url: server.url, port: server.port, requests, close: server.close };
}
