/**
 * The error catalog walked end to end: every code is triggered through `capstan run` over REST
 * (problem+json with the catalog's type, title and status) and over MCP (an `isError` tool result
 * starting with the catalog's label, or a JSON-RPC error with its code), or the table says why a
 * surface cannot raise it and which suite triggers it instead. A code added to the catalog
 * without a row here fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOG, problemType, type ErrorCode } from '@capstan/runtime';
import { raw, type RawAnswer } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { closedPort, json, sendBody, startUpstream, type Upstream } from '../helpers/upstream.js';
import { callTool, rpc, toolText, type RpcAnswer } from '../reliability/harness.js';
import { join } from 'node:path';

const TIMEOUT = 800;

const tool = (name: string, call: string, inputs: string[] = [], extra = '') => `        - name: ${name}
          description: ${name}
${inputs.length ? `          inputParameters:\n${inputs.map((i) => `            - name: ${i}\n              type: string\n              description: ${i}\n              required: false\n`).join('')}` : ''}          call: ${call}
${inputs.length ? `          with:\n${inputs.map((i) => `            ${i}: tools.${i}\n`).join('')}` : ''}${extra}`;

/** An output mapping that needs a JSON answer with a boolean `ok`. */
const OK_OUTPUT = `              outputParameters:
                - type: object
                  properties:
                    ok:
                      type: boolean
                      mapping: $.ok
`;

/** One exposed REST resource with one operation; `inputs` are [name, in, consumed name?]. */
const restOp = (path: string, method: string, call: string, ns: string, inputs: string[][] = [], extra = '') => `        - path: ${path}
          name: r${path.replace(/\W/g, '')}
          description: ${path}
          operations:
            - method: ${method}
              name: op${path.replace(/\W/g, '')}
              description: ${call}
${inputs.length ? `              inputParameters:\n${inputs.map(([n, where]) => `                - { name: ${n}, in: ${where}, type: string, description: ${n} }\n`).join('')}` : ''}              call: ${call}
${inputs.some((i) => i[1] !== 'body') ? `              with:\n${inputs.filter((i) => i[1] !== 'body').map(([n, , to]) => `                ${to ?? n}: ${ns}.${n}\n`).join('')}` : ''}${extra}`;

/** One consumed API with GET operations named like their resources ([name, path]), under a resiliency policy. */
const consumed = (ns: string, resiliency: string, resources: string[][]) => `    - type: http
      namespace: ${ns}
      baseUri: http://127.0.0.1:9/base
      resiliency: ${resiliency}
      resources:
${resources.map(([name, path]) => `        - { name: ${name}, path: "${path}", operations: [{ name: ${name}, method: GET }] }\n`).join('')}`;

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Catalog walk
  description: One trigger per error code
binds:
  - namespace: env
    keys:
      IN_KEY: CAT_IN_KEY
capability:
  consumes:
${consumed('up', '{ retry: { attempts: 0 } }', [['fault', '/fault/{{kind}}'], ['dotted', '/{{a}}.{{b}}']])}${consumed('dead', '{ retry: { attempts: 0 }, circuitBreaker: { minimumNumberOfCalls: 2, waitDurationInOpenState: 60000 } }', [['down', '/down']])}${consumed('limited', '{ rateLimiter: { limitForPeriod: 1, limitRefreshPeriod: 60000, timeoutDuration: 0 } }', [['once', '/fault/ok']])}${consumed('odd', '{ retry: { attempts: 0 } }', [['odd', '/fault/ok']]).replace('      resources:', '      authentication: { type: kerberos }\n      resources:')}  exposes:
    - type: rest
      namespace: api
      port: 8080
      resources:
${restOp('/fault/{kind}', 'GET', 'up.fault', 'api', [['kind', 'path']], OK_OUTPUT)}${restOp('/dotted', 'GET', 'up.dotted', 'api', [['a', 'query'], ['b', 'query']])}${restOp('/down', 'GET', 'dead.down', 'api')}${restOp('/once', 'GET', 'limited.once', 'api')}${restOp('/odd', 'GET', 'odd.odd', 'api')}${restOp('/echo/{id}', 'POST', 'up.fault', 'api', [['id', 'path', 'kind'], ['note', 'body']])}    - type: rest
      namespace: locked
      port: 8081
      x-capstan-rateLimit:
        max: 1
        timeWindow: 60000
      authentication:
        type: apikey
        key: X-Api-Key
        value: "{{IN_KEY}}"
        placement: header
      resources:
