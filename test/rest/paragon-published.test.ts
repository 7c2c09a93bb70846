/**
 * The published Paragon Proxy capability (specs/paragon-proxy.yaml, byte-identical to the seed)
 * served by `capstan run`: all 7 operations over REST and all 7 tools over MCP against a local
 * echo upstream, bodies arriving byte for byte, the bearer token from the environment, and
 * multi-segment `apiPath` values sent with `/` and with `%2F`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startEchoUpstream, type EchoRequest, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { checkProblem } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { PARAGON_TOOLS } from '../mcp/paragon-tools.js';
import { SECRETS, SPECS } from './helpers.js';

const SPEC = join(SPECS, 'paragon-proxy.yaml');

/** The 7 operations: method, REST path prefix after /projects/p1/sdk/proxy, MCP tool and its route arguments. */
const OPERATIONS = [
  { method: 'GET', route: 'slack', tool: 'proxygetrequest', args: { integrationType: 'slack' } },
  { method: 'POST', route: 'slack', tool: 'proxypostrequest', args: { integrationType: 'slack' } },
  { method: 'PUT', route: 'hubspot', tool: 'proxyputrequest', args: { integrationType: 'hubspot' } },
  { method: 'PATCH', route: 'salesforce', tool: 'proxypatchrequest', args: { integrationType: 'salesforce' } },
  { method: 'DELETE', route: 'hubspot', tool: 'proxydeleterequest', args: { integrationType: 'hubspot' } },
  { method: 'GET', route: 'custom/int-42', tool: 'proxycustomgetrequest', args: { integrationId: 'int-42' } },
  { method: 'POST', route: 'custom/int-42', tool: 'proxycustompostrequest', args: { integrationId: 'int-42' } },
] as const;

const carriesBody = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH';
/** JSON whose bytes a parse-and-re-encode would change: spacing, escapes, number forms, key order. */
const BODY_TEXT = '{ "text" : "h\\u00e9llo ✓",\n  "n": 1.50, "z": 1e3, "a": [1, {"b": null}], "channel":"C123" }';

let echo: EchoUpstream;
let run: CapstanRun;
let rest: string;
let client: Client;

