/**
 * The three seed specs served by `capstan run` over REST, end to end against a local echo
 * upstream: what the caller gets back and exactly what the upstream saw.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoRequest, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { checkProblem } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { SECRETS, SPECS } from './helpers.js';

const COMPOSIO_ANSWER = {
  data: { emailAddress: 'ada@example.com', messagesTotal: 42 },
  status: 201,
  headers: { 'x-ratelimit-remaining': '99', 'content-type': 'application/json' },
  successful: true,
  error: null,
  log_id: 'log_abc',
  session_info: { id: 's1' },
};

let echo: EchoUpstream;
let run: CapstanRun;
let paragon: string;
let actionkit: string;
let composio: string;

beforeAll(async () => {
  echo = await startEchoUpstream({
    routes: {
      'POST /tools/execute/proxy': () => ({ status: 200, body: COMPOSIO_ANSWER }),
      'GET /projects/p1/sdk/proxy/slack/api/conversations.info': () => ({ status: 404, headers: { 'x-slack-req': 'r1' }, body: { ok: false, error: 'channel_not_found' } }),
      'POST /projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts': () => ({ status: 503, headers: { 'content-type': 'text/plain', 'retry-after': '7' }, body: 'hubspot is down' }),
      'GET /projects/p1/sdk/proxy/custom/int-42/v1/created': () => ({ status: 201, body: { created: true } }),
    },
  });
  run = await startCapstan([join(SPECS, 'paragon-proxy.yaml'), join(SPECS, 'paragon-actionkit.yaml'), join(SPECS, 'composio-proxy.yaml')], {
    namespaces: ['paragon-rest', 'paragon-mcp', 'actionkit-rest', 'actionkit-mcp', 'composio-rest', 'composio-mcp'],
    env: { ...SECRETS },
    upstream: echo.url,
  });
  paragon = run.rest['paragon-rest']!;
  actionkit = run.rest['actionkit-rest']!;
  composio = run.rest['composio-rest']!;
});

afterAll(async () => {
  await run?.stop();
  await echo?.close();
});

/** Sends a request with a fresh request id; returns the answer and the upstream request it caused (if any). */
async function call(base: string, method: string, path: string, body?: unknown): Promise<{ res: Response; text: string; seen?: EchoRequest; id: string }> {
  const id = `req-${randomUUID()}`;
  const res = await fetch(base + path, {
    method,
    headers: { 'x-request-id': id, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const seen = echo.requests.find((r) => r.headers['x-request-id'] === id);
  return { res, text, id, ...(seen ? { seen } : {}) };
}

describe('Paragon proxy (paragon-proxy.yaml)', () => {
  it('GET with a multi-segment apiPath and a query string reaches the upstream path and query unchanged, with the bearer token from the environment', async () => {
    const { res, text, seen, id } = await call(paragon, 'GET', '/v1/projects/p1/sdk/proxy/slack/api/chat.postMessage?channel=general');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(seen).toBeDefined();
    expect(seen!.method).toBe('GET');
    expect(seen!.rawPath).toBe('/projects/p1/sdk/proxy/slack/api/chat.postMessage');
    expect(seen!.query).toBe('channel=general');
    expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_TOKEN}`);
    expect(seen!.body).toBeUndefined();
    // `mapping: $.` passes the whole upstream answer through.
    expect(JSON.parse(text)).toEqual({ echo: JSON.parse(JSON.stringify(seen)) });
  });

  it('keeps repeated and encoded query values on the proxied path', async () => {
    const { res, seen } = await call(paragon, 'GET', '/v1/projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts?properties=email&properties=first%20name&after=10');
    expect(res.status).toBe(200);
    expect(seen!.rawPath).toBe('/projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts');
    const q = new URLSearchParams(seen!.query);
    expect(q.getAll('properties')).toEqual(['email', 'first name']);
    expect(q.get('after')).toBe('10');
  });

  it.each(['POST', 'PUT', 'PATCH'])('%s passes the JSON body through unchanged', async (method) => {
    const body = { channel: 'C123', text: 'héllo ✓', blocks: [{ type: 'section', n: 1.5, ok: true, none: null }] };
    const { res, text, seen } = await call(paragon, method, '/v1/projects/p1/sdk/proxy/slack/api/chat.postMessage', body);
    expect(res.status).toBe(200);
    expect(seen!.method).toBe(method);
    expect(seen!.rawPath).toBe('/projects/p1/sdk/proxy/slack/api/chat.postMessage');
    expect(seen!.headers['content-type']).toMatch(/^application\/json/);
    expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_TOKEN}`);
    expect(seen!.body).toEqual(body);
    expect(JSON.parse(text).echo.body).toEqual(body);
  });

  it('DELETE sends no body', async () => {
    const { res, seen } = await call(paragon, 'DELETE', '/v1/projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts/77');
    expect(res.status).toBe(200);
    expect(seen!.method).toBe('DELETE');
    expect(seen!.rawPath).toBe('/projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts/77');
    expect(seen!.body).toBeUndefined();
    expect(seen!.headers['content-length'] ?? '0').toBe('0');
  });

  it('custom-integration GET and POST take the custom route (the upstream status is passed through)', async () => {
    const get = await call(paragon, 'GET', '/v1/projects/p1/sdk/proxy/custom/int-42/v1/items/7?expand=owner');
    expect(get.res.status).toBe(200);
    expect(get.seen!.rawPath).toBe('/projects/p1/sdk/proxy/custom/int-42/v1/items/7');
    expect(get.seen!.query).toBe('expand=owner');
    expect(get.seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_TOKEN}`);

    const post = await call(paragon, 'POST', '/v1/projects/p1/sdk/proxy/custom/int-42/v1/items', { name: 'widget', tags: ['a', 'b'] });
    expect(post.res.status).toBe(200);
    expect(post.seen!.method).toBe('POST');
    expect(post.seen!.rawPath).toBe('/projects/p1/sdk/proxy/custom/int-42/v1/items');
    expect(post.seen!.body).toEqual({ name: 'widget', tags: ['a', 'b'] });

    const created = await call(paragon, 'GET', '/v1/projects/p1/sdk/proxy/custom/int-42/v1/created');
    expect(created.res.status).toBe(201);
    expect(JSON.parse(created.text)).toEqual({ created: true });

    // PUT exists on {integrationType} but not on the custom route: the custom route wins and answers 405.
    const put = await call(paragon, 'PUT', '/v1/projects/p1/sdk/proxy/custom/int-42/v1/items', {});
    checkProblem(put.res.status, put.res.headers, put.text, { status: 405, slug: 'method-not-allowed' });
    expect(put.res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(put.seen).toBeUndefined();
  });

  it('passes upstream error statuses through with the upstream body and headers', async () => {
    const notFound = await call(paragon, 'GET', '/v1/projects/p1/sdk/proxy/slack/api/conversations.info?channel=nope');
    expect(notFound.res.status).toBe(404);
    expect(notFound.res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(notFound.res.headers.get('x-slack-req')).toBe('r1');
    expect(JSON.parse(notFound.text)).toEqual({ ok: false, error: 'channel_not_found' });

    const down = await call(paragon, 'POST', '/v1/projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts', { email: 'a@b.c' });
    expect(down.res.status).toBe(503);
    expect(down.res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(down.res.headers.get('retry-after')).toBe('7');
    expect(down.text).toBe('hubspot is down');
  });

  it('refuses an apiPath whose segment hides an encoded `/` or `?` (400, nothing sent upstream)', async () => {
    for (const path of ['/v1/projects/p1/sdk/proxy/slack/api%2Fx/y', '/v1/projects/p1/sdk/proxy/slack/api%3Fadmin=1/y']) {
      const before = echo.requests.length;
      const { res, text } = await call(paragon, 'GET', path);
      expect(res.status, text).toBe(400);
      const body = JSON.parse(text);
      expect(body.type).toBe('https://capstan.dev/problems/invalid-input');
      expect(body.errors).toEqual([{ name: 'apiPath', in: 'path', message: expect.stringMatching(/%2F, %3F/) }]);
      expect(echo.requests.length).toBe(before);
    }
  });

  it('an empty apiPath is a missing required path input (400 naming it)', async () => {
    const { res, text, seen } = await call(paragon, 'GET', '/v1/projects/p1/sdk/proxy/slack/');
    expect(res.status).toBe(400);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ type: 'https://capstan.dev/problems/invalid-input', title: 'Bad Request', status: 400 });
    expect(body.errors).toEqual([{ name: 'apiPath', in: 'path', message: 'required path parameter `apiPath` is missing' }]);
    expect(seen).toBeUndefined();
  });
});

describe('Paragon ActionKit (paragon-actionkit.yaml)', () => {
  it('list-actions sends the declared query filters (booleans as true/false) and the user token', async () => {
    const { res, seen } = await call(actionkit, 'GET', '/v1/projects/p1/actions?integrations=salesforce,hubspot&categories=crm&format=json_schema&limit_to_available=false&reload_fields=true&undeclared=1');
    expect(res.status).toBe(200);
    expect(seen!.method).toBe('GET');
    expect(seen!.rawPath).toBe('/projects/p1/actions');
    expect(Object.fromEntries(new URLSearchParams(seen!.query))).toEqual({
      integrations: 'salesforce,hubspot',
      categories: 'crm',
      format: 'json_schema',
      limit_to_available: 'false',
      reload_fields: 'true',
    });
    expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_USER_TOKEN}`);
  });

  it('list-actions without filters sends no query', async () => {
    const { res, seen } = await call(actionkit, 'GET', '/v1/projects/p-9/actions');
    expect(res.status).toBe(200);
    expect(seen!.rawPath).toBe('/projects/p-9/actions');
    expect(seen!.query).toBe('');
  });

  it('list-actions refuses an ill-typed boolean filter (400 naming it)', async () => {
    const { res, text, seen } = await call(actionkit, 'GET', '/v1/projects/p1/actions?limit_to_available=maybe');
    expect(res.status).toBe(400);
    expect(JSON.parse(text).errors).toEqual([{ name: 'limit_to_available', in: 'query', message: '`limit_to_available` must be `true` or `false`; got "maybe"' }]);
    expect(seen).toBeUndefined();
  });

  it('run-tool sends {tool, parameters} and answers the upstream body as is', async () => {
    const body = { tool: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C1', message: 'hi' } };
    const { res, text, seen } = await call(actionkit, 'POST', '/v1/projects/p1/tools', body);
    expect(res.status).toBe(200);
    expect(seen!.method).toBe('POST');
    expect(seen!.rawPath).toBe('/projects/p1/tools');
    expect(seen!.body).toEqual(body);
    expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_USER_TOKEN}`);
    expect(JSON.parse(text)).toEqual({ echo: JSON.parse(JSON.stringify(seen)) });
  });

  it('the legacy body {action, parameters} and the named-action route', async () => {
    const legacy = await call(actionkit, 'POST', '/v1/projects/p1/actions', { action: 'HUBSPOT_CREATE_CONTACT', parameters: { email: 'a@b.c' } });
    expect(legacy.res.status).toBe(200);
    expect(legacy.seen!.body).toEqual({ action: 'HUBSPOT_CREATE_CONTACT', parameters: { email: 'a@b.c' } });

    const named = await call(actionkit, 'POST', '/v1/projects/p1/actions/SLACK_SEND_MESSAGE', { channel: 'C1', message: 'hi' });
    expect(named.res.status).toBe(200);
    expect(named.seen!.rawPath).toBe('/projects/p1/actions/SLACK_SEND_MESSAGE');
    expect(named.seen!.body).toEqual({ channel: 'C1', message: 'hi' });
  });

  it('HEAD follows GET, OPTIONS lists the methods, a wrong method is 405 with Allow', async () => {
    const head = await call(actionkit, 'HEAD', '/v1/projects/p1/actions');
    expect(head.res.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.seen!.method).toBe('GET');

    const options = await call(actionkit, 'OPTIONS', '/v1/projects/p1/actions');
    expect(options.res.status).toBe(204);
    expect(options.res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(options.seen).toBeUndefined();

    const wrong = await call(actionkit, 'DELETE', '/v1/projects/p1/tools');
    const problem = checkProblem(wrong.res.status, wrong.res.headers, wrong.text, { status: 405, slug: 'method-not-allowed' });
    expect(problem.detail).toBe('DELETE is not allowed on /v1/projects/p1/tools; use POST');
    expect(wrong.res.headers.get('allow')).toBe('POST, OPTIONS');
    const headOnPost = await call(actionkit, 'HEAD', '/v1/projects/p1/tools');
    expect(headOnPost.res.status).toBe(405);
    expect(headOnPost.res.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('Composio proxy execute (composio-proxy.yaml)', () => {
  it('sends the body fields and x-api-key, and maps the answer to {status, data, headers}', async () => {
    const request = {
      endpoint: '/gmail/v1/users/me/profile',
      method: 'GET',
      parameters: [{ name: 'maxResults', value: '10', type: 'query' }],
      connected_account_id: 'ca_123',
    };
    const { res, text, seen } = await call(composio, 'POST', '/v1/tools/execute/proxy', request);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({ status: 201, data: COMPOSIO_ANSWER.data, headers: COMPOSIO_ANSWER.headers });
    expect(seen!.method).toBe('POST');
    expect(seen!.rawPath).toBe('/tools/execute/proxy');
    expect(seen!.headers['x-api-key']).toBe(SECRETS.COMPOSIO_API_KEY);
    expect(seen!.headers.authorization).toBeUndefined();
    expect(seen!.body).toEqual(request);
  });

  it('passes a JSON body for the third-party API', async () => {
    const request = { endpoint: 'https://api.github.com/repos/o/r/issues', method: 'POST', body: { title: 'Bug', labels: ['x'] } };
    const { res, seen } = await call(composio, 'POST', '/v1/tools/execute/proxy', request);
    expect(res.status).toBe(200);
    expect(seen!.body).toEqual(request);
  });

  it('refuses an ill-typed field (400, nothing sent upstream)', async () => {
    const { res, text, seen } = await call(composio, 'POST', '/v1/tools/execute/proxy', { endpoint: '/x', method: 'GET', parameters: { not: 'an array' } });
    expect(res.status).toBe(400);
    const body = JSON.parse(text);
    expect(body.errors).toEqual([{ name: 'parameters', in: 'body', message: expect.stringContaining('must be an array') }]);
    expect(seen).toBeUndefined();
  });
});

describe('the process', () => {
  it('never prints a secret, and exits 0 on SIGTERM', async () => {
    const { code } = await run.stop();
    expect(code).toBe(0);
    const output = run.stdout() + run.stderr();
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
    expect(run.stderr()).toContain('SIGTERM received');
  });
});