${restOp('/fault/{kind}', 'GET', 'up.fault', 'locked', [['kind', 'path']])}    - type: mcp
      namespace: tools
      port: 9090
      description: Catalog tools
      tools:
${tool('fault', 'up.fault', ['kind'], OK_OUTPUT.replace(/^ {4}/gm, ''))}${tool('dotted', 'up.dotted', ['a', 'b'])}${tool('down', 'dead.down')}${tool('once', 'limited.once')}${tool('odd', 'odd.odd')}      resources:
        - name: docs
          label: Docs
          uri: docs://files
          description: docs
          location: file:///./docs
      prompts:
        - name: hello
          label: Hello
          description: hello
          template:
            - role: user
              content: hello
    - type: skill
      namespace: skills
      port: 8082
      skills:
        - name: guide
          description: guide
          location: file:///./docs
          tools: [{ name: fault, description: fault, from: { sourceNamespace: tools, action: fault } }]
        - name: empty
          description: no folder
          tools: [{ name: fault, description: fault, from: { sourceNamespace: tools, action: fault } }]
`;

const NAMESPACES = ['api', 'locked', 'tools', 'skills'];

let gateway: CapstanRun;
let upstream: Upstream;

/** The upstream's behaviour by `/base/fault/<kind>`. */
function fault(url: string, res: import('node:http').ServerResponse): void {
  const kind = url.split('/').pop()?.split('?')[0] ?? '';
  if (kind === 'hang') return;
  if (kind === 'reset') return void res.socket?.destroy();
  if (kind === 'html') return sendBody(res, 200, '<html>not json</html>', 'text/html');
  if (kind === 'redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
  if (kind === 'huge') return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(11 * 1024 * 1024) }).end();
  if (kind === 'shape') return json(res, 200, { ok: 'not a boolean' });
  json(res, 200, { ok: true });
}

beforeAll(async () => {
  upstream = await startUpstream((req, res) => fault(req.url, res));
  const dead = await closedPort();
  const dir = tempSpecDir({ 'cap.yaml': SPEC, 'docs/SKILL.md': '# Guide\n' });
  gateway = await startCapstan([join(dir, 'cap.yaml')], {
    namespaces: NAMESPACES,
    env: { CAT_IN_KEY: 'in-key-8c1' },
    upstream: { up: `${upstream.url}/base`, limited: `${upstream.url}/base`, odd: `${upstream.url}/base`, dead: `http://127.0.0.1:${dead}/base` },
    timeoutMs: TIMEOUT,
    args: ['--max-concurrency', '3'],
  });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** The MCP endpoint as printed (it ends in `/mcp`). */
const mcpUrl = (): string => gateway.mcp.tools!;
/** The skill adapter's URL. */
const skills = (): string => gateway.adapters.find((a) => a.type === 'skill')!.url;
const rest = (path: string, options: Parameters<typeof raw>[3] = {}, ns = 'api'): Promise<RawAnswer> => raw(gateway.rest[ns]!, options.body !== undefined ? 'POST' : 'GET', path, options);
const mcp = (name: string, args: Record<string, unknown> = {}): Promise<RpcAnswer> => callTool(mcpUrl(), name, args);
const mcpRpc = (method: string, params: Record<string, unknown>): Promise<RpcAnswer> => rpc(mcpUrl(), { jsonrpc: '2.0', id: 1, method, params });

/** How one code is raised on one surface: a trigger, or where and why it is triggered instead. */
type Surface<T> = (() => Promise<T>) | { elsewhere: string };

interface Row {
  rest: Surface<RawAnswer>;
  mcp: Surface<RpcAnswer>;
}

