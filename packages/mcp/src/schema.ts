/**
 * Tool descriptions: input schemas, output schemas and annotations derived from the graph, and the
 * same tools in the shapes other vendors expect (`capstan tools`).
 */
import type { ConsumedOperation, Handler, McpAdapterNode, McpToolNode, OutputParam, ToolHints, ToolParam, WithMap } from '@capstan/spec';

/** A JSON Schema object (the subset this package writes). */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  [key: string]: unknown;
}

/** The input schema of a tool: always an object schema. */
export interface ToolInputSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
}

/** MCP tool annotations. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A tool as `tools/list` returns it. */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: ToolInputSchema;
  outputSchema?: JsonSchema & { type: 'object' };
  annotations?: ToolAnnotations;
}

type ParamType = ToolParam['type'];
const PARAM_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

function propertySchema({ type, description, enum: values }: Omit<ToolParam, 'name' | 'required'>): JsonSchema {
  const schema: JsonSchema = { type };
  if (type === 'array') schema.items = {};
  if (values) schema.enum = [...values];
  if (description) schema.description = description;
  return schema;
}

/** Input schema from declared parameters: type, description, enum, `required` (default true). */
export function schemaFromParams(params: readonly ToolParam[]): ToolInputSchema {
  const schema: ToolInputSchema = { type: 'object', properties: {} };
  const required: string[] = [];
  for (const p of params) {
    schema.properties[p.name] = propertySchema(p);
    if (p.required) required.push(p.name);
  }
  if (required.length) schema.required = required;
  return schema;
}

/** What a tool without declared inputs asks for one input, from the consumed parameter it feeds. */
type DerivedParam = Omit<ToolParam, 'name'>;

function consumedType(op: ConsumedOperation | undefined, key: string): DerivedParam {
  const param = op?.params.find((p) => p.name === key) ?? op?.params.find((p) => p.name.toLowerCase() === key.toLowerCase());
  const inPath = op?.pathPlaceholders.some((p) => p === key || p.toLowerCase() === key.toLowerCase()) ?? false;
  const type = param?.type && PARAM_TYPES.has(param.type) ? (param.type as ParamType) : 'string';
  return {
    type,
    ...(param?.description ? { description: param.description } : {}),
    ...(param?.enum ? { enum: param.enum } : {}),
    required: inPath || param?.required === true || param?.in === 'path',
  };
}

/** Adds what a `with` map and the called operation need from the caller. */
function collectFromCall(out: Map<string, DerivedParam>, withMap: WithMap, op: ConsumedOperation | undefined): void {
  for (const [key, value] of Object.entries(withMap)) {
    if (value.from !== 'input' || out.has(value.name)) continue;
    out.set(value.name, consumedType(op, key));
  }
  if (!op) return;
  const setByWith = (name: string): boolean => Object.keys(withMap).some((k) => k === name || k.toLowerCase() === name.toLowerCase());
  for (const placeholder of op.pathPlaceholders) {
    if (setByWith(placeholder) || out.has(placeholder)) continue;
    if (op.params.some((p) => p.name === placeholder && p.value !== undefined)) continue;
    out.set(placeholder, consumedType(op, placeholder));
  }
  for (const param of op.params) {
    if (param.value !== undefined || param.in === 'environment' || setByWith(param.name) || out.has(param.name)) continue;
    out.set(param.name, consumedType(op, param.name));
  }
}

function collectFromHandler(out: Map<string, DerivedParam>, handler: Handler): void {
  switch (handler.kind) {
    case 'call':
      collectFromCall(out, handler.with, handler.operation);
      return;
    case 'steps':
      collectFromCall(out, handler.with, undefined);
      for (const step of handler.steps) {
        if (step.kind === 'call' || step.kind === 'script') collectFromCall(out, step.with, undefined);
      }
      return;
    case 'mock':
      collectFromCall(out, handler.with, undefined);
      return;
    case 'ref':
      collectFromCall(out, handler.with, undefined);
      if (handler.fn.inputParameters.length) {
        for (const { name, ...p } of handler.fn.inputParameters) if (!out.has(name)) out.set(name, p);
      } else {
        collectFromHandler(out, handler.fn.handler);
      }
      return;
  }
}

/**
 * The input schema of a tool: its declared `inputParameters`; otherwise what its handler reads
 * from the caller (`with` entries that name an input, then the called operation's path
 * placeholders and parameters that `with` does not set).
 */
export function inputSchemaOf(tool: Pick<McpToolNode, 'inputParameters' | 'handler'>): ToolInputSchema {
  if (tool.inputParameters.length) return schemaFromParams(tool.inputParameters);
  const derived = new Map<string, DerivedParam>();
  collectFromHandler(derived, tool.handler);
  return schemaFromParams([...derived].map(([name, d]) => ({ name, ...d })));
}

