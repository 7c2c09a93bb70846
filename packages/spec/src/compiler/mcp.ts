/** An MCP adapter's tools, resources and prompts → registry nodes. */
import type { AggregateFunctionNode, McpAdapterNode, McpPromptNode, McpResourceNode, McpToolNode, ToolHints } from '../graph.js';
import { pathPlaceholders } from '../templates.js';
import { child, type At, type CompileContext } from './context.js';
import { toolParams } from './aggregates.js';
import {
  isObj, optional, portOf, sections, text,
  type AdapterSection, type McpPromptSection, type McpResourceSection, type PromptArgumentSection, type PromptMessageSection, type ToolSection,
} from './document.js';
import { compileHandler } from './handlers.js';
import { withFedEnums } from '../required-inputs.js';
import { cacheHints } from './cache-hints.js';
import { maxBinarySize } from './binary.js';

/** The adapter fields every kind shares, compiled by the caller. */
export type AdapterBase = Omit<McpAdapterNode, 'type' | 'transport' | 'port' | 'tools' | 'resources' | 'prompts'>;

export function compileMcp(ctx: CompileContext, adapter: AdapterSection, where: At, base: AdapterBase): McpAdapterNode {
  return {
    ...base, type: 'mcp',
    transport: adapter.transport === 'stdio' ? 'stdio' : 'http',
    ...(adapter.port !== undefined ? { port: portOf(adapter.port) } : {}),
    ...cacheHints(adapter),
    ...maxBinarySize(ctx, adapter, where),
    tools: compileTools(ctx, adapter.tools, where, base.namespace),
    resources: compileResources(ctx, adapter.resources, where, base.namespace),
    prompts: sections<McpPromptSection>(adapter.prompts).map(([prompt, p]): McpPromptNode => ({
      name: text(prompt.name), label: text(prompt.label), description: text(prompt.description),
      arguments: sections<PromptArgumentSection>(prompt.arguments).map(([arg]) => ({
        name: text(arg.name), ...optional('label', arg.label), description: text(arg.description), required: arg.required !== false,
      })),
      source: typeof prompt.location === 'string'
        ? { kind: 'file', path: prompt.location }
        : { kind: 'inline', messages: sections<PromptMessageSection>(prompt.template).map(([m]) => ({ role: m.role as 'user' | 'assistant', content: text(m.content) })) },
      origin: ctx.origin(child(where, 'prompts', p)),
    })),
  };
}

function compileTools(ctx: CompileContext, value: unknown, where: At, namespace: string): McpToolNode[] {
  const names = new Set<string>();
  return sections<ToolSection>(value).flatMap(([tool, t]): McpToolNode[] => {
    const toolAt = child(where, 'tools', t);
    const declared = toolParams(ctx, tool.inputParameters, child(toolAt, 'inputParameters'));
    const fn = typeof tool.ref === 'string' ? ctx.aggregates.get(tool.ref) : undefined;
    const inputParameters = declared.length ? declared : (fn?.inputParameters ?? []);
    const handler = compileHandler(ctx, tool, toolAt, { namespace, defactoPrefix: 'tools', ...(inputParameters.length ? { inputs: inputParameters.map((p) => p.name) } : {}) });
    const name = text(tool.name ?? fn?.name);
    if (!name) {
      // With an unknown `ref`, the ref error already says what is wrong.
      if (typeof tool.ref !== 'string') ctx.report('error', toolAt, 'value', 'missing-key', 'this tool has no `name` (and no `ref` to inherit one from)', { fix: 'add `name:`' });
      return [];
    }
    if (names.has(name)) ctx.report('error', child(toolAt, 'name'), 'value', 'duplicate-tool', `tool \`${name}\` is declared twice in \`${namespace}\``, { fix: 'give each tool its own name' });
    names.add(name);
    if (name.length > 64) ctx.report('warning', child(toolAt, 'name'), 'value', 'tool-name-too-long', `tool name \`${name}\` has ${name.length} characters; MCP clients reject names longer than 64`, { fix: 'shorten the name to 64 characters or fewer' });
    if (!handler) return [];
    return [{
      name,
      ...optional('label', tool.label),
      description: text(tool.description ?? fn?.description),
      inputParameters: withFedEnums(inputParameters, handler, ctx.apiParams),
      hints: toolHints(tool.hints, fn),
      handler,
      origin: ctx.origin(toolAt),
    }];
  });
}

function compileResources(ctx: CompileContext, value: unknown, where: At, namespace: string): McpResourceNode[] {
  return sections<McpResourceSection>(value).flatMap(([res, r]): McpResourceNode[] => {
    const resAt = child(where, 'resources', r);
    const uri = text(res.uri);
    const common = {
      name: text(res.name), label: text(res.label), uri, description: text(res.description),
      ...optional('mimeType', res.mimeType),
      origin: ctx.origin(resAt),
    };
    if (typeof res.location === 'string') return [{ ...common, source: { kind: 'static', directory: res.location } }];
    const handler = compileHandler(ctx, res, resAt, { namespace, defactoPrefix: 'tools', inputs: pathPlaceholders(uri) });
    return handler ? [{ ...common, source: { kind: 'dynamic', handler } }] : [];
  });
}

/** Explicit hints, over hints derived from the referenced function's semantics. */
function toolHints(value: unknown, fn: AggregateFunctionNode | undefined): ToolHints {
  const derived: ToolHints = {};
  const sem = fn?.semantics;
  if (sem?.safe === true) Object.assign(derived, { readOnly: true, destructive: false });
  if (sem?.safe === false) derived.readOnly = false;
  if (typeof sem?.idempotent === 'boolean') derived.idempotent = sem.idempotent;
  return { ...derived, ...(isObj(value) ? (value as ToolHints) : {}) };
}

