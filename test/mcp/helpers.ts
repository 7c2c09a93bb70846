/**
 * Test helpers for the MCP adapter: real local upstreams (node:http on 127.0.0.1), capability
 * files compiled with `checkSpec`, and the real executor as the adapter's runner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkSpec, type CapabilityGraph, type McpAdapterNode } from '../../packages/core/src/index.js';
import { Executor } from '../../packages/core/src/executor/index.js';
import { tempSpec } from '../helpers/tmp.js';

/** A recorded upstream request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local upstream API. */
export interface Upstream {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Starts an upstream whose answers come from `handler`. */
export async function startUpstream(handler: (req: SeenRequest, res: ServerResponse) => void): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      handler(r, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends JSON. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

/** Writes a capability to a temp folder and compiles it; fails on any error diagnostic. */
export function compile(yaml: string, extraFiles?: Record<string, string>): { graph: CapabilityGraph; file: string } {
  const file = tempSpec(yaml);
  if (extraFiles) {
    for (const [name, text] of Object.entries(extraFiles)) writeBeside(file, name, text);
  }
  return { graph: compileFile(file), file };
}

function writeBeside(file: string, name: string, text: string): void {
  const target = join(dirname(file), name);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** Compiles a capability file; throws with the diagnostics when it has errors. */
export function compileFile(file: string): CapabilityGraph {
  const result = checkSpec(file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.graph || errors.length) throw new Error(`capability does not compile:\n${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n')}`);
  return result.graph;
}

/** The (first) MCP adapter of a graph. */
export function mcpAdapter(graph: CapabilityGraph, namespace?: string): McpAdapterNode {
  const a = graph.adapters.find((x): x is McpAdapterNode => x.type === 'mcp' && (!namespace || x.namespace === namespace));
  if (!a) throw new Error('no mcp adapter');
  return a;
}

/** The real executor for `graph`, with `upstreams` (consumed namespace → base URI) and short timeouts. */
export async function makeRunner(graph: CapabilityGraph, upstreams: Record<string, string>, timeoutMs = 800): Promise<Executor> {
  return Executor.create(graph, {
    upstreams,
    timeouts: { connectMs: timeoutMs, headersMs: timeoutMs, bodyMs: timeoutMs },
    env: { ...process.env, PARAGON_TOKEN: 'paragon-secret-token' },
  });
}
