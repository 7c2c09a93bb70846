/** `createMcpAdapter`: one MCP adapter of a capability, served over Streamable HTTP or stdio. */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { McpAdapterNode } from '@capstan/spec';
import { createHttpServer } from '@capstan/http';
import { corsFor } from './checks.js';
import { mountMcpRoutes } from './mount.js';
import { McpRegistry } from './registry.js';
import type { McpToolDefinition } from './schema.js';
import type { Serving } from './serving.js';
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
  /** Registers the endpoint (`/mcp`, `/`) on an app of the shared HTTP layer, or a port's scope of one, that serves nothing else (`mountMcpRoutes`); `bindAddress` is what it listens on (for the default Host check). */
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

/**
 * Builds the adapter's registry (once per version) and the transports that serve it. The HTTP
 * transports, and the SDK with them, are loaded by the adapter's first request (`serving.ts`).
 */
export function createMcpAdapter(node: McpAdapterNode, runner: ToolRunner, options: McpAdapterOptions = {}): McpAdapter {
  const log = options.logger ?? stderrLogger;
  const counters = { registryBuilds: 0, serversCreated: 0, transportsCreated: 0, httpRequests: 0, fastCalls: 0 };
  const build = (n: McpAdapterNode, r: ToolRunner): McpRegistry =>
    new McpRegistry(n, r, { baseDir: options.baseDir ?? dirname(n.origin.file), serverVersion: options.serverVersion ?? '1.0.0', logger: log, counters });
  let registry = build(node, runner);
  const current = (): McpRegistry => registry;
  let bindAddress = node.address;
  let serving: Promise<Serving> | undefined;
  let started: Serving | undefined;
  const serve = (): Promise<Serving> =>
    (serving ??= import('./serving.js').then((m) => (started = m.startServing(current, node.namespace, options, counters, log, bindAddress))));
  type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | void>;
  // Once started, requests go straight to the transports.
  const route = (pick: (s: Serving) => Handler): Handler => (req, reply) => (started ? pick(started)(req, reply) : serve().then((s) => pick(s)(req, reply)));
  const front = { handle: route((s) => s.front.handle), corsFor: (origin: string | undefined) => corsFor(origin, options) };
  const legacy = { stream: route((s) => s.legacy.stream), message: route((s) => s.legacy.message) };
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
    mount(app, address) {
      if (address) {
        bindAddress = address;
        if (started) started.front.bindAddress = address;
      }
      mountMcpRoutes(app, front, legacy, routeOptions);
    },
    async listen(opts = {}) {
      const host = opts.host ?? registry.adapter.address ?? 'localhost';
      const port = opts.port ?? registry.adapter.port ?? 0;
      const app = createHttpServer({ bodyLimit: routeOptions.bodyLimit });
      // In a scope: the endpoint replaces its scope's content-type parsers, not those of the app's 404 answers.
      void app.register(async (scope) => this.mount(scope, host));
      await app.listen({ host, port });
      servers.push(app);
      const bound = (app.server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return { server: app.server, host, port: bound, url: `http://${urlHost}:${bound}/mcp` };
    },
    async serveStdio(opts = {}) {
      const { createSdkServer } = await import('./sdk-server.js');
      const session = await serveStdio(() => createSdkServer(registry, current), opts);
      stdio.push(session);
      return session;
    },
    async update(next, nextRunner) {
      const before = listed(registry);
      registry = build(next, nextRunner);
      const after = listed(registry);
      const changed = { tools: before.tools !== after.tools, resources: before.resources !== after.resources, prompts: before.prompts !== after.prompts };
      // Transports not started yet have no session to tell.
      const live = started ?? (await serving);
      await live?.front.refreshed(changed);
      await live?.legacy.notify(changed);
      if (changed.tools) await Promise.allSettled(stdio.map((s) => s.server.sendToolListChanged()));
    },
    stats() {
      return { ...counters, sessions: (started?.front.sessionCount ?? 0) + (started?.legacy.size ?? 0) };
    },
    async close() {
      const live = await serving;
      await live?.front.close();
      await live?.legacy.close();
      await live?.sharing?.close();
      await Promise.all(stdio.map((s) => s.close()));
      await Promise.all(servers.map((app) => app.close()));
    },
  };
}
