/**
 * What a compiled capability serves, as plain JSON, for checking that two files serve the same:
 * the OpenAPI document of each REST adapter and the tool definitions of each MCP adapter (the
 * served API), and the graph (operations, paths, `with` bindings, consumed requests, outputs,
 * auth). Documentation text (`description`, `summary`) is left out: `fix` may add one where the
 * official schema requires it or keep one only in a comment. Also left out, because they serve
 * nothing beyond what the served API above already shows: a consumed parameter's `type` and
 * `required` (they shape the derived inputs, compared as served), an MCP tool's declared inputs (its
 * served input schema is compared instead), the `name` of a lone output (only several named
 * outputs make an object of the answer), and a lone whole-answer `type: object` output (`$`/`$.`),
 * which passes the answer through exactly as no outputs do (its OpenAPI content is then just "any
 * object"). Three equivalences are normalised: several named outputs of a `call` are one object
 * output with them as `properties`, a stdio MCP adapter's `port` is dropped, and so are `with`
 * entries that nothing reads.
 */
import { pathPlaceholders, templateVariables, type CapabilityGraph } from '@capstan/spec';
import { buildOpenApi } from '@capstan/rest';
import { toolDefinitions } from '@capstan/mcp';
import { graphShape } from './graph-shape.js';

type Obj = Record<string, unknown>;
/** Documentation text, and a consumed resource's name (a label: calls name operations). */
const DOCS = new Set(['description', 'summary', 'resourceName']);

function strip(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value) && parentKey === 'outputs' && isNamedOutputs(value)) return strip([asOneObject(value)], parentKey);
  if (Array.isArray(value)) {
    const items = value.map((v) => strip(v, parentKey));
    if (parentKey !== 'outputs' || items.length !== 1) return items;
    // One output: its `name` names nothing in the answer (only several named outputs make an object).
    const { name: _name, ...only } = items[0] as Obj;
    return isPassThrough(only) ? [] : [only];
  }
  if (!value || typeof value !== 'object') return value;
  // A stdio MCP server listens on no port: a `port` beside `transport: stdio` serves nothing.
  if ((value as Obj).type === 'mcp' && (value as Obj).transport === 'stdio') value = { ...(value as Obj), port: undefined };
  const drop = (k: string, v: unknown) => DOCS.has(k) || (k === 'inputParameters' && parentKey === 'tools') || (parentKey === 'params' && (k === 'type' || k === 'required')) || (k === 'content' && JSON.stringify(v) === ANY_OBJECT);
  return Object.fromEntries(Object.entries(value as Obj).filter(([k, v]) => !drop(k, v)).map(([k, v]) => [k, strip(v, k)]));
}

/**
 * Several outputs, all named (simple mode answers an object keyed by name, each read against the
 * whole answer), are the same answer as one `type: object` output with them as `properties`.
 */
const isNamedOutputs = (outputs: unknown[]): boolean => outputs.length > 1 && outputs.every((o) => typeof (o as Obj)?.name === 'string') && new Set(outputs.map((o) => (o as Obj).name)).size === outputs.length;
const asOneObject = (outputs: unknown[]): Obj => ({ type: 'object', properties: Object.fromEntries(outputs.map((o) => { const { name, ...rest } = o as Obj; return [name, rest]; })) });

/** The response content OpenAPI states for an answer passed through whole: it says nothing more than none. */
const ANY_OBJECT = JSON.stringify({ 'application/json': { schema: { type: 'object', additionalProperties: true } } });

const isPassThrough = (o: unknown): boolean => {
  const out = o as Obj | undefined;
  return !!out && Object.keys(out).every((k) => ['type', 'mapping'].includes(k)) && (out.mapping === '$' || out.mapping === '$.') && out.type === 'object';
};

/** The served API and the request/answer graph of `graph`, without documentation text. */
export function servedShape(graph: CapabilityGraph): unknown {
  const served = graph.adapters.map((a) => {
    if (a.type === 'rest') return { rest: a.namespace, openapi: buildOpenApi(a) };
    if (a.type === 'mcp') return { mcp: a.namespace, tools: toolDefinitions(a, 'mcp') };
    return { other: a.namespace };
  });
  return strip({ served, graph: withoutUnreadWith(graphShape(graph) as Obj) });
}

/**
 * The graph with each `call`'s `with` entries that nothing reads left out: not the request (a
 * parameter, a path placeholder, a template of a parameter value, the body, the auth or the base
 * URI) and not an output `value` template. Such an entry only joins the parameter map.
 */
function withoutUnreadWith(shape: Obj): Obj {
  const consumes = (shape.consumes ?? {}) as Record<string, Obj>;
  const names = (t: unknown) => templateVariables(JSON.stringify(t ?? null)).map((v) => v.split('.')[0]!);
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Obj;
    const op = o.operation as Obj | undefined;
    if (o.kind === 'call' && o.with && op) {
      const api = consumes[String(op.namespace)] ?? {};
      const params = [...((api.inputParameters as Obj[]) ?? []), ...((op.params as Obj[]) ?? [])];
      const read = new Set<string>([
        ...params.map((p) => String(p.name)),
        ...((op.pathPlaceholders as string[]) ?? []),
        ...pathPlaceholders(String(api.baseUri ?? '')),
        ...names(params.map((p) => p.value)),
        ...names([op.body, api.auth, o.outputs]),
      ]);
      o.with = Object.fromEntries(Object.entries(o.with as Obj).filter(([k]) => read.has(k)));
    }
    Object.values(o).forEach(visit);
  };
  visit(shape);
  return shape;
}
