/**
 * Test-only re-exports. The repository tests live under `test/`, where bare imports resolve from
 * the root `node_modules`; the MCP SDK client and Ajv are dependencies of this package only, so
 * tests import them through this file (not compiled into dist).
 */
export { Client } from '@modelcontextprotocol/sdk/client/index.js';
export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export { Server } from '@modelcontextprotocol/sdk/server/index.js';
export { CallToolRequestSchema, McpError, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
export { Ajv } from 'ajv';
export { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
export { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
