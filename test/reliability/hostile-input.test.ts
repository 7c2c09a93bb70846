/**
 * Hostile input end to end through `capstan run` (REST and MCP): path injection through every
 * placeholder form (middle segment, trailing multi-segment, forward), CRLF/NUL in headers and
 * query, parameter smuggling, template injection naming a bind secret, deeply nested and
 * oversized JSON, prototype-pollution keys (checked through follow-up behaviour, and in process
 * on Object.prototype), and malformed JSON-RPC. A second loopback port (the canary) stands in
 * for another host: it must never be contacted.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { checkSpec, type McpAdapterNode, type RestAdapterNode } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { createRestServer, registerRestAdapter } from '@capstan/rest';
import { createMcpAdapter } from '@capstan/mcp';
import { raw } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { json, startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { callTool, rpc, toolText, type RpcAnswer } from './harness.js';
import { NAMESPACES, reliabilitySpec, UP_TOKEN } from './specs.js';

let gateway: CapstanRun;
let upstream: Upstream;
let canary: Upstream;
const CANARY = () => `127.0.0.1:${canary.port}`;

beforeAll(async () => {
  canary = await startUpstream();
  upstream = await startUpstream((req, res) => json(res, 200, { url: req.url }));
  gateway = await startCapstan([tempSpec(reliabilitySpec())], {
    namespaces: NAMESPACES,
    env: { REL_UP_TOKEN: UP_TOKEN },
    upstream: { '*': `${upstream.url}/base` },
    timeoutMs: 3_000,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([upstream?.close(), canary?.close()]);
});

const rest = () => gateway.rest.api!;
const mcp = () => gateway.mcp.tools!;

/** A path target the upstream received stays under `/base` and has no dot segment or encoded separator. */
function contained(target: string, route: RegExp): string | undefined {
  const path = target.split('?')[0]!;
  if (!route.test(path)) return `${target} is outside ${route}`;
  for (const segment of path.split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `${target}: malformed percent-encoding`;
    }
    if (decoded === '.' || decoded === '..') return `${target}: dot segment`;
    if (decoded.includes('/') || decoded.includes('\\')) return `${target}: encoded separator`;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(decoded)) return `${target}: control character`;
  }
  return undefined;
}

/** Every upstream request since `from` is contained in `route`; nothing reached the canary. */
function expectContained(from: number, route: RegExp): Seen[] {
  const fresh = upstream.seen.slice(from);
  for (const s of fresh) expect(contained(s.url, route)).toBeUndefined();
  for (const s of fresh) expect(Object.keys(s.headers)).not.toContain('x-injected');
  expect(canary.opened()).toBe(0);
  return fresh;
}

const ITEM_ROUTE = /^\/base\/items\/[^/]+\/detail$/;
const PROXY_ROUTE = /^\/base\/proxy\/.+/;
const BASE_ROUTE = /^\/base(\/.*)?$/;

/** Values as sent in a REST URL (still percent-encoded); `{C}` is the canary's host:port. */
const SEGMENT_ATTACKS = [
  '..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '%25252e%25252e', 'a%2Fb', 'a%2fb', 'a%5Cb', '%5C..', '..%5C..%5Cadmin', 'a%0d%0ab', 'a%0aX-Injected:%201',
  'a%00b', '%2F%2F{C}', '%2F%2F{C}%2Fx', 'http:%2F%2F{C}%2Fx', 'http%3A%2F%2F{C}', '..%2F..%2Fadmin', '%2e%2e%5c%2e%2e', 'a\\b', '%C0%AE%C0%AE', '%uff0e%uff0e', '@{C}',
];
/** A trailing placeholder takes %2F as a separator (generated clients send it): the same guards hold. */
const ENCODED_SEPARATOR_ATTACKS = [
  '%2F..%2Fadmin', 'a%2F..%2F..%2Fadmin', 'a%2F%2e%2e%2Fb', 'a%2F%2E%2E', '%2e%2e%2Fadmin', 'a%2F%252e%252e%2Fb', 'a%2F.%2Fb', 'a%2F%2Fb',
  '%2F%2F{C}', 'a%2F%2F{C}%2Fx', 'http:%2F%2F{C}', 'a%2F%5C..%2Fb', 'a%2F%3Fx=1',
];
const TAIL_ATTACKS = [
  '../admin', 'a/../../admin', '..', './x', 'a/./b', 'a/.', '%2e%2e/admin', 'a/%2E%2E/b', '.%2e/x', '%252e%252e/admin', '%2F%2F{C}/x', 'a%2Fb', 'a%5C..%5Cb', '..%5cadmin', '/{C}/x',
  '//{C}/x', 'http://{C}/x', 'http:/{C}/x', 'a%3Fx=1/b', 'a%23frag', 'a%0d%0aX-Injected:%201', 'a%00/b', 'a//b', '%2e', 'x/..%2f..%2fadmin', '\\\\{C}\\x',
  ...ENCODED_SEPARATOR_ATTACKS,
];