beforeAll(async () => {
  echo = await startEchoUpstream({
    routes: {
      'GET /projects/p1/sdk/proxy/slack/api/conversations.info': () => ({ status: 404, headers: { 'x-slack-req': 'r1' }, body: { ok: false, error: 'channel_not_found' } }),
    },
  });
  run = await startCapstan([SPEC], { namespaces: ['paragon-rest', 'paragon-mcp'], env: { ...SECRETS }, upstream: echo.url });
  rest = run.rest['paragon-rest']!;
  client = new Client({ name: 'paragon-published-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp['paragon-mcp']!)));
});

afterAll(async () => {
  await client?.close();
  await run?.stop();
  await echo?.close();
});

/** Sends a request with a fresh request id; returns the answer and the upstream request it caused. */
async function call(method: string, path: string, body?: string): Promise<{ res: Response; text: string; seen?: EchoRequest }> {
  const id = `req-${randomUUID()}`;
  const res = await fetch(rest + path, { method, headers: { 'x-request-id': id, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const seen = echo.requests.find((r) => r.headers['x-request-id'] === id);
  return { res, text, ...(seen ? { seen } : {}) };
}

describe('the bundled file is the published capability', () => {
  it.skipIf(!HAVE_SHARED)('specs/paragon-proxy.yaml is byte-identical to the published seed', () => {
    expect(readFileSync(SPEC)).toEqual(readFileSync(join(SHARED_DIR, 'seeds', 'paragon-proxy.capability.yaml')));
  });
});

describe('Paragon Proxy over REST', () => {
  for (const op of OPERATIONS) {
    for (const [form, apiPath] of [['/', 'crm/v3/objects/contacts'], ['%2F', 'crm%2Fv3%2Fobjects%2Fcontacts']] as const) {
      it(`${op.method} /${op.route}/{apiPath} with ${form} separators: path, query, ${carriesBody(op.method) ? 'body byte for byte' : 'no body'}, bearer`, async () => {
        const { res, text, seen } = await call(op.method, `/projects/p1/sdk/proxy/${op.route}/${apiPath}?limit=5&after=a%20b`, carriesBody(op.method) ? BODY_TEXT : undefined);
        expect(res.status, text).toBe(200);
        expect(seen).toBeDefined();
        expect(seen!.method).toBe(op.method);
        expect(seen!.rawPath).toBe(`/projects/p1/sdk/proxy/${op.route}/crm/v3/objects/contacts`);
        expect(seen!.query).toBe('limit=5&after=a+b');
        expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_TOKEN}`);
        if (carriesBody(op.method)) {
          expect(seen!.text).toBe(BODY_TEXT);
          expect(seen!.headers['content-type']).toBe('application/json');
        } else {
          expect(seen!.text).toBeUndefined();
        }
        // `mapping: $.` passes the whole upstream answer through.
        expect(JSON.parse(text).echo.rawPath).toBe(seen!.rawPath);
      });
    }
  }

  it('a POST without a body sends none', async () => {
    const { res, seen } = await call('POST', '/projects/p1/sdk/proxy/slack/chat.postMessage');
    expect(res.status).toBe(200);
    expect(seen!.text).toBeUndefined();
  });

  it('a non-JSON body on a forwarding operation is a 400 naming `body`, nothing sent', async () => {
    const before = echo.requests.length;
    const res = await fetch(`${rest}/projects/p1/sdk/proxy/slack/chat.postMessage`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    const problem = checkProblem(res.status, res.headers, await res.text(), { status: 400, slug: 'invalid-input' });
    expect(problem.errors).toEqual([{ name: 'body', in: 'body', message: expect.stringMatching(/Content-Type: application\/json/) }]);
    expect(echo.requests.length).toBe(before);
  });

  it('passes upstream error statuses through', async () => {
    const { res, text } = await call('GET', '/projects/p1/sdk/proxy/slack/api/conversations.info?channel=nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-slack-req')).toBe('r1');
    expect(JSON.parse(text)).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('the custom route only has GET and POST (405 with Allow, nothing sent)', async () => {
    const { res, text, seen } = await call('PUT', '/projects/p1/sdk/proxy/custom/int-42/v1/items', '{}');
    checkProblem(res.status, res.headers, text, { status: 405, slug: 'method-not-allowed' });
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(seen).toBeUndefined();
  });

  it.each(['api%3Fadmin=1/y', 'a%2F..%2F..%2Fadmin', '%2e%2e%2Fx', 'a%2F%2Fb'])('refuses the hostile apiPath %s with 400, nothing sent', async (apiPath) => {
    const before = echo.requests.length;
    const { res, text } = await call('GET', `/projects/p1/sdk/proxy/slack/${apiPath}`);
    expect(res.status, text).toBe(400);
    expect(JSON.parse(text).errors[0].name).toBe('apiPath');
    expect(echo.requests.length).toBe(before);
  });

  it('an empty apiPath is a missing required path input', async () => {
    const { res, text, seen } = await call('GET', '/projects/p1/sdk/proxy/slack/');
    expect(res.status).toBe(400);
    expect(JSON.parse(text).errors).toEqual([{ name: 'apiPath', in: 'path', message: 'required path parameter `apiPath` is missing' }]);
    expect(seen).toBeUndefined();
  });
});

describe('Paragon Proxy over MCP', () => {
  it('lists the 7 published tools, with the forwarded `body` argument on POST, PUT and PATCH', async () => {
    const { tools } = await client.listTools();
    expect(tools).toEqual(PARAGON_TOOLS);
  });

  for (const op of OPERATIONS) {
    it(`${op.tool}: multi-segment apiPath, ${carriesBody(op.method) ? 'body as JSON' : 'no body'}, bearer`, async () => {
      const from = echo.requests.length;
      const body = { text: 'héllo ✓', n: 1.5, a: [1, { b: null }] };
      const result = await client.callTool({ name: op.tool, arguments: { projectId: 'p1', ...op.args, apiPath: 'crm/v3/objects/contacts?limit=5', ...(carriesBody(op.method) ? { body } : {}) } });
      expect(result.isError, JSON.stringify(result)).toBeUndefined();
      const [seen] = echo.requests.slice(from);
      expect(seen!.method).toBe(op.method);
      expect(seen!.rawPath).toBe(`/projects/p1/sdk/proxy/${op.route}/crm/v3/objects/contacts`);
      expect(seen!.query).toBe('limit=5');
      expect(seen!.headers.authorization).toBe(`Bearer ${SECRETS.PARAGON_TOKEN}`);
      expect(seen!.text).toBe(carriesBody(op.method) ? JSON.stringify(body) : undefined);
    });
  }

  it('a `body` that is not an object is a tool error, nothing sent', async () => {
    const from = echo.requests.length;
    const result = await client.callTool({ name: 'proxypostrequest', arguments: { projectId: 'p1', integrationType: 'slack', apiPath: 'x', body: 'text' } });
    expect(result.isError).toBe(true);
    expect(echo.requests.length).toBe(from);
  });

  it('a missing required argument is a tool error, nothing sent', async () => {
    const from = echo.requests.length;
    const result = await client.callTool({ name: 'proxycustomgetrequest', arguments: { projectId: 'p1' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Invalid arguments for tool `proxycustomgetrequest`: missing required argument `integrationId`; missing required argument `apiPath`' }], isError: true });
    expect(echo.requests.length).toBe(from);
  });
});
