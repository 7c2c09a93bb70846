/** @capstan/mcp: serves a Naftiko MCP adapter with the MCP TypeScript SDK. */
export { createMcpAdapter, stderrLogger, type McpAdapter, type McpListening } from './adapter.js';
export { McpRegistry, renderPrompt } from './registry.js';
export { RpcError } from './messages.js';
export {
  toolDefinitions,
  mcpToolDefinition,
  inputSchemaOf,
  outputSchemaOf,
  annotationsOf,
  schemaFromParams,
  type ToolDefinitionFormat,
  type McpToolDefinition,
  type JsonSchemaToolDefinition,
  type OpenAiToolDefinition,
  type AnthropicToolDefinition,
  type ToolInputSchema,
  type ToolAnnotations,
  type JsonSchema,
} from './schema.js';
export type { StdioSession } from './stdio.js';
export {
  type ToolRunner,
  type RunCall,
  type ExecResult,
  type AuthOutcome,
  type Logger,
  type McpAdapterOptions,
  type McpAdapterStats,
} from './types.js';
export { strictOpenAiTools, type StrictOpenAiToolDefinition } from './strict.js';