const fill = (v: string) => v.split('{C}').join(CANARY());

describe('path injection over REST', () => {
  for (const attack of SEGMENT_ATTACKS) {
    it(`middle placeholder /items/{id}: ${JSON.stringify(attack)}`, async () => {
      const from = upstream.seen.length;
      const answer = await raw(rest(), 'GET', `/items/${fill(attack)}`);
      expect(answer.status, answer.body).toBeLessThan(500);
      const fresh = expectContained(from, ITEM_ROUTE);
      if (answer.status >= 400) expect(fresh).toEqual([]);
    });
  }
  for (const attack of TAIL_ATTACKS) {
    it(`trailing placeholder /proxy/{apiPath}: ${JSON.stringify(attack)}`, async () => {
      const from = upstream.seen.length;
      const answer = await raw(rest(), 'GET', `/proxy/${fill(attack)}`);
      expect(answer.status, answer.body).toBeLessThan(500);
      const fresh = expectContained(from, PROXY_ROUTE);
      if (answer.status >= 400) expect(fresh).toEqual([]);
    });
    it(`forward /fwd/{path}: ${JSON.stringify(attack)}`, async () => {
      const from = upstream.seen.length;
      const answer = await raw(rest(), 'GET', `/fwd/${fill(attack)}`);
      expect(answer.status, answer.body).toBeLessThan(500);
      const fresh = expectContained(from, BASE_ROUTE);
      if (answer.status >= 400) expect(fresh).toEqual([]);
    });
  }

  it.each(ENCODED_SEPARATOR_ATTACKS.filter((a) => !a.startsWith('http')))('encoded separators in the trailing placeholder are refused with 400 and no upstream call: %s', async (attack) => {
    const from = upstream.seen.length;
    const answer = await raw(rest(), 'GET', `/proxy/${fill(attack)}`);
    expect(answer.status, answer.body).toBe(400);
    expect(upstream.seen.slice(from)).toEqual([]);
  });

  it('an encoded separator in the trailing placeholder reaches the upstream as `/`', async () => {
    const from = upstream.seen.length;
    const answer = await raw(rest(), 'GET', '/proxy/crm%2Fv3%2Fobjects/contacts');
    expect(answer.status, answer.body).toBe(200);
    expect(upstream.seen.slice(from).map((s) => s.url)).toEqual(['/base/proxy/crm/v3/objects/contacts']);
  });

  it('a query value cannot smuggle another parameter, and CR/LF in it stay encoded', async () => {
    const from = upstream.seen.length;
    const answer = await raw(rest(), 'GET', '/items/a1?q=x%26admin%3Dtrue%0d%0aX-Injected:%201');
    expect(answer.status).toBe(200);
    const [seen] = expectContained(from, ITEM_ROUTE);
    const query = new URLSearchParams(seen!.url.split('?')[1]);
    expect([...query.keys()]).toEqual(['q']);
    expect(query.get('q')).toBe('x&admin=true\r\nX-Injected: 1');
  });

  it('a forwarded query cannot carry CR/LF or a fragment out of the query', async () => {
    const from = upstream.seen.length;
    const answer = await raw(rest(), 'GET', '/fwd/a?x=1%0d%0aX-Injected:%201&y=%23z');
    expect(answer.status).toBeLessThan(500);
    expectContained(from, BASE_ROUTE);
  });

  it('NUL, CR and obs-fold in a request header are refused by the HTTP parser (400) and never reach the upstream', async () => {
    const from = upstream.seen.length;
    const { port } = new URL(rest());
    for (const header of ['X-Trace: a\u0000b', 'X-Trace: a\rX-Injected: 1', 'X-Trace: a\r\n X-Injected: 1']) {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) });
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
        socket.write(`GET /items/a1 HTTP/1.1\r\nHost: 127.0.0.1\r\n${header}\r\nConnection: close\r\n\r\n`);
      });
      expect(answer, JSON.stringify(header)).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(upstream.seen.length).toBe(from);
  });
});

