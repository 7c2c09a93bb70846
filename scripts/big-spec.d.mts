/** The YAML text of a capability with `count` consumed operations, REST operations and MCP tools, in the de-facto forms real files use. */
export function bigSpecText(count?: number, upstream?: string): string;