const ONLY_HTTP = { elsewhere: 'HTTP-level refusal before MCP handling; the MCP endpoint answers it as a JSON-RPC error (test/mcp/http.test.ts)' };
const TRANSPORT_SUITE = (suite: string) => ({ elsewhere: suite });

const ROWS: Record<ErrorCode, Row> = {
  'bad-request': { rest: () => rest('/echo/1', { body: '{not json', headers: { 'content-type': 'application/json' } }), mcp: ONLY_HTTP },
  'request-timeout': { rest: TRANSPORT_SUITE('a request that trickles in for the server request timeout (minutes by default); answered by the socket error handler of the HTTP layer'), mcp: ONLY_HTTP },
  'body-too-large': { rest: () => rest('/echo/1', { body: JSON.stringify({ note: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } }), mcp: ONLY_HTTP },
  'uri-too-long': { rest: () => rest(`/fault/${'a'.repeat(9000)}`), mcp: ONLY_HTTP },
  'unsupported-media-type': { rest: TRANSPORT_SUITE('every media type has a body parser (raw bytes for unknown ones), so fastify never refuses one today'), mcp: ONLY_HTTP },
  'header-fields-too-large': { rest: () => rest('/fault/ok', { headers: { 'x-big': 'b'.repeat(20_000) } }), mcp: ONLY_HTTP },
  'not-found': { rest: () => rest('/nowhere'), mcp: ONLY_HTTP },
  'method-not-allowed': { rest: () => raw(gateway.rest.api!, 'DELETE', '/fault/ok'), mcp: ONLY_HTTP },
  'rate-limited': { rest: async () => (await rest('/fault/ok', { headers: { 'x-api-key': 'in-key-8c1' } }, 'locked'), rest('/fault/ok', { headers: { 'x-api-key': 'in-key-8c1' } }, 'locked')), mcp: TRANSPORT_SUITE('HTTP-level refusal before MCP handling: 429 with RateLimit-* headers and a JSON-RPC error (test/resilience/mcp-rate-limit.test.ts)') },
  overloaded: {
    rest: async () => {
      const held = [rest('/fault/hang'), rest('/fault/hang'), rest('/fault/hang')];
      await new Promise((r) => setTimeout(r, 150));
      const answer = await rest('/fault/ok');
      await Promise.all(held);
      return answer;
    },
    mcp: ONLY_HTTP,
  },
  unauthorized: { rest: () => rest('/fault/ok', {}, 'locked'), mcp: TRANSPORT_SUITE('test/mcp/http.test.ts and test/multiuser (401 before MCP handling, or a tool error for a missing caller identity)') },
  forbidden: { rest: TRANSPORT_SUITE('test/rest/auth.test.ts › 403 insufficient_scope (needs an OAuth authorization server)'), mcp: TRANSPORT_SUITE('test/rest/auth.test.ts (OAuth scopes)') },
  'no-credential': { rest: TRANSPORT_SUITE('test/multiuser/composio.test.ts (a caller without a stored credential)'), mcp: TRANSPORT_SUITE('test/multiuser/composio.test.ts') },
  'invalid-input': { rest: () => rest('/fault/%2e%2e'), mcp: () => mcp('fault', { kind: 7 }) },
  'invalid-request-target': { rest: () => rest('/dotted?a=&b='), mcp: () => mcp('dotted', { a: '', b: '' }) },
  'unknown-tool': { rest: { elsewhere: 'MCP only' }, mcp: () => mcp('no-such-tool') },
  'unknown-resource': { rest: { elsewhere: 'MCP only' }, mcp: () => mcpRpc('resources/read', { uri: 'docs://nowhere' }) },
  'unknown-prompt': { rest: { elsewhere: 'MCP only' }, mcp: () => mcpRpc('prompts/get', { name: 'nothing' }) },
  'invalid-path': { rest: () => raw(skills(), 'GET', '/skills/guide/contents/..%2f..%2fcap.yaml'), mcp: () => mcpRpc('resources/read', { uri: 'docs://files/%2e%2e/cap.yaml' }) },
  'file-not-found': { rest: () => raw(skills(), 'GET', '/skills/guide/contents/missing.md'), mcp: () => mcpRpc('resources/read', { uri: 'docs://files/missing.md' }) },
  'skill-not-found': { rest: () => raw(skills(), 'GET', '/skills/nothing'), mcp: { elsewhere: 'skill adapter only' } },
  'no-skill-contents': { rest: () => raw(skills(), 'GET', '/skills/empty/contents'), mcp: { elsewhere: 'skill adapter only' } },
  'upstream-unavailable': { rest: () => rest('/fault/reset'), mcp: () => mcp('fault', { kind: 'reset' }) },
  'upstream-timeout': { rest: () => rest('/fault/hang'), mcp: () => mcp('fault', { kind: 'hang' }) },
  'upstream-too-large': { rest: () => rest('/fault/huge'), mcp: () => mcp('fault', { kind: 'huge' }) },
  'upstream-bad-format': { rest: () => rest('/fault/html'), mcp: () => mcp('fault', { kind: 'html' }) },
  'upstream-redirect': { rest: () => rest('/fault/redirect'), mcp: () => mcp('fault', { kind: 'redirect' }) },
  // A consumed API whose authentication type Capstan cannot perform: refused before anything is sent.
  'upstream-configuration': { rest: () => rest('/odd'), mcp: () => mcp('odd') },
  'upstream-circuit-open': {
    rest: async () => (await rest('/down'), await rest('/down'), rest('/down')),
    mcp: () => mcp('down'),
  },
  'upstream-rate-limited': { rest: async () => (await rest('/once'), rest('/once')), mcp: () => mcp('once') },
  'output-mismatch': { rest: { elsewhere: 'MCP only: REST has no declared output shape to check' }, mcp: () => mcp('fault', { kind: 'shape' }) },
  'reload-rejected': { rest: TRANSPORT_SUITE('test/gateway/reload.test.ts (POST /reload on the control adapter with a broken file)'), mcp: { elsewhere: 'control adapter only' } },
  'not-implemented': { rest: TRANSPORT_SUITE('test/gateway/metrics.test.ts (/config on the control adapter)'), mcp: { elsewhere: 'control adapter only' } },
  internal: { rest: TRANSPORT_SUITE('test/rest/errors.test.ts (a runner that throws an unexpected error)'), mcp: TRANSPORT_SUITE('test/mcp (a runner that throws)') },
};

const CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

describe('error catalog', () => {
  it('has a row for every code, and every code is raised on at least one surface here', () => {
    expect(Object.keys(ROWS).sort()).toEqual([...CODES].sort());
    const untriggered = CODES.filter((c) => typeof ROWS[c].rest !== 'function' && typeof ROWS[c].mcp !== 'function');
    // Each of these needs a setup of its own (an OAuth server, a credential store, minutes of trickling, a failing runner): see the row.
    expect(untriggered.sort()).toEqual(['forbidden', 'internal', 'no-credential', 'not-implemented', 'reload-rejected', 'request-timeout', 'unsupported-media-type']);
  });

  for (const code of CODES) {
    const row = ROWS[code];
    const entry = ERROR_CATALOG[code];
    const restTrigger = row.rest;
    const mcpTrigger = row.mcp;
    if (typeof restTrigger === 'function') {
      it(`REST: ${code} → ${entry.status} problem+json`, async () => {
        const answer = await restTrigger();
        expect(answer.status, answer.body).toBe(entry.status);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        const body = JSON.parse(answer.body) as { type: string; title: string; status: number; detail: string };
        expect(body).toMatchObject({ type: problemType(code), title: entry.title, status: entry.status });
        expect(body.detail.length).toBeGreaterThan(0);
      });
    }
    if (typeof mcpTrigger === 'function') {
      it(`MCP: ${code} → ${entry.mcp.label} / ${entry.mcp.rpc}`, async () => {
        const answer = await mcpTrigger();
        if (answer.body.error) {
          expect(answer.body.error.code).toBe(entry.mcp.rpc);
        } else {
          expect(answer.body.result?.isError, answer.text).toBe(true);
          expect(toolText(answer).startsWith(`${entry.mcp.label}`), toolText(answer)).toBe(true);
        }
      });
    }
  }
});