/** Percent-decodes a REST attack into the string a tool argument would carry. */
function decoded(attack: string): string {
  try {
    return decodeURIComponent(fill(attack));
  } catch {
    return fill(attack);
  }
}

function expectRefusedOrContained(answer: RpcAnswer, from: number, route: RegExp): void {
  expect(answer.status).toBe(200);
  expect(answer.body.error, answer.text).toBeUndefined();
  const fresh = expectContained(from, route);
  if (answer.body.result?.isError) {
    expect(fresh).toEqual([]);
    expect(toolText(answer)).toMatch(/^Invalid arguments for tool/);
  }
}

describe('path injection over MCP tool arguments', () => {
  // Each attack as written in a URL (still encoded) and as the decoded string.
  for (const attack of SEGMENT_ATTACKS) {
    for (const form of ['as written', 'decoded'] as const) {
      it(`get-item id = ${JSON.stringify(attack)} (${form})`, async () => {
        const from = upstream.seen.length;
        const value = form === 'decoded' ? decoded(attack) : fill(attack);
        expectRefusedOrContained(await callTool(mcp(), 'get-item', { id: value }), from, ITEM_ROUTE);
      });
    }
  }
  for (const attack of TAIL_ATTACKS) {
    for (const form of ['as written', 'decoded'] as const) {
      it(`proxy-get apiPath = ${JSON.stringify(attack)} (${form})`, async () => {
        const from = upstream.seen.length;
        const value = form === 'decoded' ? decoded(attack) : fill(attack);
        expectRefusedOrContained(await callTool(mcp(), 'proxy-get', { apiPath: value }), from, PROXY_ROUTE);
      });
    }
  }

  for (const value of ['a\r\nX-Injected: 1', 'a\nX-Injected: 1', 'a\rb', 'a\u0000b']) {
    it(`a header argument with ${JSON.stringify(value)} is refused and nothing is sent`, async () => {
      const from = upstream.seen.length;
      const answer = await callTool(mcp(), 'get-item', { id: 'a1', 'X-Trace': value });
      expect(answer.body.result?.isError).toBe(true);
      expect(toolText(answer)).toMatch(/X-Trace.*CR, LF and NUL/);
      expect(upstream.seen.length).toBe(from);
    });
  }

  it('a query argument cannot smuggle another parameter', async () => {
    const from = upstream.seen.length;
    const answer = await callTool(mcp(), 'get-item', { id: 'a1', q: 'x&admin=true#frag\r\n' });
    expect(answer.body.result?.isError).toBeFalsy();
    const [seen] = expectContained(from, ITEM_ROUTE);
    const query = new URLSearchParams(seen!.url.split('?')[1]);
    expect([...query.keys()]).toEqual(['q']);
    expect(query.get('q')).toBe('x&admin=true#frag\r\n');
  });
});

