/**
 * The MCP adapter over Streamable HTTP, driven by the SDK's real client against a real local
 * upstream: initialize, tools, resources, prompts, errors, transport behaviour and security checks.
 */
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, McpError, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { fleetUpstream, FLEET_FILES, FLEET_YAML, NORTHERN_STAR } from './fleet.js';
import { raw } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { compile, makeRunner, mcpAdapter } from './helpers.js';

let upstream: Upstream;
let adapter: McpAdapter;
let runnerClose: () => Promise<void>;
let base: string; // http://127.0.0.1:port
let client: Client;
let transport: StreamableHTTPClientTransport;

const JSON_RPC_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function rpcError(p: Promise<unknown>): Promise<McpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof McpError) return err;
    throw err;
  }
  throw new Error('expected a JSON-RPC error');
}

beforeAll(async () => {
  upstream = await startUpstream(fleetUpstream);
  const { graph, file } = compile(FLEET_YAML, FLEET_FILES);
  symlinkSync(join(dirname(file), 'secret.txt'), join(dirname(file), 'docs', 'escape.md'));
  const runner = await makeRunner(graph, { registry: upstream.url });
  runnerClose = () => runner.close();
  adapter = createMcpAdapter(mcpAdapter(graph), runner, { logger: () => undefined });
  const listening = await adapter.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${listening.port}`;
  client = new Client({ name: 'capstan-test', version: '0.0.1' });
  transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await adapter?.close();
  await runnerClose?.();
  await upstream?.close();
});

describe('initialize', () => {
  it('names the server after the namespace and sends the description as instructions', () => {
    expect(client.getServerVersion()).toEqual({ name: 'fleet-tools', version: '1.0.0' });
    expect(client.getInstructions()).toBe('Tools for the fleet registry');
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } });
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(adapter.stats().sessions).toBe(1);
  });

  it('negotiates the protocol version across the SDK supported versions', async () => {
    for (const [asked, answered] of [['2024-11-05', '2024-11-05'], ['2025-03-26', '2025-03-26'], ['2099-01-01', '2025-11-25']] as const) {
      const res = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: asked, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
      const body = (await res.json()) as { result: { protocolVersion: string; serverInfo: unknown } };
      expect(body.result.protocolVersion).toBe(answered);
      expect(body.result.serverInfo).toEqual({ name: 'fleet-tools', version: '1.0.0' });
      await fetch(`${base}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': res.headers.get('mcp-session-id')! } });
    }
  });
});

