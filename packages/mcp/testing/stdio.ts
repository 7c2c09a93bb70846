/** Test-only re-export of the SDK's stdio client transport (see sdk.ts for why). */
export { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