describe('template injection: a value naming a bind is sent literally, never expanded', () => {
  const TEMPLATES = ['{{UP_TOKEN}}', '{{{UP_TOKEN}}}', '{{&UP_TOKEN}}', '{{ UP_TOKEN }}', '{{env.UP_TOKEN}}', '{{#env}}{{UP_TOKEN}}{{/env}}', '{{=<% %>=}}<%UP_TOKEN%>', '{UP_TOKEN}', '{{> UP_TOKEN}}'];

  /** The secret only ever appears in the upstream's Authorization header. */
  function expectNoSecretOutsideAuth(from: number): Seen[] {
    const fresh = upstream.seen.slice(from);
    for (const s of fresh) {
      const { authorization, ...rest } = s.headers;
      expect(authorization).toBe(`Bearer ${UP_TOKEN}`);
      expect(JSON.stringify(rest)).not.toContain(UP_TOKEN);
      expect(decodeURIComponent(s.url)).not.toContain(UP_TOKEN);
      expect(s.body).not.toContain(UP_TOKEN);
    }
    return fresh;
  }

  for (const t of TEMPLATES) {
    it(`REST path, query, header and body: ${JSON.stringify(t)}`, async () => {
      const from = upstream.seen.length;
      const e = encodeURIComponent(t);
      // A `/` cannot be in a one-segment placeholder (refused): such templates go in the query only.
      const seg = t.includes('/') ? 'x' : t;
      const get = await raw(rest(), 'GET', `/items/${encodeURIComponent(seg)}?q=${e}`, { headers: { 'x-trace': t } });
      expect(get.status).toBe(200);
      const put = await raw(rest(), 'PUT', `/items/a1`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: t }) });
      expect(put.status).toBe(200);
      const post = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: { [t]: t, list: [t] } }) });
      expect(post.status).toBe(200);
      const [g, p, o] = expectNoSecretOutsideAuth(from);
      expect(decodeURIComponent(g!.url.split('?')[0]!)).toBe(`/base/items/${seg}/detail`);
      expect(new URLSearchParams(g!.url.split('?')[1]).get('q')).toBe(t);
      expect(g!.headers['x-trace']).toBe(t);
      expect(JSON.parse(p!.body)).toEqual({ note: t });
      expect(JSON.parse(o!.body)).toEqual({ [t]: t, list: [t] });
    });

    it(`MCP arguments: ${JSON.stringify(t)}`, async () => {
      const from = upstream.seen.length;
      const answers = await Promise.all([
        callTool(mcp(), 'get-item', { id: t.includes('/') ? 'x' : t, q: t, 'X-Trace': t }),
        callTool(mcp(), 'put-item', { id: 'a1', note: t }),
        callTool(mcp(), 'echo-post', { body: { [t]: t } }),
        callTool(mcp(), 'proxy-get', { apiPath: `v1/${t}` }),
      ]);
      for (const a of answers) expect(a.body.result?.isError, a.text).toBeFalsy();
      const fresh = expectNoSecretOutsideAuth(from);
      expect(fresh).toHaveLength(4);
      const byPath = (p: string) => fresh.find((s) => s.url.startsWith(p))!;
      expect(fresh.find((s) => s.url.includes('?q='))!.headers['x-trace']).toBe(t);
      expect(JSON.parse(byPath('/base/items/a1').body)).toEqual({ note: t });
      expect(JSON.parse(byPath('/base/echo').body)).toEqual({ [t]: t });
      expect(decodeURIComponent(byPath('/base/proxy/').url)).toBe(`/base/proxy/v1/${t}`);
    });
  }
});

describe('deeply nested and oversized JSON', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('10k- and 100k-deep arrays never crash the gateway: an answer comes, and it keeps serving', async () => {
    for (const n of [10_000, 100_000]) {
      const r = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: `{"body":{"x":${deep(n)}}}` });
      expect(r.status).toBeGreaterThanOrEqual(400);
      const m = await rpc(mcp(), `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo-post","arguments":{"body":{"x":${deep(n)}}}}}`);
      expect(m.status).toBeLessThan(500);
      expect(m.body.error ?? m.body.result?.isError).toBeTruthy();
    }
    expect(gateway.alive()).toBe(true);
    const after = await raw(rest(), 'GET', '/items/after');
    expect(after.status).toBe(200);
  });

  // The executor refuses inputs nested more than 64 levels (InputError → REST 400, MCP "Invalid
  // arguments") before anything serialises them: 10k-deep JSON would overflow the stack.
  it('a 10k-deep JSON body → REST 4xx (not 500) and MCP "Invalid arguments"', async () => {
    const r = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: `{"body":{"x":${deep(10_000)}}}` });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    const m = await rpc(mcp(), `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo-post","arguments":{"body":{"x":${deep(10_000)}}}}}`);
    expect(toolText(m)).toMatch(/^Invalid arguments/);
  });

  it('a JSON body of 200k keys just under the body limit is answered (no quadratic blow-up) and the gateway keeps serving', async () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',');
    const started = Date.now();
    const r = await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: `{"body":{${keys}}}` });
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const after = await raw(rest(), 'GET', '/items/after');
    expect(after.status).toBe(200);
  });
});

