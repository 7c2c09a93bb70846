/** `createMcpAdapter`: one MCP adapter of a capability, served over Streamable HTTP or stdio. */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { McpAdapterNode } from '@capstan/spec';
import { createHttpServer } from '@capstan/http';
import { HttpFront } from './http.js';
import { LegacySse } from './legacy-sse.js';
import { createRedisSharing } from './redis-sharing.js';
import { mountMcpRoutes } from './mount.js';
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
  /** `tools/list` entries of the current version. */
  readonly tools: readonly McpToolDefinition[];
  /** Registers the endpoint (`/mcp`, `/`) on an app of the shared HTTP layer; `bindAddress` is what it listens on (for the default Host check). */
  mount(app: FastifyInstance, bindAddress?: string): void;
  /** Starts an HTTP server of its own (defaults: the adapter's `port` and `address`, `localhost`). */
  listen(options?: { port?: number; host?: string }): Promise<McpListening>;
  /** Serves on stdin/stdout (the `transport: stdio` form). */
  serveStdio(options?: { stdin?: Readable; stdout?: Writable }): Promise<StdioSession>;
  /**
   * Serves a new version of the adapter (a reload): calls in flight finish with the old runner,
   * new ones use the new; open sessions keep their ids and get `list_changed` notifications.
   */
  update(node: McpAdapterNode, runner: ToolRunner): Promise<void>;
  stats(): McpAdapterStats;
  /** Ends sessions and stops the server started by `listen`. */
  close(): Promise<void>;
}

/** Writes log lines to stderr; stdout is reserved for the stdio transport. */
export const stderrLogger: Logger = (level, message) => {
  if (level === 'debug' && !process.env.CAPSTAN_DEBUG) return;
  process.stderr.write(`[${level}] ${message}\n`);
};

/** JSON text of what a client lists, to tell whether a reload changed it. */
function listed(registry: McpRegistry): { tools: string; resources: string; prompts: string } {
  const a = registry.adapter;
  return {
    tools: JSON.stringify(registry.tools),
    resources: JSON.stringify(a.resources.map((r) => [r.name, r.uri, r.description, r.mimeType])),
    prompts: JSON.stringify(a.prompts.map((p) => [p.name, p.description, p.arguments])),
  };
}

/** Builds the adapter's registry (once per version) and the transports that serve it. */
export function createMcpAdapter(node: McpAdapterNode, runner: ToolRunner, options: McpAdapterOptions = {}): McpAdapter {
  const log = options.logger ?? stderrLogger;
  const counters = { registryBuilds: 0, serversCreated: 0, transportsCreated: 0, httpRequests: 0, fastCalls: 0 };
  const build = (n: McpAdapterNode, r: ToolRunner): McpRegistry =>
    new McpRegistry(n, r, { baseDir: options.baseDir ?? dirname(n.origin.file), serverVersion: options.serverVersion ?? '1.0.0', logger: log, counters });
  let registry = build(node, runner);
  const current = (): McpRegistry => registry;
  const sharing = options.redisUrl && !options.stateless ? createRedisSharing({ url: options.redisUrl, namespace: node.namespace, ttlMs: options.sessionIdleMs ?? 30 * 60_000, logger: log }) : undefined;
  const front = new HttpFront(() => registry.createServer(current), node.namespace, options, counters, log, node.address, sharing);
  const legacy = new LegacySse(front, sharing, log, node.namespace, { maxSessions: options.maxSessions ?? 10_000, ttlMs: options.sessionIdleMs ?? 30 * 60_000 });
  const servers: FastifyInstance[] = [];
  const stdio: StdioSession[] = [];
  const routeOptions = { bodyLimit: options.maxBodyBytes ?? 4 * 1024 * 1024, ...(options.protectedResourceMetadata ? { protectedResourceMetadata: options.protectedResourceMetadata } : {}) };

  return {
    get node() {
      return registry.adapter;
    },
    get tools() {
      return registry.tools;
    },
    mount(app, bindAddress) {
      if (bindAddress) front.bindAddress = bindAddress;
      mountMcpRoutes(app, front, legacy, routeOptions);
    },
    async listen(opts = {}) {
      const host = opts.host ?? registry.adapter.address ?? 'localhost';
      const port = opts.port ?? registry.adapter.port ?? 0;
      const app = createHttpServer({ bodyLimit: routeOptions.bodyLimit });
      this.mount(app, host);
      await app.listen({ host, port });
      servers.push(app);
      const bound = (app.server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return { server: app.server, host, port: bound, url: `http://${urlHost}:${bound}/mcp` };
    },
    async serveStdio(opts = {}) {
      const session = await serveStdio(() => registry.createServer(current), opts);
      stdio.push(session);
      return session;
    },
    async update(next, nextRunner) {
      const before = listed(registry);
      registry = build(next, nextRunner);
      const after = listed(registry);
      const changed = { tools: before.tools !== after.tools, resources: before.resources !== after.resources, prompts: before.prompts !== after.prompts };
      await front.refreshed(changed);
      await legacy.notify(changed);
      if (changed.tools) await Promise.allSettled(stdio.map((s) => s.server.sendToolListChanged()));
    },
    stats() {
      return { ...counters, sessions: front.sessionCount + legacy.size };
    },
    async close() {
      await front.close();
      await legacy.close();
      await sharing?.close();
      await Promise.all(stdio.map((s) => s.close()));
      await Promise.all(servers.map((app) => app.close()));
    },
  };
}
