/**
 * The registry of one MCP adapter: tool, resource and prompt descriptions and their handlers,
 * built once. Every SDK `Server` the adapter creates (one per session, or pooled for stateless
 * requests; `sdk-server.ts`) gets these same handler functions; nothing here is rebuilt per
 * request. Nothing here loads the SDK: that waits for the first MCP request.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import type {
  CallToolRequest,
  CallToolResult,
  GetPromptRequest,
  GetPromptResult,
  ListPromptsResult,
  ListResourcesResult,
  ListResourceTemplatesResult,
  ListToolsResult,
  ReadResourceRequest,
  ReadResourceResult,
  ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { resolveFileLocation as resolveLocation, type McpAdapterNode, type McpPromptNode, type McpResourceNode, type McpToolNode } from '@capstan/spec';
import { catalogEntry, errorCodeOf, type AbortLike, isTextual, listFiles, mcpErrorText, mcpText, mediaType, MissingFileError, readInside, realFolder, RPC_CODES, UnsafePathError, type ErrorCode } from '@capstan/runtime';
import { binaryToolContent, isBinaryResult } from './binary-content.js';
import { mcpToolDefinition, type McpToolDefinition } from './schema.js';
import { argumentErrors, RpcError } from './messages.js';
import { requestContext, type ExecResult, type Logger, type ToolRunner } from './types.js';
import { isPlainObject, validatorFor, withoutNulls } from './validators.js';

/** The JSON-RPC error of a catalog code. */
function rpcError(code: ErrorCode, message: string, data?: unknown): RpcError {
  return new RpcError(catalogEntry(code).mcp.rpc, message, data);
}

/** Counters shared with the adapter. */
export interface RegistryCounters {
  registryBuilds: number;
  serversCreated: number;
}

export interface RegistryOptions {
  baseDir: string;
  serverVersion: string;
  logger: Logger;
  counters: RegistryCounters;
}

interface ToolEntry {
  node: McpToolNode;
  definition: McpToolDefinition;
  /** Declared input names: other arguments are dropped (they could fill consumed parameters the tool does not expose). */
  accepted?: ReadonlySet<string>;
  /** Compiled on first call (see `validatorFor`). */
  validateInput: () => ValidateFunction;
  validateOutput?: () => ValidateFunction;
}

interface DynamicTemplate {
  regex: RegExp;
  names: string[];
}

type ToolContent = CallToolResult['content'];

/** A URI template (`{name}` → one path segment) as a regex. */
function compileTemplate(uri: string): DynamicTemplate {
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of uri.matchAll(/\{([a-zA-Z0-9_.-]+)\}/g)) {
    pattern += uri.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern += '([^/]+)';
    names.push(m[1]!);
    last = m.index + m[0].length;
  }
  pattern += uri.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { regex: new RegExp(`^${pattern}$`), names };
}

/** What the SDK passes a request handler that the registry reads (the fast path's tool calls pass a `CallAbort` as the signal). */
interface HandlerExtra {
  signal: AbortLike;
  authInfo?: { extra?: Record<string, unknown> };
  requestInfo?: { headers: Record<string, string | string[] | undefined> };
}

/** The HTTP request's id (the caller's `x-request-id`, or the one the HTTP layer gave it); stdio calls get a new one. */
function requestIdOf(extra: HandlerExtra): string {
  const id = extra.requestInfo?.headers['x-request-id'];
  return (Array.isArray(id) ? id[0] : id) || randomUUID();
}

/** The registry of one adapter. */
export class McpRegistry {
  readonly adapter: McpAdapterNode;
  readonly capabilities: ServerCapabilities;
  readonly tools: readonly McpToolDefinition[];
  private readonly entries = new Map<string, ToolEntry>();
  private readonly templates = new Map<McpResourceNode, DynamicTemplate>();
  private readonly runner: ToolRunner;
  readonly options: RegistryOptions;
  private readonly listToolsResult: ListToolsResult;
  /** The adapter's `maxBinarySize`, passed with every run. */
  private readonly binaryCap: { maxBinaryBytes?: number };

