/**
 * The body of a POST to the MCP endpoint (`body.ts`): read at once when it came with its headers,
 * read as a stream when it is still arriving, with the adapter's size limit either way. Requests
 * are written byte for byte on a raw socket, so how the body arrives is under the test's control.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import type { Executor } from '@capstan/runtime';
import { fleetUpstream, FLEET_FILES, FLEET_YAML } from './fleet.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { compile, makeRunner, mcpAdapter } from './helpers.js';

const LIMIT = 1000;
let upstream: Upstream;
let runner: Executor;
let adapter: McpAdapter;
let port: number;

beforeAll(async () => {
  upstream = await startUpstream(fleetUpstream);
  const { graph } = compile(FLEET_YAML, FLEET_FILES);
  runner = await makeRunner(graph, { registry: upstream.url });
  adapter = createMcpAdapter(mcpAdapter(graph), runner, { stateless: true, maxBodyBytes: LIMIT, logger: () => undefined });
  ({ port } = await adapter.listen({ port: 0, host: '127.0.0.1' }));
});

afterAll(async () => {
  await adapter?.close();
  await runner?.close();
  await upstream?.close();
});

/** Writes `pieces` to a new connection (`pause` ms apart) and resolves with the response's status and message (JSON, or one SSE event's data). */
function send(pieces: Array<string | Buffer>, pause = 60): Promise<{ status: number; message: { result?: unknown; error?: { code: number; message: string } } }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (c) => {
      received = Buffer.concat([received, c]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headText = received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headText)?.[1]);
      const body = received.subarray(end + 4);
      if (!(body.length >= length)) return;
      socket.destroy();
      const text = body.subarray(0, length).toString('utf8');
      const data = text.includes('data: ') ? text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('') : text;
      resolve({ status: Number(headText.split(' ')[1]), message: JSON.parse(data) });
    });
    void (async () => {
      for (const [i, piece] of pieces.entries()) {
        if (i) await new Promise((r) => setTimeout(r, pause));
        if (!socket.destroyed) socket.write(piece);
      }
    })();
  });
}

function head(extra: string): string {
  return `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\n${extra}\r\n`;
}

/** A tools/call of an unknown tool: the error names it, so the body's text must have been read whole and decoded right. */
const call = (name: string): Buffer => Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: {} } }));

describe('the body of an MCP POST', () => {
  it('sent with its headers: read at once', async () => {
    const body = call('naïve-tool');
    const answer = await send([Buffer.concat([Buffer.from(head(`Content-Length: ${body.length}\r\n`)), body])]);
    expect(answer.status).toBe(200);
    expect(answer.message.error?.message).toContain('naïve-tool');
  });

  it('sent in pieces after its headers, a multi-byte character split between two: read whole and decoded', async () => {
    const body = call('naïve-tool');
    const split = body.indexOf(Buffer.from('ï')) + 1;
    const answer = await send([head(`Content-Length: ${body.length}\r\n`), body.subarray(0, split), body.subarray(split)]);
    expect(answer.status).toBe(200);
    expect(answer.message.error?.message).toContain('naïve-tool');
  });

  it('chunked, without Content-Length: read whole', async () => {
    const body = call('chunked-tool');
    const chunk = (b: Buffer): Buffer => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
    const answer = await send([head('Transfer-Encoding: chunked\r\n'), chunk(body.subarray(0, 20)), Buffer.concat([chunk(body.subarray(20)), Buffer.from('0\r\n\r\n')])]);
    expect(answer.status).toBe(200);
    expect(answer.message.error?.message).toContain('chunked-tool');
  });

  it('over the limit with a Content-Length: 413 with a JSON-RPC error', async () => {
    const answer = await send([head(`Content-Length: ${LIMIT + 1}\r\n`), 'x'.repeat(LIMIT + 1)]);
    expect(answer.status).toBe(413);
    expect(answer.message.error).toMatchObject({ code: -32000, message: expect.stringContaining(`larger than ${LIMIT} bytes`) });
  });

  it('over the limit, chunked: 413 with a JSON-RPC error', async () => {
    const pad = Buffer.from('x'.repeat(LIMIT));
    const answer = await send([head('Transfer-Encoding: chunked\r\n'), Buffer.concat([Buffer.from(`${pad.length.toString(16)}\r\n`), pad, Buffer.from('\r\n')]), Buffer.concat([Buffer.from('1\r\nx\r\n0\r\n\r\n')])]);
    expect(answer.status).toBe(413);
    expect(answer.message.error).toMatchObject({ code: -32000, message: expect.stringContaining(`larger than ${LIMIT} bytes`) });
  });

  it('at the limit exactly: read', async () => {
    const base = call('');
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x'.repeat(LIMIT - base.length), arguments: {} } }));
    expect(body.length).toBe(LIMIT);
    const answer = await send([Buffer.concat([Buffer.from(head(`Content-Length: ${body.length}\r\n`)), body])]);
    expect(answer.status).toBe(200);
    expect(answer.message.error?.message).toContain('x'.repeat(50));
  });
});
