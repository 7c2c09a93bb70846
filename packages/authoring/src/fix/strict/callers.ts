/**
 * The exposed units (MCP tools, REST operations, aggregate functions) that call a consumed
 * operation, with their place in the document, for strict rewrites that declare an input on
 * every caller of the operation a template belongs to.
 */
import type { AggregateFunctionNode, ConsumedOperation, Handler, McpToolNode, Origin, RestOperationNode } from '@capstan/spec';
import { isSeq } from 'yaml';
import type { Compiled } from '../compiled.js';
import type { YamlEditor } from '../edits.js';
import type { Path } from '../fixers.js';

/** A unit that calls the operation, and where it is written. */
export type Caller =
  | { kind: 'tool'; path: Path; node: McpToolNode }
  | { kind: 'function'; path: Path; node: AggregateFunctionNode }
  | { kind: 'rest'; path: Path; node: RestOperationNode; resourcePath: string };

/** Which consumed operations a template's place reaches: one operation, a resource's, or an API's. */
export interface CalleeScope {
  namespace: string;
  resource?: string;
  operation?: string;
}

/** The consumed scope of a path under `consumes` (API, resource or operation), or undefined. */
export function calleeScope(editor: YamlEditor, path: Path): CalleeScope | undefined {
  const at = path.indexOf('consumes');
  if (at < 0 || typeof path[at + 1] !== 'number') return undefined;
  const apiPath = path.slice(0, at + 2);
  const namespace = editor.doc.getIn([...apiPath, 'namespace']);
  if (typeof namespace !== 'string') return undefined;
  const resourceAt = path[at + 2] === 'resources' && typeof path[at + 3] === 'number' ? path.slice(0, at + 4) : undefined;
  const resource = resourceAt ? editor.doc.getIn([...resourceAt, 'name']) : undefined;
  const opAt = resourceAt && path[at + 4] === 'operations' && typeof path[at + 5] === 'number' ? path.slice(0, at + 6) : undefined;
  const operation = opAt ? editor.doc.getIn([...opAt, 'name']) : undefined;
  return { namespace, ...(typeof resource === 'string' ? { resource } : {}), ...(typeof operation === 'string' ? { operation } : {}) };
}

const reaches = (op: ConsumedOperation, scope: CalleeScope): boolean =>
  op.namespace === scope.namespace && (scope.operation === undefined || op.name === scope.operation) && (scope.resource === undefined || scope.operation !== undefined || op.resourceName === scope.resource);

/** True when `handler` calls an operation of `scope`, directly or in a step. */
function callsInto(handler: Handler, scope: CalleeScope): boolean {
  if (handler.kind === 'call') return reaches(handler.operation, scope);
  if (handler.kind === 'steps') return handler.steps.some((s) => s.kind === 'call' && reaches(s.operation, scope));
  return false;
}

/** Document paths of every tool, REST operation and function, by the line and column they start at. */
function unitPaths(editor: YamlEditor, compiled: Compiled): Map<string, Path> {
  const out = new Map<string, Path>();
  const locate = compiled.locate;
  if (!locate) return out;
  const each = (path: Path, key: string, visit: (p: Path) => void) => {
    const seq = editor.doc.getIn([...path, key], true);
    if (isSeq(seq)) seq.items.forEach((_, i) => visit([...path, key, i]));
  };
  const add = (p: Path) => {
    const span = locate(p);
    out.set(`${span.line}:${span.column}`, p);
  };
  each(['capability'], 'exposes', (a) => {
    each(a, 'tools', add);
    each(a, 'resources', (r) => each(r, 'operations', add));
  });
  each(['capability'], 'aggregates', (g) => each(g, 'functions', add));
  return out;
}

/** Every unit that calls into `scope`, with its document path. */
export function callersOf(editor: YamlEditor, compiled: Compiled, scope: CalleeScope): Caller[] {
  return units(editor, compiled, (h) => callsInto(h, scope));
}

/** True when an MCP resource's handler calls into `scope` (no input can be declared there). */
export function calledByResource(compiled: Compiled, scope: CalleeScope): boolean {
  return (compiled.graph?.adapters ?? []).some((a) => a.type === 'mcp' && a.resources.some((r) => r.source.kind === 'dynamic' && callsInto(r.source.handler, scope)));
}

/** The tool, REST operation or function whose text holds `path`. */
export function unitAt(editor: YamlEditor, compiled: Compiled, path: Path): Caller | undefined {
  const at = JSON.stringify(path);
  return units(editor, compiled, () => true).find((u) => at.startsWith(JSON.stringify(u.path).slice(0, -1) + ','));
}

/** The units whose handler `pick` accepts, with their document paths. */
function units(editor: YamlEditor, compiled: Compiled, pick: (h: Handler) => boolean): Caller[] {
  const graph = compiled.graph;
  if (!graph) return [];
  const paths = unitPaths(editor, compiled);
  const pathOf = (o: Origin) => paths.get(`${o.line}:${o.column}`);
  const out: Caller[] = [];
  for (const adapter of graph.adapters) {
    if (adapter.type === 'mcp') {
      for (const node of adapter.tools) {
        const path = pathOf(node.origin);
        if (path && pick(node.handler)) out.push({ kind: 'tool', path, node });
      }
    } else if (adapter.type === 'rest') {
      for (const res of adapter.resources) {
        for (const node of res.operations) {
          const path = pathOf(node.origin);
          if (path && pick(node.handler)) out.push({ kind: 'rest', path, node, resourcePath: res.path });
        }
      }
    }
  }
  for (const node of graph.aggregates.values()) {
    const path = pathOf(node.origin);
    if (path && pick(node.handler)) out.push({ kind: 'function', path, node });
  }
  return out;
}

/** How a caller is named in a change text. */
export function callerName(c: Caller): string {
  if (c.kind === 'rest') return `REST \`${c.node.method} ${c.resourcePath}\``;
  return `${c.kind} \`${c.node.name}\``;
}
