/** Test-only re-export of the SDK's stdio client transport (see sdk.ts for why). */
export { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
/** The SDK's newline-delimited JSON-RPC stream transport, for the client end of an in-process pipe. */
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
