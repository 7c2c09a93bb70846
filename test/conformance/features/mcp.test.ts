/**
 * Conformance rows 67 and 73 of docs/conformance.md (MCP adapter): sessions are enforced (a GET
 * stream needs a session: 400 without one), and prompt arguments whose names hold hyphens are
 * substituted like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../../packages/mcp/testing/sdk.js';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { compile, makeRunner, mcpAdapter } from '../../mcp/helpers.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: MCP features
  description: Sessions and hyphenated prompt arguments
capability:
  exposes:
    - type: mcp
      namespace: features-mcp
      port: 3001
      description: Feature checks
      tools:
        - name: hello
          description: Says hello
          outputParameters:
            - name: greeting
              type: string
              value: hello
      prompts:
        - name: describe-ship
          label: Describe a ship
          description: Asks for a description of one ship
          arguments:
            - name: ship-name
              description: Name of the ship
            - name: home-port
              description: Home port
              required: false
          template:
            - role: user
              content: "Describe {{ship-name}} of {{ home-port }}."
`;

describe('MCP adapter', () => {
  let adapter: McpAdapter;
  let closeRunner: () => Promise<void>;
  let base: string;

  beforeAll(async () => {
    const { graph } = compile(SPEC);
    const runner = await makeRunner(graph, {});
    closeRunner = () => runner.close();
    adapter = createMcpAdapter(mcpAdapter(graph), runner, { logger: () => undefined });
    const { port } = await adapter.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await adapter?.close();
    await closeRunner?.();
  });

  it('a GET (server-to-client stream) without Mcp-Session-Id is 405 in stateful mode, so SSE-probing clients fall back', async () => {
    const res = await fetch(`${base}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: a GET needs the Mcp-Session-Id of a session opened with initialize (POST); the legacy HTTP+SSE transport is at /sse' },
      id: null,
    });
  });

  it('substitutes prompt arguments whose names hold hyphens', async () => {
    const client = new Client({ name: 'features', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
    try {
      expect(await client.getPrompt({ name: 'describe-ship', arguments: { 'ship-name': 'Northern Star', 'home-port': 'Oslo' } })).toEqual({
        description: 'Asks for a description of one ship',
        messages: [{ role: 'user', content: { type: 'text', text: 'Describe Northern Star of Oslo.' } }],
      });
    } finally {
      await client.close();
    }
  });
});
