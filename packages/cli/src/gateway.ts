/**
 * The gateway behind `capstan run`: checks every capability, builds one executor per
 * capability, and starts its adapters — REST adapters that name the same port share one
 * fastify server (their routes must not collide), MCP adapters get their own listener (or
 * stdio). Nothing starts when any file has an error.
 */
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import {
  checkSpec, ConcurrencyLimiter, createInboundAuth, Executor, type AdapterNode, type ControlAdapterNode, type InboundAuthenticator, type SkillAdapterNode, type CapabilityGraph, type Diagnostic, type McpAdapterNode, type RestAdapterNode,
} from '@capstan/core';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { createRestServer, registerRestAdapter, routeClaims, useInboundRateLimit } from '@capstan/rest';
import { serverRateLimit, type ResilienceFlags } from './resilience-flags.js';
import { registerSkillAdapter } from '@capstan/skill';
import { registerControlAdapter, unsupportedControlFeatures } from '@capstan/control';
import { callerAuthenticator, gatewayCredentials, mcpAuthenticate, type GatewayCredentials } from './identity.js';
import { capstanVersion } from './version.js';
import { clashMessage, exposedCredentialsWarning, portClashes, resolveUpstreams, unknownPortNamespace } from './overrides.js';

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
  /** Most requests handled at once across every adapter (default 1024); beyond it, 503 + Retry-After. */
  maxConcurrency?: number;
  /** Gateway-wide resilience defaults and inbound rate limit (resilience-flags.ts). */
  resilience?: ResilienceFlags;
  /** Caller identity and per-caller credential settings (default: `CAPSTAN_CREDENTIALS`). */
  credentialsFile?: string;
}

/** One started adapter. */
export interface StartedAdapter {
  file: string;
  type: 'rest' | 'mcp' | 'skill' | 'control';
  namespace: string;
  url: string;
}

/** A running gateway. */
export interface Gateway {
  adapters: StartedAdapter[];
  /** Said once on stderr: adapters that expose bound credentials beyond loopback without inbound auth. */
  warning?: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes upstream pools. */
  close(graceMs?: number): Promise<void>;
}

/** Start-up failed: diagnostics to print, or a plain message (missing bind, port in use, collision). */
export class GatewayError extends Error {
  constructor(message: string, readonly diagnostics: Array<{ diagnostic: Diagnostic; source?: string }> = []) {
    super(message);
  }
}

interface Loaded {
  file: string;
  graph: CapabilityGraph;
  executor?: Executor;
}

