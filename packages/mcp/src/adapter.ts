/** `createMcpAdapter`: one MCP adapter of a capability, served over Streamable HTTP or stdio. */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { McpAdapterNode } from '@capstan/core';
import { HttpFront } from './http.js';
import { McpRegistry } from './registry.js';
import type { McpToolDefinition } from './schema.js';
import { serveStdio, type StdioSession } from './stdio.js';
import type { Logger, McpAdapterOptions, McpAdapterStats, ToolRunner } from './types.js';

/** Where an adapter listens. */
export interface McpListening {
  server: HttpServer;
  host: string;
  port: number;
  /** The MCP endpoint, `http://host:port/mcp`. */
  url: string;
}

/** A served (or servable) MCP adapter. */
export interface McpAdapter {
  readonly node: McpAdapterNode;
  /** `tools/list` entries, built once. */
  readonly tools: readonly McpToolDefinition[];
  /** Node request listener: `/mcp` and `/` are the endpoint, anything else is 404. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Starts an HTTP server (defaults: the adapter's `port` and `address`, `localhost`). */
  listen(options?: { port?: number; host?: string }): Promise<McpListening>;
  /** Serves on stdin/stdout (the `transport: stdio` form). */
  serveStdio(options?: { stdin?: Readable; stdout?: Writable }): Promise<StdioSession>;
  stats(): McpAdapterStats;
  /** Ends sessions and stops the server started by `listen`. */
  close(): Promise<void>;
}

/** Writes log lines to stderr; stdout is reserved for the stdio transport. */
export const stderrLogger: Logger = (level, message) => {
  if (level === 'debug' && !process.env.CAPSTAN_DEBUG) return;
  process.stderr.write(`[${level}] ${message}\n`);
};

/** Builds the adapter's registry (once) and the transports that serve it. */
export function createMcpAdapter(node: McpAdapterNode, runner: ToolRunner, options: McpAdapterOptions = {}): McpAdapter {
  const log = options.logger ?? stderrLogger;
  const counters = { registryBuilds: 0, serversCreated: 0, transportsCreated: 0, httpRequests: 0 };
  const registry = new McpRegistry(node, runner, {
    baseDir: options.baseDir ?? dirname(node.origin.file),
    serverVersion: options.serverVersion ?? '1.0.0',
    logger: log,
    counters,
  });
  const front = new HttpFront(registry, options, counters, log);
  const listening: HttpServer[] = [];
  const stdio: StdioSession[] = [];

  return {
    node,
    tools: registry.tools,
    handle: front.handle,
    async listen(opts = {}) {
      const host = opts.host ?? node.address ?? 'localhost';
      const port = opts.port ?? node.port ?? 0;
      front.bindAddress = host;
      const server = createServer((req, res) => void front.handle(req, res));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening.push(server);
      const bound = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return { server, host, port: bound, url: `http://${urlHost}:${bound}/mcp` };
    },
    async serveStdio(opts = {}) {
      const session = await serveStdio(registry, opts);
      stdio.push(session);
      return session;
    },
    stats() {
      return { ...counters, sessions: front.sessionCount };
    },
    async close() {
      await front.close();
      await Promise.all(stdio.map((s) => s.close()));
      await Promise.all(
        listening.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
