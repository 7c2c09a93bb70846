/** The stdio transport: one JSON-RPC message per line in, one per line out; nothing else on stdout. */
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpAdapter, type McpAdapter, type StdioSession } from '@capstan/mcp';
import { compile, makeRunner, mcpAdapter } from './helpers.js';

const STDIO = `naftiko: 1.0.0-alpha2
capability:
  exposes:
    - type: mcp
      namespace: desk
      transport: stdio
      description: Desk tools over stdio
      tools:
        - name: summary
          description: Mock summary with two declared outputs
          inputParameters:
            - name: who
              type: string
              description: Who asks
          outputParameters:
            - name: greeting
              type: string
              value: "Hello {{who}}"
            - name: total
              type: number
              value: "12"
`;

let adapter: McpAdapter;
let session: StdioSession;
let closeRunner: () => Promise<void>;
const stdin = new PassThrough();
const stdout = new PassThrough();
const lines: string[] = [];
const waiters: Array<(line: string) => void> = [];

function next(): Promise<string> {
  const line = lines.shift();
  return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiters.push(resolve));
}

async function rpc(message: Record<string, unknown>): Promise<any> {
  stdin.write(`${JSON.stringify(message)}\n`);
  return JSON.parse(await next());
}

beforeAll(async () => {
  const { graph } = compile(STDIO);
  const runner = await makeRunner(graph, {});
  closeRunner = () => runner.close();
  adapter = createMcpAdapter(mcpAdapter(graph), runner, { logger: () => undefined });
  createInterface({ input: stdout }).on('line', (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else lines.push(line);
  });
  session = await adapter.serveStdio({ stdin, stdout });
});

afterAll(async () => {
  await adapter?.close();
  await closeRunner?.();
});

describe('stdio', () => {
  it('initializes, lists and calls tools line by line', async () => {
    const init = await rpc({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cli', version: '1' } } });
    expect(init).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { protocolVersion: '2025-06-18', capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'desk', version: '1.0.0' }, instructions: 'Desk tools over stdio' },
    });
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const list = await rpc({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(list.result.tools).toEqual([
      {
        name: 'summary',
        description: 'Mock summary with two declared outputs',
        inputSchema: { type: 'object', properties: { who: { type: 'string', description: 'Who asks' } }, required: ['who'] },
        outputSchema: { type: 'object', properties: { greeting: { type: ['string', 'null'] }, total: { type: ['number', 'null'] } } },
      },
    ]);
    const call = await rpc({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'summary', arguments: { who: 'Ada' } } });
    expect(call).toEqual({
      jsonrpc: '2.0',
      id: 3,
      result: { content: [{ type: 'text', text: '{"greeting":"Hello Ada","total":12}' }], structuredContent: { greeting: 'Hello Ada', total: 12 } },
    });
    const unknown = await rpc({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'nope', arguments: {} } });
    expect(unknown).toEqual({ jsonrpc: '2.0', id: 4, error: { code: -32602, message: 'Unknown tool: nope' } });
    expect(lines).toEqual([]);
  });

  it('ends when stdin ends', async () => {
    stdin.end();
    await expect(session.closed).resolves.toBeUndefined();
  });
});