/** Checks, compiles and starts everything; throws GatewayError without leaving anything running. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const loaded = checkAll(options.files);
  let credentials: GatewayCredentials | undefined;
  try {
    credentials = gatewayCredentials(options.credentialsFile);
  } catch (err) {
    throw new GatewayError((err as Error).message);
  }
  const { upstreams, warning } = preflight(loaded, options);
  // A stdio MCP adapter owns stdout: logs go to stderr then.
  const stdio = loaded.some((l) => l.graph.adapters.some((a) => a.type === 'mcp' && a.transport === 'stdio'));
  const logger = pino({ level: options.logLevel ?? 'info', base: undefined }, pino.destination({ dest: stdio ? 2 : 1, sync: false }));
  if (credentials?.identity) logger.info({ identity: credentials.identity.scheme }, `caller identity: ${credentials.identity.scheme}`);
  const unused = Object.keys(credentials?.consumes ?? {}).filter((ns) => !loaded.some((l) => l.graph.consumes.has(ns)));
  if (unused.length) logger.warn({ unused }, `credentials given for consumed namespaces no capability has: ${unused.join(', ')}`);
  const started: StartedAdapter[] = [];
  /** The adapter's inbound authenticator (secrets from its capability's binds), logged either way so the operator sees which adapters require auth. */
  const inboundAuth = (l: Loaded, adapter: AdapterNode): ReturnType<typeof createInboundAuth> | undefined => {
    // stdio has no inbound authentication (as the engine): the parent process is the client.
    const served = adapter.auth && !(adapter.type === 'mcp' && adapter.transport === 'stdio');
    const auth = served ? createInboundAuth(adapter.auth!, (t) => l.executor!.renderSecret(t), adapter.type === 'mcp' ? { resourceMetadataPath: '/.well-known/oauth-protected-resource' } : {}) : undefined;
    logger.info({ namespace: adapter.namespace, auth: auth?.scheme ?? 'none' }, `${adapter.type} adapter ${adapter.namespace}: authentication ${auth?.scheme ?? 'none'}`);
    return auth;
  };
  const limiter = new ConcurrencyLimiter(options.maxConcurrency ?? 1024);
  const servers: FastifyInstance[] = [];
  const mcps: McpAdapter[] = [];
  let closing = false;
  const stop = async (graceMs: number) => {
    closing = true;
    await Promise.allSettled([...servers.map((s) => closeWithin(s, graceMs)), ...mcps.map((m) => m.close())]);
    await Promise.allSettled(loaded.map((l) => l.executor?.close()));
    logger.flush();
  };
  try {
    for (const l of loaded) {
      l.executor = await Executor.create(l.graph, {
        upstreams,
        ...(options.envFile ? { envFile: options.envFile } : {}),
        ...(credentials ? { credentials: credentials.consumes } : {}),
        ...(options.timeoutMs ? { timeouts: { connectMs: Math.min(5_000, options.timeoutMs), headersMs: options.timeoutMs, bodyMs: options.timeoutMs } } : {}),
        ...(options.resilience?.resilience ? { resilience: options.resilience.resilience } : {}),
        logger,
      });
    }
    // Servers are set up one by one (registration is synchronous) and listen concurrently: with
    // hundreds of adapters, waiting for each bind in turn dominates start-up.
    const pending: Array<Promise<StartedAdapter[]>> = [];
    for (const [key, group] of groupRestByPort(loaded, options)) {
      const [host, portText] = splitKey(key);
      const app = createRestServer({ logger: logger as never, limiter });
      servers.push(app);
      const rateLimit = serverRateLimit(group.map((g) => g.adapter), options.resilience ?? {});
      if (rateLimit) await useInboundRateLimit(app, rateLimit);
      for (const { l, adapter } of group) {
        const auth = callerAuthenticator(inboundAuth(l, adapter), credentials);
        registerRestAdapter(app, adapter, { runner: l.executor!, ...(auth ? { auth } : {}), info: l.graph.info });
      }
      pending.push(
        app.listen({ host, port: Number(portText) }).then(() => {
          const port = (app.server.address() as { port: number }).port;
          return group.map(({ l, adapter }) => ({ file: l.file, type: 'rest' as const, namespace: adapter.namespace, url: `http://${displayHost(host)}:${port}` }));
        }),
      );
    }
    // Skill and control adapters: one server each, on the adapter's own port.
    const serveAlone = (l: Loaded, adapter: SkillAdapterNode | ControlAdapterNode, defaultHost: string, register: (app: FastifyInstance, auth: InboundAuthenticator | undefined) => void) => {
      const host = options.host ?? adapter.address ?? defaultHost;
      const app = createRestServer({ logger: logger as never, limiter });
      servers.push(app);
      register(app, inboundAuth(l, adapter));
      pending.push(
        app.listen({ host, port: options.ports?.[adapter.namespace] ?? adapter.port }).then(() => {
          const port = (app.server.address() as { port: number }).port;
          return [{ file: l.file, type: adapter.type, namespace: adapter.namespace, url: `http://${displayHost(host)}:${port}` }];
        }),
      );
    };
    for (const l of loaded) {
      for (const adapter of l.graph.adapters) {
        if (adapter.type !== 'skill') continue;
        serveAlone(l, adapter, '0.0.0.0', (app, auth) => registerSkillAdapter(app, adapter, l.graph, { baseDir: dirname(l.file), ...(auth ? { auth } : {}) }));
      }
    }
    for (const l of loaded) {
      for (const adapter of l.graph.adapters) {
        if (adapter.type !== 'mcp') continue;
        const mcp = startMcp(l, adapter, options, logger, limiter, inboundAuth(l, adapter), credentials);
        mcps.push(mcp);
        if (adapter.transport === 'stdio') {
          pending.push(mcp.serveStdio().then(() => [{ file: l.file, type: 'mcp' as const, namespace: adapter.namespace, url: 'stdio' }]));
        } else {
          const port = options.ports?.[adapter.namespace] ?? adapter.port ?? 0;
          pending.push(mcp.listen({ port, host: options.host ?? adapter.address ?? 'localhost' }).then((listening) => [{ file: l.file, type: 'mcp' as const, namespace: adapter.namespace, url: listening.url }]));
        }
      }
    }
    // Control adapters report the other adapters of their capability (liveness, readiness, status).
    for (const l of loaded) {
      for (const adapter of l.graph.adapters) {
        if (adapter.type !== 'control') continue;
        const unsupported = unsupportedControlFeatures(adapter);
        if (unsupported.length) logger.warn({ namespace: adapter.namespace, unsupported }, `control adapter ${adapter.namespace}: not served by Capstan yet: ${unsupported.join(', ')}`);
        serveAlone(l, adapter, 'localhost', (app, auth) =>
          registerControlAdapter(app, adapter, l.graph, {
            version: capstanVersion(),
            ...(auth ? { auth } : {}),
            adapters: () => started.filter((a) => a.file === l.file && a.type !== 'control').map((a) => ({ type: a.type, namespace: a.namespace, ...(a.url.startsWith('http') ? { port: Number(new URL(a.url).port) } : {}), state: closing ? 'stopped' : 'started' })),
          }),
        );
      }
    }
    const settled = await Promise.allSettled(pending);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const r of settled) if (r.status === 'fulfilled') started.push(...r.value);
  } catch (err) {
    await stop(0);
    if (err instanceof GatewayError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new GatewayError(`cannot listen: port ${String((e as { port?: number }).port ?? '')} is already in use (${e.message})`);
    throw new GatewayError(e.message);
  }
  return { adapters: started, ...(warning ? { warning } : {}), close: (graceMs = 10_000) => stop(graceMs) };
}

