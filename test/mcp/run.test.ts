/**
 * The MCP adapter as `capstan run` serves it: inbound authentication (bearer, apikey, OAuth 2.1
 * protected-resource metadata), stdio, and `capstan tools` vendor formats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { BIN, runCli } from '../helpers/cli.js';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { Ajv, Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { StdioClientTransport } from '../../packages/mcp/testing/stdio.js';

const SECRET = 'mcp-inbound-Secret-7f3a9';

function capability(auth: string, transport = 'transport: http\n      port: 9090'): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Echo
  description: Echo tools
binds:
  - namespace: env
    keys:
      MCP_TOKEN: MCP_TOKEN
capability:
  consumes:
    - type: http
      namespace: echo
      baseUri: http://127.0.0.1:1
      resources:
        - name: things
          path: /things/{{id}}
          operations:
            - name: get-thing
              method: GET
  exposes:
    - type: mcp
      namespace: echo-tools
      ${transport}
${auth}      tools:
        - name: get-thing
          description: Get a thing
          inputParameters:
            - name: id
              type: string
              description: Thing id
          call: echo.get-thing
          with:
            id: echo-tools.id
`;
}

const env = { ...process.env, MCP_TOKEN: SECRET };
let upstream: EchoUpstream;

beforeAll(async () => {
  upstream = await startEchoUpstream();
});
afterAll(async () => upstream.close());

async function rawCall(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get-thing', arguments: { id: 'a1' } } }),
  });
}

describe('MCP inbound bearer authentication', () => {
  let run: CapstanRun;
  beforeAll(async () => {
    const file = tempSpec(capability('      authentication:\n        type: bearer\n        token: "{{MCP_TOKEN}}"\n'));
    run = await spawnCapstanRun([file, '--port', 'echo-tools=0', '--upstream', upstream.url, '--log-level', 'info'], { waitFor: ['echo-tools'], env });
  });
  afterAll(async () => {
    expect((await run.stop()).code).toBe(0);
  });

  it('accepts the SDK client with the right token', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp['echo-tools']!), { requestInit: { headers: { Authorization: `Bearer ${SECRET}` } } }));
    const result = await client.callTool({ name: 'get-thing', arguments: { id: 'a1' } });
    expect(result.isError).toBeFalsy();
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(JSON.parse(text).echo.path).toBe('/things/a1');
    await client.close();
  });

  it('refuses a missing token with 401 and a Bearer challenge', async () => {
    const res = await rawCall(run.mcp['echo-tools']!, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="naftiko"');
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32001);
  });

  it('refuses a wrong token with 401 invalid_token, never echoing the secret', async () => {
    const res = await rawCall(run.mcp['echo-tools']!, { authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await res.text()).not.toContain(SECRET);
  });

  it('says at start which adapters require authentication, and never logs the secret', () => {
    expect(run.stdout()).toContain('mcp adapter echo-tools: authentication bearer');
    expect(run.stdout() + run.stderr()).not.toContain(SECRET);
  });
});

describe('MCP inbound apikey authentication', () => {
  let run: CapstanRun;
  beforeAll(async () => {
    const file = tempSpec(capability('      authentication:\n        type: apikey\n        key: X-Api-Key\n        value: "{{MCP_TOKEN}}"\n'));
    run = await spawnCapstanRun([file, '--port', 'echo-tools=0', '--upstream', upstream.url, '--log-level', 'warn'], { waitFor: ['echo-tools'], env });
  });
  afterAll(async () => {
    await run.stop();
  });

  it('accepts the right key, refuses a missing or wrong one', async () => {
    const url = run.mcp['echo-tools']!;
    expect((await rawCall(url, { 'x-api-key': SECRET })).status).toBe(200);
    expect((await rawCall(url, {})).status).toBe(401);
    expect((await rawCall(url, { 'x-api-key': `${SECRET}x` })).status).toBe(401);
  });
});

describe('MCP OAuth 2.1 protected-resource metadata', () => {
  let run: CapstanRun;
  beforeAll(async () => {
    const file = tempSpec(capability('      authentication:\n        type: oauth2\n        authorizationServerUri: https://auth.example.test\n        resource: https://mcp.example.test/mcp\n        scopes: [tools.read]\n'));
    run = await spawnCapstanRun([file, '--port', 'echo-tools=0', '--upstream', upstream.url, '--log-level', 'warn'], { waitFor: ['echo-tools'], env });
  });
  afterAll(async () => {
    await run.stop();
  });

  it('serves RFC 9728 metadata without authentication', async () => {
    const base = new URL(run.mcp['echo-tools']!);
    const res = await fetch(new URL('/.well-known/oauth-protected-resource', base));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: 'https://mcp.example.test/mcp',
      authorization_servers: ['https://auth.example.test'],
      scopes_supported: ['tools.read'],
      bearer_methods_supported: ['header'],
    });
  });

  it('challenges a call without a token, pointing at the metadata', async () => {
    const res = await rawCall(run.mcp['echo-tools']!, {});
    expect(res.status).toBe(401);
    const host = new URL(run.mcp['echo-tools']!).host;
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="capstan", scope="tools.read", resource_metadata="http://${host}/.well-known/oauth-protected-resource"`);
  });
});

describe('MCP over stdio through capstan run', () => {
  it('answers tools/call on stdin/stdout and keeps logs off stdout', async () => {
    const file = tempSpec(capability('', 'transport: stdio'));
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'run', file, '--upstream', upstream.url, '--log-level', 'info'], env: env as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['get-thing']);
    const result = await client.callTool({ name: 'get-thing', arguments: { id: 'z9' } });
    expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text).echo.path).toBe('/things/z9');
    await client.close();
  });
});

describe('capstan tools', () => {
  const ajv = new Ajv({ strict: false });
  const jsonSchemaObject = { type: 'object', required: ['type'], properties: { type: { const: 'object' }, properties: { type: 'object' }, required: { type: 'array', items: { type: 'string' } } } };
  const openAiTools = ajv.compile({
    type: 'array', minItems: 1,
    items: { type: 'object', required: ['type', 'function'], additionalProperties: false, properties: {
      type: { const: 'function' },
      function: { type: 'object', required: ['name', 'parameters'], properties: { name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' }, description: { type: 'string' }, parameters: jsonSchemaObject, strict: { type: 'boolean' } } },
    } },
  });
  const anthropicTools = ajv.compile({
    type: 'array', minItems: 1,
    items: { type: 'object', required: ['name', 'input_schema'], properties: { name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' }, description: { type: 'string' }, input_schema: jsonSchemaObject } },
  });

  it('prints ActionKit tools in OpenAI function-tool shape', () => {
    const r = runCli(['tools', 'specs/paragon-actionkit.yaml', '--format', 'openai']);
    expect(r.code).toBe(0);
    const tools = JSON.parse(r.stdout) as unknown;
    expect(openAiTools(tools), JSON.stringify(openAiTools.errors)).toBe(true);
    expect((tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual(['actionkit-list-actions', 'actionkit-run-tool', 'actionkit-run-action']);
  });

  it('prints ActionKit tools in Anthropic tool shape, and rejects a wrong shape', () => {
    const r = runCli(['tools', 'specs/paragon-actionkit.yaml', '--format', 'anthropic']);
    expect(r.code).toBe(0);
    const tools = JSON.parse(r.stdout) as unknown;
    expect(anthropicTools(tools), JSON.stringify(anthropicTools.errors)).toBe(true);
    expect(anthropicTools(JSON.parse(runCli(['tools', 'specs/paragon-actionkit.yaml', '--format', 'openai']).stdout))).toBe(false);
  });

  it('refuses an unknown format or adapter', () => {
    expect(runCli(['tools', 'specs/paragon-actionkit.yaml', '--format', 'gemini']).code).toBe(2);
    const r = runCli(['tools', 'specs/paragon-actionkit.yaml', '--adapter', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no mcp adapter `nope`');
  });
});