  constructor(adapter: McpAdapterNode, runner: ToolRunner, options: RegistryOptions) {
    this.adapter = adapter;
    this.runner = runner;
    this.options = options;
    this.binaryCap = adapter.maxBinaryBytes !== undefined ? { maxBinaryBytes: adapter.maxBinaryBytes } : {};
    options.counters.registryBuilds++;
    const tools: McpToolDefinition[] = [];
    for (const node of adapter.tools) {
      if (this.entries.has(node.name)) continue;
      const definition = mcpToolDefinition(node);
      tools.push(definition);
      const entry: ToolEntry = { node, definition, validateInput: validatorFor(definition.inputSchema) };
      if (node.inputParameters.length) entry.accepted = new Set(node.inputParameters.map((p) => p.name));
      if (definition.outputSchema) entry.validateOutput = validatorFor(definition.outputSchema);
      this.entries.set(node.name, entry);
    }
    this.tools = tools;
    this.listToolsResult = { tools: tools as ListToolsResult['tools'] };
    for (const r of adapter.resources) if (r.source.kind === 'dynamic') this.templates.set(r, compileTemplate(r.uri));
    this.capabilities = {
      tools: { listChanged: true },
      ...(adapter.resources.length ? { resources: { listChanged: true } } : {}),
      ...(adapter.prompts.length ? { prompts: { listChanged: true } } : {}),
    };
  }

  /** The text with the runner's secrets redacted. */
  readonly redact = (text: string): string => (this.runner.redact ? this.runner.redact(text) : text);

  // ---- tools -------------------------------------------------------------------------------

  readonly listTools = async (): Promise<ListToolsResult> => this.listToolsResult;

  readonly callTool = async (request: CallToolRequest, extra: HandlerExtra): Promise<CallToolResult> => {
    const name = request.params.name;
    const entry = this.entries.get(name);
    if (!entry) throw rpcError('unknown-tool', mcpText('unknown-tool', name));
    const args = request.params.arguments ?? {};
    const validateInput = entry.validateInput();
    if (!validateInput(args)) {
      return this.toolError(`${catalogEntry('invalid-input').mcp.label} for tool \`${name}\`: ${argumentErrors(validateInput.errors).join('; ')}`);
    }
    let result: ExecResult;
    try {
      const inputs = entry.accepted ? Object.fromEntries(Object.entries(args).filter(([k]) => entry.accepted!.has(k))) : { ...args };
      result = await this.runner.run(entry.node.handler, { inputs, requestId: requestIdOf(extra), signal: extra.signal, ...requestContext(extra), ...this.binaryCap });
    } catch (err) {
      return this.toolError(this.failureMessage(err, `tool \`${name}\``, extra.signal));
    }
    if (isBinaryResult(result)) return { content: [binaryToolContent(result, this.adapter.namespace, name)] };
    const text = this.resultText(result);
    // An error body can echo what was sent (a token in a 401 message): redact it.
    if (result.status >= 400) return { content: [{ type: 'text', text: this.redact(text) }], isError: true };
    const content: ToolContent = [{ type: 'text', text }];
    if (!entry.validateOutput) return { content };
    const structured = result.kind === 'json' ? withoutNulls(result.value) : undefined;
    const validateOutput = entry.validateOutput();
    if (isPlainObject(structured) && validateOutput(structured)) return { content, structuredContent: structured };
    const why = isPlainObject(structured) ? argumentErrors(validateOutput.errors).join('; ') : 'the result is not a JSON object';
    return {
      content: [{ type: 'text', text: mcpText('output-mismatch', `the result of tool \`${name}\` does not match its declared output shape: ${why}`) }, ...content],
      isError: true,
    };
  };

  private toolError(message: string): CallToolResult {
    return { content: [{ type: 'text', text: message }], isError: true };
  }