/** The CLI overrides checked against the files (see overrides.ts); throws GatewayError naming the problem. */
function preflight(loaded: Loaded[], options: GatewayOptions): { upstreams: Record<string, string>; warning?: string } {
  const upstreams = resolveUpstreams(loaded, options.upstreams ?? {});
  if (typeof upstreams === 'string') throw new GatewayError(upstreams);
  const badPort = unknownPortNamespace(loaded, options.ports ?? {});
  if (badPort) throw new GatewayError(badPort);
  const clash = portClashes(loaded, options.ports, options.host)[0];
  if (clash) throw new GatewayError(clashMessage(clash));
  const warning = exposedCredentialsWarning(loaded, options.host);
  return { upstreams, ...(warning ? { warning } : {}) };
}

function checkAll(files: string[]): Loaded[] {
  const problems: Array<{ diagnostic: Diagnostic; source?: string }> = [];
  const loaded: Loaded[] = [];
  for (const file of files) {
    const result = checkSpec(file);
    for (const d of result.diagnostics) problems.push({ diagnostic: d, ...(result.loaded.sources.has(d.file) ? { source: result.loaded.sources.get(d.file)! } : {}) });
    if (result.graph && result.loaded.kind === 'capability') loaded.push({ file, graph: result.graph });
  }
  const errors = problems.filter((p) => p.diagnostic.severity === 'error');
  if (errors.length) throw new GatewayError(`${errors.length} error${errors.length > 1 ? 's' : ''} in the capability files; nothing was started`, problems);
  if (loaded.length === 0) throw new GatewayError('no capability document among the files given (shared consumes files are only imported)', problems);
  return loaded;
}

/** REST adapters by `host:port`; two adapters on one port must not serve the same method and path. */
function groupRestByPort(loaded: Loaded[], options: GatewayOptions): Map<string, Array<{ l: Loaded; adapter: RestAdapterNode }>> {
  const groups = new Map<string, Array<{ l: Loaded; adapter: RestAdapterNode }>>();
  for (const l of loaded) {
    for (const adapter of l.graph.adapters) {
      if (adapter.type !== 'rest') continue;
      const port = options.ports?.[adapter.namespace] ?? adapter.port;
      // Port 0 means "any free port": such adapters never share.
      const key = `${options.host ?? adapter.address ?? '0.0.0.0'}|${port}${port === 0 ? `|${adapter.namespace}` : ''}`;
      const group = groups.get(key) ?? [];
      for (const other of group) {
        const theirs = routeClaims(other.adapter).filter((c) => c.path !== '/openapi.json');
        for (const claim of routeClaims(adapter)) {
          const clash = claim.shape === '/openapi.json' ? undefined : theirs.find((c) => c.method === claim.method && c.shape === claim.shape);
          if (clash) {
            throw new GatewayError(`route collision on port ${port}: ${claim.method} ${claim.path} of \`${adapter.namespace}\` (${l.file}) and ${clash.method} ${clash.path} of \`${other.adapter.namespace}\` (${other.l.file})`);
          }
        }
      }
      group.push({ l, adapter });
      groups.set(key, group);
    }
  }
  return groups;
}

function startMcp(l: Loaded, adapter: McpAdapterNode, options: GatewayOptions, logger: Logger, limiter: ConcurrencyLimiter, auth: ReturnType<typeof createInboundAuth> | undefined, credentials: GatewayCredentials | undefined): McpAdapter {
  const log = logger.child({ adapter: adapter.namespace });
  return createMcpAdapter(adapter, l.executor!, {
    baseDir: dirname(l.file),
    ...(options.mcpStateless ? { stateless: true } : {}),
    limiter,
    ...(auth?.oauth2 ? { protectedResourceMetadata: auth.oauth2.metadata() } : {}),
    ...(adapter.transport === 'stdio' ? {} : { authenticate: mcpAuthenticate(callerAuthenticator(auth, credentials)) }),
    logger: (level, message) => log[level === 'warn' ? 'warn' : level === 'error' ? 'error' : level === 'debug' ? 'debug' : 'info'](message),
  });
}

function splitKey(key: string): [string, string] {
  const [host = '0.0.0.0', port = '0'] = key.split('|');
  return [host, port];
}

function displayHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function closeWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections?.(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
