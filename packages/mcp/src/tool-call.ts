/**
 * A `tools/call` of the fast path run without the SDK server's request dispatch
 * (`Protocol._onrequest`: its handler table, task bookkeeping, `sendRequest`/`sendNotification`
 * closures and promise chain were a third of what the MCP envelope cost per call, bench/README.md),
 * with the checks and answers that dispatch gives a `tools/call`:
 *
 * - the request is parsed with the SDK's `CallToolRequestSchema` and the handler gets the parsed
 *   request (the SDK parses it twice, the same way); a request that fails it, or that asks for a
 *   task or names a related task, is left to the SDK server, which answers it itself;
 * - the handler's result is checked against `CallToolResultSchema` and the parsed result is
 *   answered (a result that fails it answers the SDK's `Invalid tools/call result` error);
 * - a handler that throws answers the JSON-RPC error the SDK builds from what was thrown;
 * - cancelling aborts the handler's signal with the reason and answers nothing, as the SDK's
 *   `notifications/cancelled` does. The signal is a `CallAbort` (what the REST path gives the
 *   executor), not an `AbortController`'s: its listeners are a plain array.
 *
 * `test/mcp/fast-path.test.ts` compares these answers with the SDK transport's for every kind of
 * request.
 */
import { safeParse } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  type CallToolRequest,
  type CallToolResult,
  type JSONRPCRequest,
  type JSONRPCResponse,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { CallAbort, type AbortLike } from '@capstan/runtime';
import type { DirectCall } from './direct.js';

/** What a tool handler is given besides the request (what the registry reads of the SDK's extra). */
export interface ToolCallExtra extends MessageExtraInfo {
  signal: AbortLike;
  requestId: RequestId;
  _meta?: CallToolRequest['params']['_meta'];
}

/** Runs a tool (the registry's `callTool` of the current version). */
export type ToolHandler = (request: CallToolRequest, extra: ToolCallExtra) => Promise<CallToolResult>;

/** The JSON-RPC error answer the SDK's dispatch builds from what a handler threw. */
function errorAnswer(id: RequestId, thrown: unknown): JSONRPCResponse {
  const error = (thrown ?? {}) as { code?: unknown; message?: string; data?: unknown };
  const code = Number.isSafeInteger(error.code) ? (error.code as number) : ErrorCode.InternalError;
  return { jsonrpc: '2.0', id, error: { code, message: error.message ?? 'Internal error', ...(error.data !== undefined ? { data: error.data } : {}) } } as unknown as JSONRPCResponse;
}

/** The result answer, after the SDK's result check. */
function resultAnswer(id: RequestId, result: unknown): JSONRPCResponse {
  const checked = safeParse(CallToolResultSchema, result);
  if (!checked.success) {
    const why = checked.error instanceof Error ? checked.error.message : String(checked.error);
    throw new McpError(ErrorCode.InvalidParams, `Invalid tools/call result: ${why}`);
  }
  return { result: checked.data, jsonrpc: '2.0', id } as JSONRPCResponse;
}

/** The result answer, or the error answer of a result that fails the check. */
function checkedAnswer(id: RequestId, result: unknown): JSONRPCResponse {
  try {
    return resultAnswer(id, result);
  } catch (thrown) {
    return errorAnswer(id, thrown);
  }
}

/** Whether the SDK server must take the request: it asks for a task, or belongs to one. */
function taskRelated(params: unknown): boolean {
  const p = params as { task?: unknown; _meta?: Record<string, unknown> } | undefined;
  return p?.task !== undefined || p?._meta?.[RELATED_TASK_META_KEY] !== undefined;
}

/** Runs `request` (a `tools/call`) with `handler`; undefined when the SDK server must take it. */
export function callTool(handler: ToolHandler, request: JSONRPCRequest, extra: MessageExtraInfo): DirectCall | undefined {
  if (taskRelated(request.params)) return undefined;
  const parsed = safeParse(CallToolRequestSchema, request);
  if (!parsed.success) return undefined;
  const abort = new CallAbort();
  let settle!: (message: JSONRPCResponse | undefined) => void;
  const answer = new Promise<JSONRPCResponse | undefined>((resolve) => (settle = resolve));
  const id = request.id;
  const toolExtra: ToolCallExtra = { signal: abort, requestId: id, _meta: parsed.data.params._meta, authInfo: extra.authInfo, requestInfo: extra.requestInfo };
  // One reaction per call (a cancelled call is already settled: what it answers later is dropped).
  const answered = (message: JSONRPCResponse): void => {
    if (!abort.aborted) settle(message);
  };
  handler(parsed.data, toolExtra).then(
    (result) => answered(checkedAnswer(id, result)),
    (thrown: unknown) => answered(errorAnswer(id, thrown)),
  );
  return {
    answer,
    cancel: (reason) => {
      if (abort.aborted) return;
      abort.abort(reason);
      settle(undefined);
    },
  };
}
