/** The seed Paragon proxy capability through the MCP adapter: exact tool list and proxied calls. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { compileFile, makeRunner, mcpAdapter } from './helpers.js';
import { PARAGON_TOOLS } from './paragon-tools.js';

const PARAGON = fileURLToPath(new URL('../../specs/paragon-proxy.yaml', import.meta.url));
const TOKEN = 'paragon-secret-token';

let upstream: Upstream;
let adapter: McpAdapter;
let client: Client;
let closeRunner: () => Promise<void>;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url.includes('/echo-token')) return json(res, 401, { error: `bad token ${String(req.headers.authorization)}` });
    json(res, 200, { method: req.method, path: req.url, results: [{ id: 1 }] });
  });
  const graph = compileFile(PARAGON);
  const runner = await makeRunner(graph, { paragon: upstream.url });
  closeRunner = () => runner.close();
  adapter = createMcpAdapter(mcpAdapter(graph, 'paragon-mcp'), runner, { logger: () => undefined });
  const { url } = await adapter.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'paragon-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
});

afterAll(async () => {
  await client?.close();
  await adapter?.close();
  await closeRunner?.();
  await upstream?.close();
});

describe('paragon-proxy over MCP', () => {
  it('initializes as paragon-mcp with the adapter description', () => {
    expect(client.getServerVersion()).toEqual({ name: 'paragon-mcp', version: '1.0.0' });
    expect(client.getInstructions()).toBe("MCP adapter for Paragon Proxy API for AI agent use.");
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: true } });
  });

  it('lists the 7 tools with exact input schemas and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(7);
    expect(tools).toEqual(PARAGON_TOOLS);
    // spot check of one entry written out in full: DELETE carries no body, so no `body` argument
    expect(tools[4]).toEqual({
      name: 'proxydeleterequest',
      description: 'Paragon Proxy DELETE request to integration',
      inputSchema: {
        type: 'object',
        properties: {
          projectId: { type: 'string', description: 'Your Paragon Project ID.' },
          integrationType: { type: 'string', description: 'The type of integration to proxy the request to.' },
          apiPath: { type: 'string', description: 'The API path of the third-party provider to send the request to.' },
        },
        required: ['projectId', 'integrationType', 'apiPath'],
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    });
  });

  it('proxies a GET with the bearer token and a multi-segment apiPath', async () => {
    const result = await client.callTool({ name: 'proxygetrequest', arguments: { projectId: 'p1', integrationType: 'salesforce', apiPath: 'crm/v3/objects/contacts' } });
    expect(result).toEqual({
      content: [{ type: 'text', text: '{"method":"GET","path":"/projects/p1/sdk/proxy/salesforce/crm/v3/objects/contacts","results":[{"id":1}]}' }],
    });
    const seen = upstream.seen.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('proxies a DELETE', async () => {
    const result = await client.callTool({ name: 'proxydeleterequest', arguments: { projectId: 'p1', integrationType: 'hubspot', apiPath: 'crm/v3/objects/contacts/9' } });
    expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual({ method: 'DELETE', path: '/projects/p1/sdk/proxy/hubspot/crm/v3/objects/contacts/9', results: [{ id: 1 }] });
    expect(result.isError).toBeUndefined();
  });

  it('rejects a missing required argument before calling the upstream', async () => {
    const before = upstream.seen.length;
    expect(await client.callTool({ name: 'proxycustomgetrequest', arguments: { projectId: 'p1' } })).toEqual({
      content: [{ type: 'text', text: 'Invalid arguments for tool `proxycustomgetrequest`: missing required argument `integrationId`; missing required argument `apiPath`' }],
      isError: true,
    });
    expect(upstream.seen.length).toBe(before);
  });

  it('reports an upstream 401 as a tool error with the body, secrets redacted', async () => {
    const result = await client.callTool({ name: 'proxygetrequest', arguments: { projectId: 'p1', integrationType: 'x', apiPath: 'echo-token' } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: '{"error":"bad token Bearer ***"}' }]);
  });
});