describe('prototype-pollution keys', () => {
  const POLLUTERS = [
    '{"__proto__":{"q":"polluted","x-trace":"polluted","note":"polluted","id":"polluted"}}',
    '{"constructor":{"prototype":{"q":"polluted","x-trace":"polluted"}}}',
    '{"prototype":{"q":"polluted"},"__proto__":[1,2]}',
  ];

  /** A follow-up call without optional inputs reaches the upstream with none: nothing was inherited. */
  async function expectUnpolluted(): Promise<void> {
    const from = upstream.seen.length;
    const r = await raw(rest(), 'GET', '/items/clean');
    expect(r.status).toBe(200);
    const m = await callTool(mcp(), 'get-item', { id: 'clean2' });
    expect(m.body.result?.isError).toBeFalsy();
    const fresh = upstream.seen.slice(from);
    expect(fresh.map((s) => s.url)).toEqual(['/base/items/clean/detail', '/base/items/clean2/detail']);
    for (const s of fresh) expect(s.headers['x-trace']).toBeUndefined();
  }

  it('in REST JSON bodies, form bodies and query strings: follow-up calls inherit nothing', async () => {
    for (const p of POLLUTERS) {
      expect((await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: `{"body":${p}}` })).status).toBeLessThan(500);
      expect((await raw(rest(), 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: p })).status).toBeLessThan(500);
      expect((await raw(rest(), 'PUT', '/items/a1', { headers: { 'content-type': 'application/json' }, body: `{"note":"n",${p.slice(1)}` })).status).toBeLessThan(500);
    }
    const form = '__proto__[q]=polluted&constructor[prototype][q]=polluted&__proto__.q=polluted&note=n';
    expect((await raw(rest(), 'PUT', '/items/a1', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).status).toBeLessThan(500);
    expect((await raw(rest(), 'GET', `/items/a1?${form}`)).status).toBeLessThan(500);
    await expectUnpolluted();
  });

  it('in MCP tool arguments: follow-up calls inherit nothing', async () => {
    for (const p of POLLUTERS) {
      for (const [name, args] of [['get-item', `{"id":"a1",${p.slice(1)}`], ['echo-post', `{"body":${p}}`], ['put-item', `{"id":"a1","note":"n",${p.slice(1)}`]] as const) {
        const answer = await rpc(mcp(), `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"${name}","arguments":${args}}}`);
        expect(answer.status, answer.text).toBeLessThan(500);
      }
      const answer = await rpc(mcp(), `{"jsonrpc":"2.0","id":8,"method":"tools/list","params":${p}}`);
      expect(answer.status).toBeLessThan(500);
    }
    await expectUnpolluted();
  });

  it('in process: REST and MCP adapters leave Object.prototype untouched', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const up = await startUpstream((req, res) => json(res, 200, { url: req.url }));
    const graph = checkSpec(tempSpec(reliabilitySpec())).graph!;
    const executor = await Executor.create(graph, { env: { REL_UP_TOKEN: UP_TOKEN }, upstreams: { '*': `${up.url}/base` } });
    const app = createRestServer();
    registerRestAdapter(app, graph.adapters.find((a): a is RestAdapterNode => a.type === 'rest')!, { runner: executor });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const adapter = createMcpAdapter(graph.adapters.find((a): a is McpAdapterNode => a.type === 'mcp')!, executor, { logger: () => undefined });
    const listening = await adapter.listen({ host: '127.0.0.1', port: 0 });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      for (const p of POLLUTERS) {
        await raw(base, 'POST', '/echo', { headers: { 'content-type': 'application/json' }, body: `{"body":${p}}` });
        await raw(base, 'PUT', '/items/a1', { headers: { 'content-type': 'application/json' }, body: `{"note":"n",${p.slice(1)}` });
        await rpc(listening.url, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo-post","arguments":{"body":${p}}}}`);
        await rpc(listening.url, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get-item","arguments":{"id":"a",${p.slice(1)}}}}`);
      }
      await raw(base, 'GET', '/items/a1?__proto__[q]=polluted&constructor[prototype][q]=polluted');
      await raw(base, 'PUT', '/items/a1', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '__proto__[q]=polluted&note=n' });
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      const probe: Record<string, unknown> = {};
      for (const key of ['q', 'x-trace', 'note', 'id']) expect(probe[key]).toBeUndefined();
    } finally {
      await adapter.close();
      await app.close();
      await executor.close();
      await up.close();
    }
  });
});