  /** What the caller is told when running a handler threw (unexpected errors are logged too; a cancelled call's abort is not one). */
  private failureMessage(err: unknown, what: string, signal: AbortLike): string {
    const text = mcpErrorText(err, this.redact, what);
    if (errorCodeOf(err) === 'internal' && !signal.aborted && !(err instanceof Error && err.name === 'AbortError')) this.options.logger('error', `mcp ${this.adapter.namespace}: ${what} failed: ${text}`);
    return text;
  }

  /** The text of a result: compact JSON, or the raw upstream text. */
  private resultText(result: ExecResult): string {
    switch (result.kind) {
      case 'json':
        return result.value === undefined ? '' : JSON.stringify(result.value);
      case 'raw':
        return result.body.toString('utf8');
      case 'empty':
        // A mock with no data: the engine answers `{}` over MCP (REST answers 204).
        return '{}';
    }
  }

  // ---- resources ---------------------------------------------------------------------------

  readonly listResources = async (): Promise<ListResourcesResult> => {
    const resources: ListResourcesResult['resources'] = [];
    for (const r of this.adapter.resources) {
      if (r.source.kind === 'dynamic') {
        if (this.templates.get(r)!.names.length) continue;
        resources.push({ uri: r.uri, name: r.name, title: r.label || r.name, description: r.description, ...(r.mimeType ? { mimeType: r.mimeType } : {}) });
        continue;
      }
      const root = await realFolder(resolveLocation(r.source.directory, this.options.baseDir));
      for (const file of root ? await listFiles(root) : []) {
        resources.push({ uri: `${r.uri.replace(/\/+$/, '')}/${file.path}`, name: r.name, title: r.label || r.name, description: r.description, mimeType: r.mimeType ?? file.type });
      }
    }
    return { resources };
  };

  readonly listResourceTemplates = async (): Promise<ListResourceTemplatesResult> => ({
    resourceTemplates: this.adapter.resources
      .filter((r) => r.source.kind === 'dynamic' && this.templates.get(r)!.names.length > 0)
      .map((r) => ({ uriTemplate: r.uri, name: r.name, title: r.label || r.name, description: r.description, ...(r.mimeType ? { mimeType: r.mimeType } : {}) })),
  });

  readonly readResource = async (request: ReadResourceRequest, extra: HandlerExtra): Promise<ReadResourceResult> => {
    const uri = request.params.uri;
    if (!uri) throw rpcError('unknown-resource', 'Missing resource uri');
    for (const r of this.adapter.resources) {
      if (r.source.kind === 'static') {
        const base = r.uri.replace(/\/+$/, '');
        if (uri !== base && uri !== r.uri && !uri.startsWith(`${base}/`)) continue;
        const rel = uri === base || uri === r.uri ? '' : uri.slice(base.length + 1);
        return this.readStatic(r, resolveLocation(r.source.directory, this.options.baseDir), uri, rel);
      }
      const m = this.templates.get(r)!.regex.exec(uri);
      if (!m) continue;
      const inputs: Record<string, unknown> = {};
      this.templates.get(r)!.names.forEach((name, i) => {
        const raw = m[i + 1]!;
        try {
          inputs[name] = decodeURIComponent(raw);
        } catch {
          inputs[name] = raw;
        }
      });
      return this.readDynamic(r, r.source.handler, uri, inputs, extra);
    }
    throw rpcError('unknown-resource', `Unknown resource URI: ${uri}`);
  };

  private async readStatic(r: McpResourceNode, folder: string, uri: string, rel: string): Promise<ReadResourceResult> {
    if (!rel) throw rpcError('unknown-resource', `\`${uri}\` names the resource folder; read one of its files (see resources/list)`);
    const root = await realFolder(folder);
    if (!root) throw rpcError('file-not-found', mcpText('file-not-found', uri), { uri });
    let file: { data: Buffer; path: string };
    try {
      file = await readInside(root, rel.split('/'));
    } catch (err) {
      if (err instanceof UnsafePathError) throw rpcError('invalid-path', `Invalid resource URI ${uri}: ${err.message}`);
      if (err instanceof MissingFileError) throw rpcError('file-not-found', mcpText('file-not-found', uri), { uri });
      throw err;
    }
    const mimeType = r.mimeType ?? mediaType(file.path);
    return { contents: [isTextual(mimeType) ? { uri, mimeType, text: file.data.toString('utf8') } : { uri, mimeType, blob: file.data.toString('base64') }] };
  }