describe('tools', () => {
  it('lists tools in declaration order with schemas, output schema and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools).toEqual([
      {
        name: 'list-ships',
        title: 'List ships',
        description: 'List ships, optionally by status',
        inputSchema: {
          type: 'object',
          properties: { status: { type: 'string', description: 'Filter by status' }, limit: { type: 'integer', description: 'Most ships to return' } },
        },
        annotations: { title: 'List ships', readOnlyHint: true, openWorldHint: false },
      },
      {
        name: 'get-ship',
        description: "Retrieve a ship's details by IMO number",
        inputSchema: { type: 'object', properties: { imo: { type: 'string', description: 'IMO number' } }, required: ['imo'] },
        outputSchema: { type: 'object', properties: { imo: { type: ['string', 'null'] }, name: { type: ['string', 'null'] }, tonnage: { type: ['number', 'null'] } } },
      },
      {
        name: 'get-ship-raw',
        description: 'A ship as the registry sends it',
        inputSchema: { type: 'object', properties: { imo: { type: 'string' } }, required: ['imo'] },
      },
      {
        name: 'slow-call',
        description: 'Calls an upstream that never answers',
        inputSchema: { type: 'object', properties: {} },
      },
    ]);
  });

  it('calls a tool: compact JSON text plus structuredContent when the output shape is declared', async () => {
    const result = await client.callTool({ name: 'get-ship', arguments: { imo: 'IMO-9321483' } });
    expect(result).toEqual({
      content: [{ type: 'text', text: '{"imo":"IMO-9321483","name":"Northern Star","tonnage":52000}' }],
      structuredContent: { imo: 'IMO-9321483', name: 'Northern Star', tonnage: 52000 },
    });
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', url: '/ships/IMO-9321483' });
  });

  it('passes optional arguments through `with` and maps arrays (no structuredContent for array results)', async () => {
    const result = await client.callTool({ name: 'list-ships', arguments: { status: 'active' } });
    expect(result).toEqual({ content: [{ type: 'text', text: '[{"imo":"IMO-9321483","name":"Northern Star"}]' }] });
    expect(upstream.seen.at(-1)!.url).toBe('/ships?status=active');
    const all = await client.callTool({ name: 'list-ships', arguments: {} });
    expect(JSON.parse((all.content as Array<{ text: string }>)[0]!.text)).toEqual([
      { imo: 'IMO-9321483', name: 'Northern Star' },
      { imo: 'IMO-9100001', name: 'Old Tern' },
    ]);
  });

  it('drops arguments the tool does not declare (they could fill consumed parameters it does not expose)', async () => {
    await client.callTool({ name: 'list-ships', arguments: { status: 'active', 'include-deleted': 'true' } });
    expect(upstream.seen.at(-1)!.url).toBe('/ships?status=active');
  });

  it('returns the upstream JSON unchanged when no output is declared', async () => {
    const result = await client.callTool({ name: 'get-ship-raw', arguments: { imo: 'IMO-9321483' } });
    expect(result).toEqual({ content: [{ type: 'text', text: JSON.stringify(NORTHERN_STAR) }] });
  });

  it('validates arguments against the input schema and answers a tool error naming each problem', async () => {
    const seen = upstream.seen.length;
    expect(await client.callTool({ name: 'get-ship', arguments: {} })).toEqual({
      content: [{ type: 'text', text: 'Invalid arguments for tool `get-ship`: missing required argument `imo`' }],
      isError: true,
    });
    expect(await client.callTool({ name: 'get-ship', arguments: { imo: 42 } })).toEqual({
      content: [{ type: 'text', text: 'Invalid arguments for tool `get-ship`: `imo` must be string' }],
      isError: true,
    });
    expect(await client.callTool({ name: 'list-ships', arguments: { status: true, limit: 'ten' } })).toEqual({
      content: [{ type: 'text', text: 'Invalid arguments for tool `list-ships`: `status` must be string; `limit` must be integer' }],
      isError: true,
    });
    expect(upstream.seen.length).toBe(seen);
  });

  it('marks upstream 4xx and 5xx answers as tool errors carrying the upstream body', async () => {
    expect(await client.callTool({ name: 'get-ship-raw', arguments: { imo: 'IMO-404' } })).toEqual({
      content: [{ type: 'text', text: '{"error":"ship not found"}' }],
      isError: true,
    });
    expect(await client.callTool({ name: 'get-ship-raw', arguments: { imo: 'IMO-500' } })).toEqual({
      content: [{ type: 'text', text: 'registry exploded' }],
      isError: true,
    });
  });

  it('turns an upstream that accepts and never answers into a timeout tool error naming the upstream', async () => {
    const started = Date.now();
    const result = await client.callTool({ name: 'slow-call', arguments: {} });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(result.isError).toBe(true);
    const content = result.content as Array<{ type: string; text: string }>;
    expect(content).toHaveLength(1);
    expect(content[0]!.text).toMatch(/^Upstream timeout: registry\.slow did not answer in time \(.+\)$/);
  });

  it('answers an unknown tool with JSON-RPC error -32602', async () => {
    const err = await rpcError(client.callTool({ name: 'no-such-tool', arguments: {} }));
    expect(err.code).toBe(-32602);
    expect(err.message).toBe('MCP error -32602: Unknown tool: no-such-tool');
  });
});