describe('malformed JSON-RPC', () => {
  const MESSAGES: Array<[string, string]> = [
    ['invalid JSON', '{bad json'],
    ['empty body', ''],
    ['a string', '"string"'],
    ['a number', '123'],
    ['null', 'null'],
    ['empty batch', '[]'],
    ['batch of garbage', '[1,2,3]'],
    ['batch of requests', '[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"nope"}]'],
    ['method of the wrong type', '{"jsonrpc":"2.0","id":1,"method":42}'],
    ['missing method', '{"jsonrpc":"2.0","id":1}'],
    ['wrong jsonrpc version', '{"jsonrpc":"1.0","id":1,"method":"tools/list"}'],
    ['object id', '{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}'],
    ['huge numeric id', '{"jsonrpc":"2.0","id":1e308,"method":"tools/list"}'],
    ['id beyond 2^64', '{"jsonrpc":"2.0","id":18446744073709551616,"method":"tools/list"}'],
    ['100k-character id', JSON.stringify({ jsonrpc: '2.0', id: 'i'.repeat(100_000), method: 'tools/list' })],
    ['unknown method', '{"jsonrpc":"2.0","id":1,"method":"nope"}'],
    ['params of the wrong type', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}'],
    ['tool name of the wrong type', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":42}}'],
    ['arguments as an array', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-item","arguments":[1,2]}}'],
    ['unknown tool', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope","arguments":{}}}'],
    ['arguments of the wrong type', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-item","arguments":{"id":{"x":1}}}}'],
    ['a response instead of a request', '{"jsonrpc":"2.0","id":1,"result":{}}'],
    ['a notification with an unknown method', '{"jsonrpc":"2.0","method":"notifications/nope"}'],
  ];

  for (const [what, text] of MESSAGES) {
    it(`${what} → a JSON-RPC error (or a valid answer), never a 5xx; the adapter keeps serving`, async () => {
      const from = upstream.seen.length;
      const answer = await rpc(mcp(), text);
      expect(answer.status, answer.text).toBeLessThan(500);
      if (answer.text) {
        const parsed: unknown = JSON.parse(answer.text);
        for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
          const msg = m as { jsonrpc?: string; error?: { code: number; message: string }; result?: { isError?: boolean } };
          expect(msg.jsonrpc).toBe('2.0');
          if (msg.error) {
            expect(msg.error.code).toBeGreaterThanOrEqual(-32768);
            expect(msg.error.code).toBeLessThanOrEqual(-32000);
            expect(typeof msg.error.message).toBe('string');
          }
        }
      }
      expect(upstream.seen.length).toBe(from);
      const list = await rpc(mcp(), { jsonrpc: '2.0', id: 99, method: 'tools/list' });
      expect(list.status).toBe(200);
      expect((list.body.result as { tools?: unknown[] } | undefined)?.tools?.length).toBeGreaterThan(0);
    });
  }

  it('well-known codes: parse error -32700 (400), unknown method -32601', async () => {
    const parse = await rpc(mcp(), '{bad');
    expect(parse.status).toBe(400);
    expect(parse.body.error?.code).toBe(-32700);
    const unknown = await rpc(mcp(), '{"jsonrpc":"2.0","id":1,"method":"nope"}');
    expect(unknown.body.error?.code).toBe(-32601);
    expect(unknown.body.id).toBe(1);
  });
});

describe('MCP Origin and Host checks through capstan run', () => {
  it('a foreign Origin or a non-loopback Host (DNS rebinding) → 403, nothing called; loopback ones pass', async () => {
    const from = upstream.seen.length;
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get-item', arguments: { id: 'a1' } } };
    const foreign: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { origin: 'null' }, { host: 'evil.example' }, { host: `evil.example:${new URL(mcp()).port}` }, { host: '127.0.0.1.evil.example' }];
    for (const headers of foreign) {
      const answer = await rpc(mcp(), call, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.body.error?.message).toMatch(/^Forbidden/);
    }
    expect(upstream.seen.length).toBe(from);
    const ok = await rpc(mcp(), call, { origin: 'http://localhost:3000' });
    expect(ok.status).toBe(200);
    expect(ok.body.result?.isError).toBeFalsy();
  });
});
