/**
 * Inbound authentication cannot be bypassed (REST and MCP through `capstan run`): method
 * override headers, trailing slashes, case changes, percent-encoding and dot-segment tricks,
 * HEAD/OPTIONS, malformed or misplaced credentials; nothing reaches the upstream without the
 * token. Start-up logs say which adapters require authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { raw } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { eventually } from '../helpers/wait.js';
import { rpc } from './harness.js';
import { NAMESPACES, reliabilitySpec, UP_TOKEN } from './specs.js';

const IN_TOKEN = 'inbound-Token-Kc83Jx0Ww';
const AUTH = `      authentication:\n        type: bearer\n        token: "{{IN_TOKEN}}"\n`;
const SPEC = reliabilitySpec({ restAuth: AUTH, mcpAuth: AUTH, bindsExtra: '      IN_TOKEN: REL_IN_TOKEN\n' });

let gateway: CapstanRun;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { secret: 'upstream-data', url: req.url }));
  gateway = await startCapstan([tempSpec(SPEC)], {
    namespaces: NAMESPACES,
    env: { REL_UP_TOKEN: UP_TOKEN, REL_IN_TOKEN: IN_TOKEN },
    upstream: { '*': `${upstream.url}/base` },
    logLevel: 'info',
  });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const rest = () => gateway.rest.api!;
const bearer = { authorization: `Bearer ${IN_TOKEN}` };

/** The answer must not be a success and must not carry upstream data; the upstream saw nothing. */
async function expectBlocked(method: string, path: string, headers: Record<string, string | string[]> = {}, body?: string): Promise<number> {
  const before = upstream.seen.length;
  const a = await raw(rest(), method, path, { headers, ...(body !== undefined ? { body } : {}) });
  expect(a.status, `${method} ${path} → ${a.status} ${a.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(a.body).not.toContain('upstream-data');
  expect(upstream.seen.length, `${method} ${path} reached the upstream`).toBe(before);
  return a.status;
}

describe('REST inbound bearer auth', () => {
  it('control: the token opens the route; without it → 401 with a challenge', async () => {
    const ok = await raw(rest(), 'GET', '/items/a1', { headers: bearer });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('upstream-data');
    const before = upstream.seen.length;
    const no = await raw(rest(), 'GET', '/items/a1');
    expect(no.status).toBe(401);
    expect(no.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    expect(upstream.seen.length).toBe(before);
  });

  it('method override headers do not bypass it', async () => {
    for (const name of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
      for (const [method, override] of [['PUT', 'GET'], ['GET', 'OPTIONS'], ['GET', 'HEAD'], ['POST', 'GET'], ['PUT', 'OPTIONS']]) {
        await expectBlocked(method!, '/items/a1', { [name]: override!, 'content-type': 'application/json' }, method === 'GET' ? undefined : '{"note":"x"}');
      }
    }
    await expectBlocked('POST', '/items/a1?_method=GET', { 'content-type': 'application/json' }, '{}');
  });

  it('trailing slashes, case changes, encodings and dot segments do not bypass it', async () => {
    const paths = [
      '/items/a1/', '/items/a1//', '/ITEMS/a1', '/Items/a1', '/items/A1/', '/%69tems/a1', '/%69%74%65%6d%73/a1', '/items%2Fa1', '/items%2fa1', '//items/a1', '/./items/a1',
      '/items/./a1', '/items/../items/a1', '/openapi.json/../items/a1', '/openapi.json%2F..%2Fitems/a1', '/items/a1%00', '/items/a1%20', '/items/a1;x=1', '/items/a1?x=/../openapi.json',
      '/items\\a1', '/items/a1#frag', '/proxy/x', '/PROXY/x', '/fwd/x', '/fwd/../items/a1', '/FWD/x', '/echo', '/faults/ok', '/dead',
    ];
    for (const path of paths) await expectBlocked('GET', path);
    for (const path of ['/fwd/x', '/echo', '/items/a1']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) await expectBlocked(method, path, { 'content-type': 'application/json' }, '{}');
    }
  });

  it('HEAD and OPTIONS on a protected route do not leak data', async () => {
    const before = upstream.seen.length;
    const head = await raw(rest(), 'HEAD', '/items/a1');
    expect(head.status).toBe(401);
    expect(head.body).toBe('');
    const options = await raw(rest(), 'OPTIONS', '/items/a1');
    expect([204, 401]).toContain(options.status);
    expect(options.body).not.toContain('upstream-data');
    expect(upstream.seen.length).toBe(before);
  });

  it('malformed, partial, misplaced or doubled credentials are refused', async () => {
    const variants: Array<Record<string, string | string[]>> = [
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${IN_TOKEN}x` },
      { authorization: `Bearer x${IN_TOKEN}` },
      { authorization: `Bearer ${IN_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${IN_TOKEN.toUpperCase()}` },
      { authorization: `Bearer ${IN_TOKEN}\t${IN_TOKEN}` },
      { authorization: `Basic ${Buffer.from(`:${IN_TOKEN}`).toString('base64')}` },
      { authorization: `Token ${IN_TOKEN}` },
      { authorization: IN_TOKEN },
      { authorization: `Bearer ${encodeURIComponent(`${IN_TOKEN} `)}` },
      { 'x-api-key': IN_TOKEN },
      { 'proxy-authorization': `Bearer ${IN_TOKEN}` },
      { cookie: `token=${IN_TOKEN}; authorization=Bearer%20${IN_TOKEN}` },
      // Node keeps the first Authorization header of a request: a wrong first one is what counts.
      { authorization: ['Bearer wrong', `Bearer ${IN_TOKEN}`] },
    ];
    for (const headers of variants) {
      const status = await expectBlocked('GET', '/items/a1', headers);
      expect(status).toBe(401);
    }
    expect(await expectBlocked('GET', `/items/a1?access_token=${IN_TOKEN}&token=${IN_TOKEN}`)).toBe(401);
  });

  it('only /openapi.json is public, and it carries the description, not data', async () => {
    const doc = await raw(rest(), 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).not.toContain(IN_TOKEN);
    expect(doc.body).not.toContain('upstream-data');
  });
});

