/**
 * The shapes the MCP adapter depends on. The executor in `@capstan/runtime` is the only code that
 * talks to upstreams; the adapter sees it through `ToolRunner`, so any object with `run` (and,
 * ideally, `redact`) will do: the real `Executor`, or a stand-in in tests.
 */
import type { IncomingMessage } from 'node:http';
import type { Handler } from '@capstan/spec';
import type { ExecResult, RequestContext, RunCall } from '@capstan/runtime';

/** What running a handler gave, and one call of a handler (the executor's own types). */
export type { ExecResult, RunCall } from '@capstan/runtime';

/** The part of the executor the adapter uses. */
export interface ToolRunner {
  run(handler: Handler, call: RunCall): Promise<ExecResult>;
  /** Removes secrets from a message before it is shown to a client. */
  redact?(text: string): string;
}

/** The request context the authentication hook put in `authInfo.extra.context` (see `AuthOutcome`). */
export function requestContext(extra: { authInfo?: { extra?: Record<string, unknown> } }): { context?: RequestContext } {
  const context = extra.authInfo?.extra?.context as RequestContext | undefined;
  return context ? { context } : {};
}

/** Result of the inbound authentication hook; `authInfo.extra.context` carries the caller's `RequestContext` to tool calls. */
export type AuthOutcome =
  | { ok: true; authInfo?: { token: string; clientId: string; scopes: string[]; expiresAt?: number; extra?: Record<string, unknown> } }
  | { ok: false; status: number; headers?: Record<string, string>; body?: string };

/** Log sink. The default writes to stderr (stdout belongs to the stdio transport). */
export type Logger = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** Options of `createMcpAdapter`. */
export interface McpAdapterOptions {
  /** Folder that `file:///./x` locations resolve against; default: the capability file's folder. */
  baseDir?: string;
  /** `serverInfo.version`; default `1.0.0` (what the reference engine reports). */
  serverVersion?: string;
  /** Stateless Streamable HTTP: no sessions, any replica can answer any request. */
  stateless?: boolean;
  /**
   * Share sessions with the other replicas through Redis (`redis://…` or `rediss://…`): any
   * replica answers any request of a session, streams resume on any replica, list changes reach
   * every replica's sessions. Default: sessions live in this process.
   */
  redisUrl?: string;
  /** Answer POSTs with `application/json` even when the client accepts SSE. Default false (SSE). */
  jsonResponse?: boolean;
  /** Allowed `Origin` values (exact, e.g. `https://app.example.com`), or `['*']`. Default: loopback origins. Requests without Origin are allowed. */
  allowedOrigins?: string[];
  /** Allowed `Host` values (`name` or `name:port`). Default: loopback names when the adapter binds to a loopback address, otherwise no check. */
  allowedHosts?: string[];
  /** RFC 9728 protected-resource metadata, served at `/.well-known/oauth-protected-resource` (OAuth 2.1 adapters). */
  protectedResourceMetadata?: Record<string, unknown>;
  /** Inbound authentication seam, called before any MCP handling. */
  authenticate?: (req: IncomingMessage) => Promise<AuthOutcome>;
  /** Largest accepted request body in bytes; default 4 MiB. */
  maxBodyBytes?: number;
  /** Sessions idle for longer than this are closed; default 30 minutes. */
  sessionIdleMs?: number;
  /** Most concurrent sessions; default 10 000. New `initialize` requests beyond it get 503. */
  maxSessions?: number;
  logger?: Logger;
}

/** Counters that show what the adapter built, for tests and diagnostics. */
export interface McpAdapterStats {
  /** Times the tool/resource/prompt registry was built (one per adapter). */
  registryBuilds: number;
  /** SDK `Server` instances created (pooled and reused for one-shot requests). */
  serversCreated: number;
  /** Streamable HTTP transports created. */
  transportsCreated: number;
  /** Requests that went through the adapter's HTTP handler. */
  httpRequests: number;
  /** Requests answered on the fast path (one tools/call or tools/list written at once, `fast-path.ts`). */
  fastCalls: number;
  /** Open sessions. */
  sessions: number;
}
