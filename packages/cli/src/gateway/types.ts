/** What `capstan run` asks of the gateway, and what the gateway reports back. */
import type { CapabilityGraph, Diagnostic } from '@capstan/spec';
import type { Executor, TunnelProvider } from '@capstan/runtime';
import type { ResilienceFlags } from '../resilience-flags.js';

/** What `capstan run` was asked to do. */
export interface GatewayOptions {
  files: string[];
  /** Bind address for every HTTP adapter, over the files' `address` (default: `address`, else 0.0.0.0 for REST and skill, localhost for MCP). */
  host?: string;
  /** Namespace → port overrides (0 = any free port). */
  ports?: Record<string, number>;
  /** Namespace → base URI overrides; `*` for every namespace. */
  upstreams?: Record<string, string>;
  envFile?: string;
  /** Upstream response timeout in ms. */
  timeoutMs?: number;
  logLevel?: string;
  /** Serve every MCP adapter in stateless mode (any replica answers any request). */
  mcpStateless?: boolean;
  /** Share MCP sessions with the other replicas through this Redis (`--redis`). */
  mcpRedis?: string;
  /** Most requests handled at once across every adapter (default 1024); beyond it, 503 + Retry-After. */
  maxConcurrency?: number;
  /** Time allowed to receive a whole request, ms (default 30 s); slower → 408. */
  requestTimeoutMs?: number;
  /** Gateway-wide resilience defaults and inbound rate limit (resilience-flags.ts). */
  resilience?: ResilienceFlags;
  /** Caller identity and per-caller credential settings (default: `CAPSTAN_CREDENTIALS`). */
  credentialsFile?: string;
  /** Tunnel providers by `tunnel.type` (`--tunnel TYPE=MODULE`). */
  tunnels?: Record<string, TunnelProvider>;
}

/** One started adapter. */
export interface StartedAdapter {
  file: string;
  type: 'rest' | 'mcp' | 'skill' | 'control';
  namespace: string;
  url: string;
}

/** Start-up failed: diagnostics to print, or a plain message (missing bind, port in use, collision). */
export class GatewayError extends Error {
  constructor(message: string, readonly diagnostics: Array<{ diagnostic: Diagnostic; source?: string }> = []) {
    super(message);
  }
}

/** One checked capability file and, once built, its executor. */
export interface Loaded {
  file: string;
  graph: CapabilityGraph;
  executor?: Executor;
}