/** The JSON Schema of one output parameter; undefined when its shape is not declared. */
function outputParamSchema(p: OutputParam, top: boolean): JsonSchema | undefined {
  let schema: JsonSchema | undefined;
  switch (p.type) {
    case 'object': {
      if (!p.properties || !Object.keys(p.properties).length) {
        schema = top ? undefined : { type: 'object' };
        break;
      }
      const properties: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(p.properties)) {
        const s = outputParamSchema(child, false);
        if (!s) return undefined;
        properties[name] = s;
      }
      schema = { type: 'object', properties };
      break;
    }
    case 'array': {
      const item = Array.isArray(p.items) ? (p.items.length === 1 ? p.items[0] : undefined) : (p.items as OutputParam | undefined);
      if (!item) {
        schema = top ? undefined : { type: 'array' };
        break;
      }
      const items = outputParamSchema(item, false);
      schema = items ? { type: 'array', items } : undefined;
      break;
    }
    default:
      schema = PARAM_TYPES.has(p.type) ? { type: p.type } : undefined;
  }
  // A nested value the mapping does not find is null: the schema must allow it, or clients that
  // check structuredContent against outputSchema reject the whole result.
  if (schema && !top && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  if (schema && p.description) schema.description = p.description;
  return schema;
}

/** The declared shape of what a list of outputs produces: one output gives its value, several an object keyed by name. */
function outputsSchema(outputs: readonly OutputParam[]): (JsonSchema & { type: 'object' }) | undefined {
  if (!outputs.length) return undefined;
  if (outputs.length === 1) {
    const only = outputSchemaCandidate(outputs[0]!);
    return only;
  }
  const properties: Record<string, JsonSchema> = {};
  for (const o of outputs) {
    if (!o.name) return undefined;
    const s = outputParamSchema(o, false);
    if (!s) return undefined;
    properties[o.name] = s;
  }
  return { type: 'object', properties };
}

function outputSchemaCandidate(o: OutputParam): (JsonSchema & { type: 'object' }) | undefined {
  const s = outputParamSchema(o, true);
  return s && s.type === 'object' ? (s as JsonSchema & { type: 'object' }) : undefined;
}

/**
 * The output schema of a tool, when its result is an object of declared shape: a simple-mode
 * call or mock whose outputs declare properties. Orchestrated outputs are declarations the
 * engine never checks, so they give no schema.
 */
export function outputSchemaOf(handler: Handler): (JsonSchema & { type: 'object' }) | undefined {
  switch (handler.kind) {
    case 'call':
      return outputsSchema(handler.outputs);
    case 'mock':
      return handler.outputs.length > 1 ? outputsSchema(handler.outputs) : undefined;
    case 'ref':
      return outputSchemaOf(handler.fn.handler);
    case 'steps':
      return undefined;
  }
}

/** Annotations from hints and label; undefined when neither is set (engine behaviour). */
export function annotationsOf(hints: ToolHints, label: string | undefined): ToolAnnotations | undefined {
  const a: ToolAnnotations = {};
  if (label) a.title = label;
  if (typeof hints.readOnly === 'boolean') a.readOnlyHint = hints.readOnly;
  if (typeof hints.destructive === 'boolean') a.destructiveHint = hints.destructive;
  if (typeof hints.idempotent === 'boolean') a.idempotentHint = hints.idempotent;
  if (typeof hints.openWorld === 'boolean') a.openWorldHint = hints.openWorld;
  return Object.keys(a).length ? a : undefined;
}

/** One tool as `tools/list` returns it. */
export function mcpToolDefinition(tool: McpToolNode): McpToolDefinition {
  const output = outputSchemaOf(tool.handler);
  const annotations = annotationsOf(tool.hints, tool.label);
  return {
    name: tool.name,
    ...(tool.label ? { title: tool.label } : {}),
    description: tool.description,
    inputSchema: inputSchemaOf(tool),
    ...(output ? { outputSchema: output } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

/** Vendor formats of `toolDefinitions`. */
export type ToolDefinitionFormat = 'mcp' | 'json-schema' | 'openai' | 'anthropic';

export interface JsonSchemaToolDefinition { name: string; description: string; schema: ToolInputSchema }
export interface OpenAiToolDefinition { type: 'function'; function: { name: string; description: string; parameters: ToolInputSchema } }
export interface AnthropicToolDefinition { name: string; description: string; input_schema: ToolInputSchema }

export function toolDefinitions(adapter: McpAdapterNode, format: 'mcp'): McpToolDefinition[];
export function toolDefinitions(adapter: McpAdapterNode, format: 'json-schema'): JsonSchemaToolDefinition[];
export function toolDefinitions(adapter: McpAdapterNode, format: 'openai'): OpenAiToolDefinition[];
export function toolDefinitions(adapter: McpAdapterNode, format: 'anthropic'): AnthropicToolDefinition[];
export function toolDefinitions(adapter: McpAdapterNode, format: ToolDefinitionFormat): Array<McpToolDefinition | JsonSchemaToolDefinition | OpenAiToolDefinition | AnthropicToolDefinition>;
/** The adapter's tools, in declaration order, in the given vendor format. */
export function toolDefinitions(adapter: McpAdapterNode, format: ToolDefinitionFormat): Array<McpToolDefinition | JsonSchemaToolDefinition | OpenAiToolDefinition | AnthropicToolDefinition> {
  const tools = adapter.tools.map(mcpToolDefinition);
  switch (format) {
    case 'mcp':
      return tools;
    case 'json-schema':
      return tools.map((t) => ({ name: t.name, description: t.description, schema: t.inputSchema }));
    case 'openai':
      return tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.inputSchema } }));
    case 'anthropic':
      return tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema }));
    default:
      throw new Error(`unknown tool definition format \`${String(format)}\`; expected one of mcp, json-schema, openai, anthropic`);
  }
}
