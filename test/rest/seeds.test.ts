/**
 * The ActionKit and Composio seed specs served by `capstan run` over REST and MCP, against the
 * bundled vendor stand-ins (scripts/mock-seeds.mjs): every field of the seed documents reaches the
 * vendor as documented, missing required fields are refused before anything is sent, and the
 * answers come back in the documented shape. (Paragon Proxy: paragon-published.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startActionKitMock, startComposioMock, type SeedMock, type SeedRequest } from '../../scripts/mock-seeds.mjs';
import { checkProblem } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { SECRETS, SPECS } from './helpers.js';

let actionkitMock: SeedMock;
let composioMock: SeedMock;
let run: CapstanRun;
let actionkit: string;
let composio: string;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  actionkitMock = await startActionKitMock();
  composioMock = await startComposioMock();
  run = await startCapstan([join(SPECS, 'paragon-actionkit.yaml'), join(SPECS, 'composio-proxy.yaml')], {
    namespaces: ['actionkit-rest', 'actionkit-mcp', 'composio-rest', 'composio-mcp'],
    env: { ...SECRETS },
    // Bare origins: Composio's baseUri path (/api/v3) is kept.
    upstream: { actionkit: actionkitMock.url, composio: composioMock.url },
  });
  actionkit = run.rest['actionkit-rest']!;
  composio = run.rest['composio-rest']!;
  for (const ns of ['actionkit-mcp', 'composio-mcp']) {
    clients[ns] = new Client({ name: 'seeds-test', version: '1' });
    await clients[ns].connect(new StreamableHTTPClientTransport(new URL(run.mcp[ns]!)));
  }
});

afterAll(async () => {
  for (const c of Object.values(clients)) await c.close();
  await run?.stop();
  await actionkitMock?.close();
  await composioMock?.close();
});

/** Sends a REST request with a fresh request id; returns the answer and what the mock received. */
async function call(mock: SeedMock, base: string, method: string, path: string, body?: unknown): Promise<{ res: Response; text: string; seen?: SeedRequest }> {
  const id = `req-${randomUUID()}`;
  const res = await fetch(base + path, {
    method,
    headers: { 'x-request-id': id, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const seen = mock.requests.find((r) => r.headers['x-request-id'] === id);
  return { res, text, ...(seen ? { seen } : {}) };
}

/** Calls a tool; returns the result and what the mock received. */
async function tool(mock: SeedMock, ns: string, name: string, args: Record<string, unknown>): Promise<{ result: Awaited<ReturnType<Client['callTool']>>; seen?: SeedRequest }> {
  const from = mock.requests.length;
  const result = await clients[ns]!.callTool({ name, arguments: args });
  const seen = mock.requests.slice(from)[0];
  return { result, ...(seen ? { seen } : {}) };
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text);

describe('Paragon ActionKit (paragon-actionkit.yaml) over REST', () => {
  it('list actions: every filter of the seed reaches ActionKit (booleans as true/false) with the user token', async () => {
    const { res, text, seen } = await call(actionkitMock, actionkit, 'GET', '/projects/p1/actions?integration=slack&integrations=slack,salesforce&categories=communication&format=anthropic&limit_to_available=false&reload_fields=true&undeclared=1');
    expect(res.status, text).toBe(200);
    expect(seen!.path).toBe('/projects/p1/actions');
    expect(Object.fromEntries(new URLSearchParams(seen!.query))).toEqual({
      integration: 'slack', integrations: 'slack,salesforce', categories: 'communication', format: 'anthropic', limit_to_available: 'false', reload_fields: 'true',
    });
    expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_USER_TOKEN}`);
    const body = JSON.parse(text);
    expect(body).toEqual({ actions: { slack: [expect.objectContaining({ name: 'SLACK_SEND_MESSAGE', input_schema: expect.any(Object) })] }, errors: [] });
  });

  it.each([['json_schema', 'parameters'], ['openai', 'function'], ['anthropic', 'input_schema']])('list actions in %s format', async (format, key) => {
    const { res, text } = await call(actionkitMock, actionkit, 'GET', `/projects/p1/actions?format=${format}`);
    expect(res.status).toBe(200);
    const { actions } = JSON.parse(text);
    expect(Object.keys(actions).sort()).toEqual(['salesforce', 'slack']);
    expect(actions.slack[0]).toHaveProperty(key);
  });

  it('refuses a format outside the enum and an ill-typed boolean (400 naming both, nothing sent)', async () => {
    const { res, text, seen } = await call(actionkitMock, actionkit, 'GET', '/projects/p1/actions?format=yaml&limit_to_available=maybe');
    const problem = checkProblem(res.status, res.headers, text, { status: 400, slug: 'invalid-input' });
    expect(problem.errors!.map((e) => e.name).sort()).toEqual(['format', 'limit_to_available']);
    expect(seen).toBeUndefined();
  });

  it.each(['/projects/p1/tools', '/projects/p1/actions'])('POST %s sends {tool, parameters} and answers the Slack-like result', async (path) => {
    const request = { tool: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C123', text: 'hello' } };
    const { res, text, seen } = await call(actionkitMock, actionkit, 'POST', path, request);
    expect(res.status, text).toBe(200);
    expect(seen!.path).toBe(path);
    expect(seen!.body).toEqual(request);
    expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_USER_TOKEN}`);
    expect(JSON.parse(text)).toMatchObject({ ok: true, channel: 'C123', message: { text: 'hello', bot_profile: { name: 'Paragon' } } });
  });

  it.each(['/projects/p1/tools', '/projects/p1/actions'])('POST %s without `tool` or `parameters` is a 400 naming them, nothing sent', async (path) => {
    const { res, text, seen } = await call(actionkitMock, actionkit, 'POST', path, {});
    const problem = checkProblem(res.status, res.headers, text, { status: 400, slug: 'invalid-input' });
    expect(problem.errors!.map((e) => e.name).sort()).toEqual(['parameters', 'tool']);
    expect(seen).toBeUndefined();
  });

  it('the named-action route sends the whole body as the parameters; an empty body is refused', async () => {
    const named = await call(actionkitMock, actionkit, 'POST', '/projects/p1/actions/SLACK_SEND_MESSAGE', { channel: 'C9', text: 'yo' });
    expect(named.res.status).toBe(200);
    expect(named.seen!.path).toBe('/projects/p1/actions/SLACK_SEND_MESSAGE');
    expect(named.seen!.body).toEqual({ channel: 'C9', text: 'yo' });
    const empty = await call(actionkitMock, actionkit, 'POST', '/projects/p1/actions/SLACK_SEND_MESSAGE');
    expect(empty.res.status).toBe(400);
    expect(empty.seen).toBeUndefined();
  });

  it('an unknown tool is ActionKit’s 404, passed through', async () => {
    const { res, text } = await call(actionkitMock, actionkit, 'POST', '/projects/p1/tools', { tool: 'NOPE', parameters: {} });
    expect(res.status).toBe(404);
    expect(JSON.parse(text)).toEqual({ message: 'Unknown action NOPE.' });
  });
});

describe('Paragon ActionKit over MCP', () => {
  it('actionkit-list-actions sends every filter', async () => {
    const { result, seen } = await tool(actionkitMock, 'actionkit-mcp', 'actionkit-list-actions', { projectId: 'p1', format: 'openai', integration: 'salesforce', integrations: 'salesforce', categories: 'crm', limit_to_available: true, reload_fields: false });
    expect(result.isError).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(seen!.query))).toEqual({ format: 'openai', integration: 'salesforce', integrations: 'salesforce', categories: 'crm', limit_to_available: 'true', reload_fields: 'false' });
    expect(textOf(result).actions.salesforce[0].function.name).toBe('SALESFORCE_CREATE_RECORD_CONTACT');
  });

  it('actionkit-run-tool and actionkit-run-action send what the REST routes send', async () => {
    const run1 = await tool(actionkitMock, 'actionkit-mcp', 'actionkit-run-tool', { projectId: 'p1', tool: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C1', text: 'hi' } });
    expect(run1.seen!.path).toBe('/projects/p1/tools');
    expect(run1.seen!.body).toEqual({ tool: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C1', text: 'hi' } });
    expect(textOf(run1.result).message.text).toBe('hi');
    const run2 = await tool(actionkitMock, 'actionkit-mcp', 'actionkit-run-action', { projectId: 'p1', action: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C2', text: 'yo' } });
    expect(run2.seen!.path).toBe('/projects/p1/actions/SLACK_SEND_MESSAGE');
    expect(run2.seen!.body).toEqual({ channel: 'C2', text: 'yo' });
  });

  it('tools/list shows the format enum of the consumed parameter; a format outside it is a tool error, nothing sent', async () => {
    const { tools } = await clients['actionkit-mcp']!.listTools();
    const list = tools.find((t) => t.name === 'actionkit-list-actions')!;
    expect(list.inputSchema.properties!.format).toMatchObject({ type: 'string', enum: ['json_schema', 'json-schema', 'openai', 'anthropic'] });
    expect(list.inputSchema.required ?? []).not.toContain('format');
    const { result, seen } = await tool(actionkitMock, 'actionkit-mcp', 'actionkit-list-actions', { projectId: 'p1', format: 'yaml' });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toContain('`format` must be one of "json_schema", "json-schema", "openai", "anthropic"');
    expect(seen).toBeUndefined();
  });

  it('a missing required argument is a tool error, nothing sent', async () => {
    const { result, seen } = await tool(actionkitMock, 'actionkit-mcp', 'actionkit-run-tool', { projectId: 'p1', tool: 'SLACK_SEND_MESSAGE' });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toContain('missing required argument `parameters`');
    expect(seen).toBeUndefined();
  });
});

/** Every request field of the seed document. */
const COMPOSIO_REQUEST = {
  connected_account_id: 'ca_123',
  endpoint: '/gmail/v1/users/me/messages',
  method: 'POST',
  body: { raw: 'aGVsbG8=' },
  binary_body: { url: 'https://files.example.test/a.png', content_type: 'image/png' },
  parameters: [{ name: 'maxResults', value: '10', type: 'query' }, { name: 'X-Trace', value: 't1', type: 'header' }],
  custom_connection_data: { authScheme: 'OAUTH2', toolkitSlug: 'gmail', val: { access_token: 'at', region: 'eu' } },
};

describe('Composio proxy execute (composio-proxy.yaml) over REST', () => {
  it('sends every seed field and the API key header from the binds, to /api/v3/tools/execute/proxy', async () => {
    const { res, text, seen } = await call(composioMock, composio, 'POST', '/api/v3/tools/execute/proxy', COMPOSIO_REQUEST);
    expect(res.status, text).toBe(200);
    expect(seen!.path).toBe('/api/v3/tools/execute/proxy');
    expect(seen!.headers['x-api-key']).toBe(SECRETS.COMPOSIO_API_KEY);
    expect(seen!.headers['x-user-api-key']).toBeUndefined();
    expect(seen!.body).toEqual(COMPOSIO_REQUEST);
    const answer = JSON.parse(text);
    expect(answer).toMatchObject({ status: 201, data: { endpoint: COMPOSIO_REQUEST.endpoint, query: { maxResults: '10' }, account: 'ca_123' }, headers: { 'x-proxied-method': 'POST' } });
    expect(Object.keys(answer).sort()).toEqual(['binary_data', 'data', 'headers', 'status']);
  });

  it('a binary answer comes back as binary_data {url, content_type, size, expires_at}', async () => {
    const { res, text } = await call(composioMock, composio, 'POST', '/api/v3/tools/execute/proxy', { endpoint: '/drive/v3/files/1.pdf', method: 'GET' });
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ data: null, status: 200, binary_data: { url: 'https://files.example.test/f/1.pdf', content_type: 'application/pdf', size: 1024, expires_at: '2026-12-01T00:00:00Z' } });
  });

  it('missing `endpoint` and `method` are a 400 naming both; a method outside the enum is refused; nothing sent', async () => {
    const missing = await call(composioMock, composio, 'POST', '/api/v3/tools/execute/proxy', {});
    const problem = checkProblem(missing.res.status, missing.res.headers, missing.text, { status: 400, slug: 'invalid-input' });
    expect(problem.errors!.map((e) => e.name).sort()).toEqual(['endpoint', 'method']);
    expect(missing.seen).toBeUndefined();
    const badMethod = await call(composioMock, composio, 'POST', '/api/v3/tools/execute/proxy', { endpoint: '/x', method: 'FETCH' });
    expect(badMethod.res.status).toBe(400);
    expect(JSON.parse(badMethod.text).errors).toEqual([{ name: 'method', in: 'body', message: '`method` must be one of "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"; got "FETCH"' }]);
    expect(badMethod.seen).toBeUndefined();
  });
});

describe('Composio proxy execute over MCP', () => {
  it('composio-execute-proxy sends every seed field and returns {data, binary_data, status, headers}', async () => {
    const { result, seen } = await tool(composioMock, 'composio-mcp', 'composio-execute-proxy', COMPOSIO_REQUEST);
    expect(result.isError, JSON.stringify(result)).toBeUndefined();
    expect(seen!.body).toEqual(COMPOSIO_REQUEST);
    expect(seen!.headers['x-api-key']).toBe(SECRETS.COMPOSIO_API_KEY);
    expect(result.structuredContent).toMatchObject({ status: 201, data: { account: 'ca_123' } });
  });

  it('a binary answer validates against the tool output schema (null data allowed)', async () => {
    const { result } = await tool(composioMock, 'composio-mcp', 'composio-execute-proxy', { endpoint: '/f.pdf', method: 'GET' });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ binary_data: { size: 1024, content_type: 'application/pdf' } });
    expect((result.structuredContent as { data?: unknown }).data ?? null).toBeNull();
  });

  it('missing `endpoint` is a tool error, nothing sent', async () => {
    const { result, seen } = await tool(composioMock, 'composio-mcp', 'composio-execute-proxy', { method: 'GET' });
    expect(result.isError).toBe(true);
    expect(seen).toBeUndefined();
  });

  it('tools/list shows the method enum; a method outside it is a tool error, nothing sent; each listed method reaches Composio', async () => {
    const { tools } = await clients['composio-mcp']!.listTools();
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'];
    expect(tools.find((t) => t.name === 'composio-execute-proxy')!.inputSchema.properties!.method).toMatchObject({ type: 'string', enum: methods });
    const bad = await tool(composioMock, 'composio-mcp', 'composio-execute-proxy', { endpoint: '/x', method: 'get' });
    expect(bad.result.isError).toBe(true);
    expect((bad.result.content as Array<{ text: string }>)[0]!.text).toContain('`method` must be one of "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"');
    expect(bad.seen).toBeUndefined();
    for (const method of methods) {
      const good = await tool(composioMock, 'composio-mcp', 'composio-execute-proxy', { endpoint: '/x', method });
      expect(good.result.isError, method).toBeUndefined();
      expect(good.seen!.body).toEqual({ endpoint: '/x', method });
    }
  });
});

describe('the process', () => {
  it('never prints a secret, and exits 0 on SIGTERM', async () => {
    for (const c of Object.values(clients)) await c.close();
    const { code } = await run.stop();
    expect(code).toBe(0);
    const output = run.stdout() + run.stderr();
    for (const secret of [SECRETS.PARAGON_USER_TOKEN, SECRETS.COMPOSIO_API_KEY]) expect(output).not.toContain(secret);
    expect(run.stderr()).toContain('SIGTERM received');
  });
});