  private async readDynamic(r: McpResourceNode, handler: McpToolNode['handler'], uri: string, inputs: Record<string, unknown>, extra: HandlerExtra): Promise<ReadResourceResult> {
    let result: ExecResult;
    try {
      result = await this.runner.run(handler, { inputs, requestId: requestIdOf(extra), signal: extra.signal, ...requestContext(extra), ...this.binaryCap });
    } catch (err) {
      throw rpcError(errorCodeOf(err), this.failureMessage(err, `resource \`${r.name}\``, extra.signal), { uri });
    }
    if (result.status >= 400) {
      throw new RpcError(RPC_CODES.internalError, `Reading ${uri}: the upstream answered HTTP ${result.status}`, { uri, status: result.status, body: this.redact(this.resultText(result)).slice(0, 4096) });
    }
    if (result.kind === 'raw') {
      const mimeType = r.mimeType ?? result.contentType ?? 'application/octet-stream';
      return { contents: [isTextual(mimeType) && !result.binary ? { uri, mimeType, text: result.body.toString('utf8') } : { uri, mimeType, blob: result.body.toString('base64') }] };
    }
    return { contents: [{ uri, mimeType: r.mimeType ?? 'application/json', text: this.resultText(result) }] };
  }

  // ---- prompts -----------------------------------------------------------------------------

  readonly listPrompts = async (): Promise<ListPromptsResult> => ({
    prompts: this.adapter.prompts.map((p) => ({
      name: p.name,
      title: p.label || p.name,
      description: p.description,
      ...(p.arguments.length
        ? { arguments: p.arguments.map((a) => ({ name: a.name, ...(a.label ? { title: a.label } : {}), description: a.description, required: a.required })) }
        : {}),
    })),
  });

  readonly getPrompt = async (request: GetPromptRequest): Promise<GetPromptResult> => {
    const prompt = this.adapter.prompts.find((p) => p.name === request.params.name);
    if (!prompt) throw rpcError('unknown-prompt', mcpText('unknown-prompt', request.params.name));
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.params.arguments ?? {})) if (v !== undefined && v !== null) args[k] = String(v);
    const missing = prompt.arguments.filter((a) => a.required && (args[a.name] === undefined || args[a.name] === '')).map((a) => a.name);
    if (missing.length) {
      throw rpcError('invalid-input', `Missing required argument${missing.length > 1 ? 's' : ''} for prompt \`${prompt.name}\`: ${missing.join(', ')}`, { missing });
    }
    const render = (text: string): string => renderPrompt(text, prompt, args);
    if (prompt.source.kind === 'inline') {
      return {
        description: prompt.description,
        messages: prompt.source.messages.map((m) => ({ role: m.role, content: { type: 'text' as const, text: render(m.content) } })),
      };
    }
    const path = resolveLocation(prompt.source.path, this.options.baseDir);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw rpcError('internal', `Prompt \`${prompt.name}\`: its file cannot be read (${prompt.source.path})`);
    }
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text: render(text) } }] };
  };
}

/**
 * `{{name}}` substitution. Declared arguments are replaced (a missing optional one by ""); other
 * `{{…}}` text is left as written.
 */
export function renderPrompt(text: string, prompt: Pick<McpPromptNode, 'arguments'>, args: Record<string, string>): string {
  const declared = new Set(prompt.arguments.map((a) => a.name));
  return text.replace(/\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}/g, (whole, name: string) => {
    if (args[name] !== undefined) return args[name]!;
    return declared.has(name) ? '' : whole;
  });
}
