/** Test helpers for the executor: real local HTTP servers and graphs built from YAML strings. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkSpec, type CapabilityGraph, type Handler } from '../../packages/core/src/index.js';
import { Executor, type ExecutorOptions } from '../../packages/core/src/executor/index.js';
import { tempSpecDir } from '../helpers/tmp.js';

/** One request as the upstream server saw it. */
export interface Seen {
  method: string;
  /** Raw request target (path and query), exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Reply = (req: Seen, res: ServerResponse) => void | Promise<void>;

/** A local upstream that records every request. */
export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  reply: Reply;
  close(): Promise<void>;
}

/** Answers JSON. */
export function json(res: ServerResponse, value: unknown, status = 200, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...headers });
  res.end(body);
}

/** Answers text with a content type. */
export function send(res: ServerResponse, body: string | Buffer, contentType = 'text/plain', status = 200): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length });
  res.end(buf);
}

/** Starts a server on 127.0.0.1 with a random port; the default reply echoes the request as JSON. */
export async function startServer(reply?: Reply): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    port: 0,
    seen: [],
    reply: reply ?? ((req, res) => json(res, { method: req.method, url: req.url, body: req.body.toString() })),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      state.seen.push(seen);
      Promise.resolve(state.reply(seen, res)).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

const HEADER = `naftiko: "1.0.0-alpha2"
info:
  label: Test
  description: Executor test capability
`;

/** Compiles a capability (YAML after the `info` block) written with extra files into a temp folder. */
export function graphOf(body: string, files: Record<string, string> = {}): { graph: CapabilityGraph; dir: string } {
  const dir = tempSpecDir({ 'cap.yaml': HEADER + body, ...files });
  const result = checkSpec(join(dir, 'cap.yaml'));
  if (!result.graph) {
    throw new Error(`capability does not compile:\n${result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`).join('\n')}`);
  }
  return { graph: result.graph, dir };
}

/** The handler of an MCP tool or REST operation (by tool name or operation name). */
export function handlerOf(graph: CapabilityGraph, name: string): Handler {
  for (const adapter of graph.adapters) {
    if (adapter.type === 'mcp') {
      const tool = adapter.tools.find((t) => t.name === name);
      if (tool) return tool.handler;
    }
    if (adapter.type === 'rest') {
      for (const r of adapter.resources) for (const o of r.operations) if (o.name === name) return o.handler;
    }
  }
  throw new Error(`no tool or operation named ${name}`);
}

/** A one-consume capability: `consumes` resources YAML (indented 8) and MCP tools YAML (indented 8). */
export function capability(opts: { resources: string; tools: string; consumesExtra?: string; binds?: string; aggregates?: string; baseUri?: string }): string {
  return `${opts.binds ?? ''}capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "${opts.baseUri ?? 'http://upstream.invalid/base'}"
${opts.consumesExtra ?? ''}      resources:
${opts.resources}
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
${opts.tools}
${opts.aggregates ?? ''}`;
}

/** Creates an executor pointed at a server for every namespace. */
export async function executorFor(graph: CapabilityGraph, server: TestServer | string, options: ExecutorOptions = {}): Promise<Executor> {
  const url = typeof server === 'string' ? server : `${server.url}/base`;
  return Executor.create(graph, { env: {}, upstreams: { '*': url }, ...options });
}

/** Decodes a raw result body as text. */
export function text(result: { kind: string; body?: Buffer }): string {
  return result.kind === 'raw' && result.body ? result.body.toString() : '';
}
