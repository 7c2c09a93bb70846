/**
 * The SDK `Server` of a registry. Loaded with the transports that use it (on an adapter's first
 * MCP request, or for stdio), so a gateway does not load the SDK and zod before a client talks MCP.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { settleCancelled } from './cancelled-requests.js';
import { withCacheHints } from './cache-hints.js';
import type { McpRegistry } from './registry.js';

/** A new SDK server with the registry's handlers (cheap: no schema or tool is rebuilt); they answer from `current()`, which a reload swaps. */
export function createSdkServer(registry: McpRegistry, current: () => McpRegistry = () => registry): Server {
  const server = new Server(
    { name: registry.adapter.namespace, version: registry.options.serverVersion },
    { capabilities: registry.capabilities, ...(registry.adapter.description ? { instructions: registry.adapter.description } : {}) },
  );
  // Handlers answer from the current version (a reload swaps it), with its cache hints; a request
  // that ends cancelled is settled on the server's transport (`cancelled-requests.ts`).
  const settled = <A, E extends RequestHandlerExtra<ServerRequest, ServerNotification>, R>(h: (r: A, e: E) => Promise<R>) => settleCancelled(() => server.transport, h);
  const hinted = <A extends unknown[], R extends object>(pick: (r: McpRegistry) => (...args: A) => Promise<R>) => (...args: A) => withCacheHints(pick(current()), current().adapter.cacheHints)(...args);
  server.setRequestHandler(ListToolsRequestSchema, settled(hinted((r) => r.listTools)));
  server.setRequestHandler(CallToolRequestSchema, settled((r, e) => current().callTool(r, e)));
  if (registry.capabilities.resources) {
    server.setRequestHandler(ListResourcesRequestSchema, settled(hinted((r) => r.listResources)));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, settled(hinted((r) => r.listResourceTemplates)));
    server.setRequestHandler(ReadResourceRequestSchema, settled(hinted((r) => r.readResource)));
  }
  if (registry.capabilities.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, settled(hinted((r) => r.listPrompts)));
    server.setRequestHandler(GetPromptRequestSchema, settled((r) => current().getPrompt(r)));
  }
  server.onerror = (err) => registry.options.logger('debug', `mcp ${registry.adapter.namespace}: ${registry.redact(err.message)}`);
  registry.options.counters.serversCreated++;
  return server;
}