describe('MCP inbound bearer auth', () => {
  const mcp = () => gateway.mcp.tools!;
  const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get-item', arguments: { id: 'a1' } } };

  it('control: the token opens the endpoint', async () => {
    const ok = await rpc(mcp(), call, bearer);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('upstream-data');
  });

  it('without it, no path, method or header trick reaches a tool', async () => {
    const before = upstream.seen.length;
    const { origin } = new URL(mcp());
    const body = JSON.stringify(call);
    const attempts: Array<[string, string, Record<string, string>]> = [
      ['POST', '/mcp', {}], ['POST', '/', {}], ['POST', '/mcp/', {}], ['POST', '/mcp?x=1', {}], ['POST', '/MCP', {}], ['POST', '/mcp/../mcp', {}], ['POST', '//mcp', {}],
      ['POST', '/%6dcp', {}], ['PUT', '/mcp', {}], ['GET', '/mcp', { accept: 'text/event-stream' }], ['DELETE', '/mcp', { 'mcp-session-id': 'x' }],
      ['POST', '/mcp', { 'x-http-method-override': 'OPTIONS' }], ['POST', '/mcp', { authorization: 'Bearer' }], ['POST', '/mcp', { authorization: `Bearer ${IN_TOKEN}x` }],
      ['POST', '/mcp', { authorization: `Basic ${Buffer.from(`x:${IN_TOKEN}`).toString('base64')}` }], ['HEAD', '/mcp', {}],
    ];
    for (const [method, path, headers] of attempts) {
      const a = await raw(origin, method, path, { headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
      expect(a.status, `${method} ${path} → ${a.status} ${a.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(a.body).not.toContain('upstream-data');
      expect(a.body).not.toContain('"tools"');
    }
    // CORS preflight answers without authentication, but with no data.
    const preflight = await raw(origin, 'OPTIONS', '/mcp', { headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.body).toBe('');
    expect(upstream.seen.length).toBe(before);
  });

  it('tools/list and initialize need the token too', async () => {
    const list = await rpc(mcp(), { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(list.status).toBe(401);
    expect(list.text).not.toContain('get-item');
    const init = await rpc(mcp(), { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    expect(init.status).toBe(401);
    expect(init.headers['mcp-session-id']).toBeUndefined();
  });
});

describe('start-up logs say which adapters require authentication', () => {
  // Log lines are written asynchronously (pino): wait for them.
  it('bearer on both adapters', async () => {
    await eventually(() => /mcp adapter tools: authentication/.test(gateway.stdout()));
    const logs = gateway.stdout();
    expect(logs).toMatch(/rest adapter api: authentication bearer/);
    expect(logs).toMatch(/mcp adapter tools: authentication bearer/);
    expect(logs).not.toContain(IN_TOKEN);
  });

  it('none, when the adapters declare no authentication', async () => {
    const open = await startCapstan([tempSpec(reliabilitySpec())], {
      namespaces: NAMESPACES,
      env: { REL_UP_TOKEN: UP_TOKEN },
      upstream: { '*': `${upstream.url}/base` },
      logLevel: 'info',
    });
    try {
      await eventually(() => /mcp adapter tools: authentication/.test(open.stdout()));
      expect(open.stdout()).toMatch(/rest adapter api: authentication none/);
      expect(open.stdout()).toMatch(/mcp adapter tools: authentication none/);
    } finally {
      await open.stop();
    }
  });
});