describe('resources', () => {
  it('lists static files (sorted, symlinks out of the folder skipped) and no template resources', async () => {
    expect((await client.listResources()).resources).toEqual([
      { uri: 'docs://fleet/guide.md', name: 'docs', title: 'Docs', description: 'Fleet documentation', mimeType: 'text/markdown' },
      { uri: 'docs://fleet/sub/data.json', name: 'docs', title: 'Docs', description: 'Fleet documentation', mimeType: 'application/json' },
    ]);
  });

  it('lists URI templates', async () => {
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
      { uriTemplate: 'ships://{imo}', name: 'ship-card', title: 'Ship card', description: 'One ship' },
    ]);
  });

  it('reads a static file', async () => {
    expect(await client.readResource({ uri: 'docs://fleet/sub/data.json' })).toEqual({
      contents: [{ uri: 'docs://fleet/sub/data.json', mimeType: 'application/json', text: '{"ok":true}\n' }],
    });
  });

  it('refuses paths that leave the folder, bad segments and the folder itself; missing files are not found', async () => {
    for (const uri of ['docs://fleet/../secret.txt', 'docs://fleet/escape.md', 'docs://fleet/sub/%2e%2e', 'docs://fleet']) {
      const err = await rpcError(client.readResource({ uri }));
      expect(err.code, uri).toBe(-32602);
    }
    const err = await rpcError(client.readResource({ uri: 'docs://fleet/escape.md' }));
    expect(err.message).toBe('MCP error -32602: Invalid resource URI docs://fleet/escape.md: `escape.md` leads outside the folder');
    const missing = await rpcError(client.readResource({ uri: 'docs://fleet/nope.md' }));
    expect(missing.code).toBe(-32002);
    const unknown = await rpcError(client.readResource({ uri: 'other://x' }));
    expect(unknown.code).toBe(-32602);
    expect(unknown.message).toBe('MCP error -32602: Unknown resource URI: other://x');
  });

  it('reads a dynamic resource through the executor', async () => {
    expect(await client.readResource({ uri: 'ships://IMO-9321483' })).toEqual({
      contents: [{ uri: 'ships://IMO-9321483', mimeType: 'application/json', text: JSON.stringify(NORTHERN_STAR) }],
    });
    expect(upstream.seen.at(-1)!.url).toBe('/ships/IMO-9321483');
  });
});

describe('prompts', () => {
  it('lists prompts in declaration order', async () => {
    expect((await client.listPrompts()).prompts).toEqual([
      {
        name: 'summarize-ship',
        title: 'Summarize a ship',
        description: 'Asks for a summary of one ship',
        arguments: [
          { name: 'imo', description: 'IMO number', required: true },
          { name: 'tone', description: 'Tone of the summary', required: false },
        ],
      },
      { name: 'review', title: 'Review', description: 'Review prompt kept in a file', arguments: [{ name: 'topic', description: 'What to review', required: true }] },
    ]);
  });

  it('substitutes arguments in inline templates (missing optional → empty, undeclared left as is)', async () => {
    expect(await client.getPrompt({ name: 'summarize-ship', arguments: { imo: 'IMO-1', tone: 'dry' } })).toEqual({
      description: 'Asks for a summary of one ship',
      messages: [
        { role: 'user', content: { type: 'text', text: 'Summarize ship IMO-1 in a dry tone.' } },
        { role: 'assistant', content: { type: 'text', text: 'Looking up IMO-1; {{unknown}} stays.' } },
      ],
    });
    const noTone = await client.getPrompt({ name: 'summarize-ship', arguments: { imo: 'IMO-1' } });
    expect(noTone.messages[0]!.content).toEqual({ type: 'text', text: 'Summarize ship IMO-1 in a  tone.' });
  });

  it('reads file prompts relative to the capability file', async () => {
    expect(await client.getPrompt({ name: 'review', arguments: { topic: 'the hull' } })).toEqual({
      description: 'Review prompt kept in a file',
      messages: [{ role: 'user', content: { type: 'text', text: 'Review the hull carefully.' } }],
    });
  });

  it('enforces required arguments and unknown prompts with invalid-params errors', async () => {
    const missing = await rpcError(client.getPrompt({ name: 'summarize-ship', arguments: { tone: 'dry' } }));
    expect(missing.code).toBe(-32602);
    expect(missing.message).toBe('MCP error -32602: Missing required argument for prompt `summarize-ship`: imo');
    const unknown = await rpcError(client.getPrompt({ name: 'nope' }));
    expect(unknown.code).toBe(-32602);
    expect(unknown.message).toBe('MCP error -32602: Unknown prompt: nope');
  });
});

