/**
 * Implicit body forwarding (a deliberate difference from the reference engine, which sends no
 * body): a consumed operation whose method carries a body (POST, PUT, PATCH) and that declares
 * neither a `body` nor an `in: body` parameter forwards the caller's JSON body as received. This
 * is what the published Paragon Proxy capability needs to be a proxy.
 *
 * The compiler calls `markForwardingOperations` once the consumed APIs are compiled (the
 * operation gains an optional `in: body` parameter named `body`, so `with: {body: …}` is valid),
 * then `addForwardedBodyInputs` once the adapters are compiled: a REST operation calling such an
 * operation reads the request body unparsed, an MCP tool gets an optional `body` object argument.
 * The graph is not frozen yet at either point.
 */
import type { Diagnostic } from './diagnostics.js';
import type { AdapterNode, ConsumedApi, ConsumedOperation, ConsumedParam, ExposedParam, Handler, ToolParam } from './graph.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** What the added inputs say to API users and agents. */
export const FORWARDED_BODY_DESCRIPTION = 'JSON body sent to the upstream as is (this operation declares no body of its own, so the caller provides it).';

const CONSUMED_BODY: ConsumedParam = Object.freeze({ name: 'body', in: 'body', type: 'object', required: false, description: FORWARDED_BODY_DESCRIPTION });

/** True when the operation sends a body but declares none: the caller's body is forwarded. */
export function forwardsCallerBody(api: ConsumedApi, op: ConsumedOperation): boolean {
  return BODY_METHODS.has(op.method) && op.body === undefined && ![...api.inputParameters, ...op.params].some((p) => p.in === 'body');
}

/**
 * Gives every forwarding operation its implicit `body` parameter. Returns one info diagnostic for
 * the capability (at the first such operation), or none.
 */
export function markForwardingOperations(consumes: ReadonlyMap<string, ConsumedApi>): Diagnostic[] {
  const marked: ConsumedOperation[] = [];
  for (const api of consumes.values()) {
    for (const op of api.operations.values()) {
      if (!forwardsCallerBody(api, op)) continue;
      (op as Mutable<ConsumedOperation>).params = [...op.params, CONSUMED_BODY];
      (op as Mutable<ConsumedOperation>).forwardsBody = true;
      marked.push(op);
    }
  }
  const first = marked[0];
  if (!first) return [];
  const names = marked.map((op) => `\`${op.ref}\``);
  return [{
    file: first.origin.file, line: first.origin.line, column: first.origin.column, endLine: first.origin.line, endColumn: first.origin.column,
    severity: 'info', code: 'implicit-body',
    message: `${names.join(', ')} ${marked.length === 1 ? 'sends a body but declares' : 'send a body but declare'} none: Capstan forwards the caller's JSON body (REST: the request body as received; MCP: an optional \`body\` argument)`,
  }];
}

/** The forwarding operation a handler calls directly, when `with` does not set `body` itself. */
function forwardingTarget(handler: Handler): ConsumedOperation | undefined {
  if (handler.kind !== 'call' || !handler.operation.forwardsBody) return undefined;
  return Object.prototype.hasOwnProperty.call(handler.with, 'body') ? undefined : handler.operation;
}

/** Adds the `body` input to every REST operation and MCP tool that calls a forwarding operation. */
export function addForwardedBodyInputs(adapters: readonly AdapterNode[]): void {
  for (const adapter of adapters) {
    if (adapter.type === 'rest') {
      for (const res of adapter.resources) {
        for (const op of res.operations) {
          // A GET or DELETE request has no body to forward, even when it calls a POST upstream.
          if (!BODY_METHODS.has(op.method) || !forwardingTarget(op.handler) || [...res.inputParameters, ...op.inputParameters].some((p) => p.name === 'body')) continue;
          const input: ExposedParam = { name: 'body', in: 'body', type: 'object', description: FORWARDED_BODY_DESCRIPTION, required: false, raw: true };
          (op as Mutable<typeof op>).inputParameters = [...op.inputParameters, input];
        }
      }
    } else if (adapter.type === 'mcp') {
      for (const tool of adapter.tools) {
        // A tool without declared inputs derives them from the operation, `body` included.
        if (!forwardingTarget(tool.handler) || !tool.inputParameters.length || tool.inputParameters.some((p) => p.name === 'body')) continue;
        const input: ToolParam = { name: 'body', type: 'object', description: FORWARDED_BODY_DESCRIPTION, required: false };
        (tool as Mutable<typeof tool>).inputParameters = [...tool.inputParameters, input];
      }
    }
  }
}