describe('transport', () => {
  it('answers an engine-style POST (no Accept, no initialize, no session) with plain JSON, at / and /mcp', async () => {
    for (const path of ['/', '/mcp']) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer anything' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' } } }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('mcp-session-id')).toBeNull();
      expect(await res.json()).toEqual({
        jsonrpc: '2.0',
        id: 7,
        result: {
          content: [{ type: 'text', text: '{"imo":"IMO-9321483","name":"Northern Star","tonnage":52000}' }],
          structuredContent: { imo: 'IMO-9321483', name: 'Northern Star', tonnage: 52000 },
        },
      });
    }
    const note = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    expect(note.status).toBe(202);
  });

  it('streams the answer as SSE when the client accepts it', async () => {
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: JSON_RPC_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const data = text.split('\n').find((l) => l.startsWith('data: '))!;
    const message = JSON.parse(data.slice(6)) as { id: number; result: { tools: Array<{ name: string }> } };
    expect(message.id).toBe(3);
    expect(message.result.tools.map((t) => t.name)).toEqual(['list-ships', 'get-ship', 'get-ship-raw', 'slow-call']);
  });

  it('keeps sessions: GET opens the SSE stream, DELETE ends the session, an unknown session is 404', async () => {
    const init = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: JSON_RPC_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    const sessionHeaders = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' };

    const abort = new AbortController();
    const stream = await fetch(`${base}/mcp`, { method: 'GET', headers: { ...sessionHeaders, accept: 'text/event-stream' }, signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get('mcp-session-id')).toBe(sid);
    abort.abort();

    const del = await fetch(`${base}/mcp`, { method: 'DELETE', headers: sessionHeaders });
    expect(del.status).toBe(200);
    const after = await fetch(`${base}/mcp`, { method: 'POST', headers: { ...JSON_RPC_HEADERS, ...sessionHeaders }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(after.status).toBe(404);
    expect(await after.json()).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
  });

  it('answers parse errors, unknown paths and unsupported methods', async () => {
    const bad = await fetch(`${base}/mcp`, { method: 'POST', headers: JSON_RPC_HEADERS, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: Invalid JSON' }, id: null });
    expect((await fetch(`${base}/other`, { method: 'POST', headers: JSON_RPC_HEADERS, body: '{}' })).status).toBe(404);
    expect((await fetch(`${base}/mcp`, { method: 'PUT', headers: JSON_RPC_HEADERS, body: '{}' })).status).toBe(405);
  });

  it('rejects a foreign Origin with 403 and accepts loopback origins and requests without Origin', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const foreign = await fetch(`${base}/mcp`, { method: 'POST', headers: { ...JSON_RPC_HEADERS, origin: 'https://evil.example' }, body });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden: Origin https://evil.example is not allowed' }, id: null });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const ok = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body });
      expect(ok.status, origin).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
      await ok.text();
    }
  });

  it('rejects a non-loopback Host header (DNS rebinding) with 403', async () => {
    const { status } = await raw(base, 'POST', '/mcp', { headers: { host: 'attacker.example', 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(status).toBe(403);
  });

  it('builds the registry once whatever the number of requests and sessions', async () => {
    const second = new Client({ name: 'second', version: '1' });
    await second.connect(new StreamableHTTPClientTransport(new URL(`${base}/`)));
    await second.listTools();
    await second.close();
    expect(adapter.stats().registryBuilds).toBe(1);
  });
});

describe('inbound authentication seam', () => {
  it('lets the hook refuse a request before any MCP handling', async () => {
    const { graph } = compile(FLEET_YAML, FLEET_FILES);
    const guarded = createMcpAdapter(mcpAdapter(graph), { run: () => Promise.reject(new Error('not called')) }, {
      logger: () => undefined,
      authenticate: async (req) =>
        req.headers.authorization === 'Bearer good' ? { ok: true } : { ok: false, status: 401, headers: { 'www-authenticate': 'Bearer' }, body: 'unauthorized' },
    });
    const { port } = await guarded.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      const refused = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(await refused.text()).toBe('unauthorized');
      const allowed = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer good' }, body });
      expect(allowed.status).toBe(200);
      expect(((await allowed.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(4);
    } finally {
      await guarded.close();
    }
  });
});
