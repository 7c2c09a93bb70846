/**
 * The gateway behind `capstan run`: checks every capability, builds one executor per
 * capability, and serves its adapters on the shared HTTP layer, one listener per port (see
 * `plan.ts`), the ports sharing fastify apps (`apps.ts`). `reload()` does the same with the files as they are now and swaps the result in:
 * in-flight requests finish on the old version, ports that did not change keep listening, MCP
 * sessions stay open and are told the lists changed. Nothing starts (or changes) when a file has
 * an error.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { formatDiagnostic, type CapabilityGraph, type McpAdapterNode } from '@capstan/spec';
import { ConcurrencyLimiter, createInboundAuth, Executor, type BreakerStateName, type InboundAuthenticator, type UpstreamObserver } from '@capstan/runtime';
import type { AdapterState } from '@capstan/control';
import { HttpListener } from '@capstan/http';
import { createMcpAdapter, type McpAdapter } from '@capstan/mcp';
import { buildApps, inboundAuthFor, type AppContext } from './apps.js';
import { callerAuthenticator, gatewayCredentials, mcpAuthenticate, type GatewayCredentials } from '../identity.js';
import type { Observability } from '../observability/index.js';
import { checkAll } from './check.js';
import { preflight } from './preflight.js';
import { registerConfigNotice, registerMetricsRoute, registerReloadRoute } from './control-routes.js';
import { planPorts, type PortPlan } from './plan.js';
import { GatewayError, type GatewayOptions, type Loaded, type StartedAdapter } from './types.js';

export { GatewayError, type GatewayOptions, type StartedAdapter } from './types.js';

/** What a reload did. */
export type ReloadOutcome = { ok: true; adapters: StartedAdapter[] } | { ok: false; error: string; diagnostics: string[] };

/** A running gateway. */
export interface Gateway {
  /** The gateway's logger (stderr when a stdio MCP adapter owns stdout). */
  logger: Logger;
  /** Said once on stderr: adapters that expose bound credentials beyond loopback without inbound auth. */
  warning?: string;
  /** Metrics and tracing, when set up. */
  observability?: Observability;
  adapters: StartedAdapter[];
  /** Re-reads, checks and compiles the files; swaps them in on success, keeps the old version otherwise. Calls never overlap. */
  reload(): Promise<ReloadOutcome>;
  /** Resolves when every stdio MCP session has ended (never when there is none). */
  stdioClosed: Promise<void>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes upstream pools. */
  close(graceMs?: number): Promise<void>;
}

/** Extra wiring from the command. */
export interface GatewayHooks {
  /** Makes the logger; `stdio` says a stdio MCP adapter owns stdout. */
  createLogger: (stdio: boolean) => Logger;
  /** Sets up metrics and tracing once the capabilities are known; `inFlight` reads requests in flight, `breakers` the running executors' circuit breakers. */
  observe?: (graphs: CapabilityGraph[], inFlight: () => number, breakers: () => Array<{ origin: string; state: BreakerStateName }>) => Promise<Observability>;
}

interface Served {
  listener: HttpListener;
  plan: PortPlan;
  url: string;
}

async function buildExecutors(loaded: Loaded[], options: GatewayOptions, observer: UpstreamObserver | undefined, credentials: GatewayCredentials | undefined, logger: Logger): Promise<void> {
  const { upstreams } = preflight(loaded, options);
  try {
    for (const l of loaded) {
      l.executor = await Executor.create(l.graph, {
        upstreams,
        ...(options.envFile ? { envFile: options.envFile } : {}),
        ...(options.timeoutMs ? { timeouts: { connectMs: Math.min(5_000, options.timeoutMs), headersMs: options.timeoutMs, bodyMs: options.timeoutMs } } : {}),
        logger,
        ...(credentials ? { credentials: credentials.consumes } : {}),
        ...(options.resilience?.resilience ? { resilience: options.resilience.resilience } : {}),
        ...(options.resilience?.rateLimitRedis ? { rateLimitRedis: options.resilience.rateLimitRedis } : {}),
        ...(observer ? { observer } : {}),
        ...(options.tunnels ? { tunnels: options.tunnels } : {}),
      });
    }
  } catch (err) {
    await closeExecutors(loaded);
    throw err;
  }
}

function closeExecutors(loaded: Loaded[]): Promise<unknown> {
  return Promise.allSettled(loaded.map((l) => l.executor?.close()));
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function displayHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Checks, compiles and starts everything; throws GatewayError without leaving anything running. */
export async function startGateway(options: GatewayOptions, hooks: GatewayHooks): Promise<Gateway> {
  let first: Loaded[];
  try {
    first = checkAll(options.files).loaded;
  } catch (err) {
    throw err instanceof GatewayError ? err : new GatewayError((err as Error).message);
  }
  const { warning } = preflight(first, options);
  let credentials: GatewayCredentials | undefined;
  try {
    credentials = gatewayCredentials(options.credentialsFile);
  } catch (err) {
    throw new GatewayError((err as Error).message);
  }
  const stdio = first.some((l) => l.graph.adapters.some((a) => a.type === 'mcp' && a.transport === 'stdio'));
  const logger = hooks.createLogger(stdio);
  if (credentials?.identity) logger.info({ identity: credentials.identity.scheme }, `caller identity: ${credentials.identity.scheme}`);
  const unused = Object.keys(credentials?.consumes ?? {}).filter((ns) => !first.some((l) => l.graph.consumes.has(ns)));
  if (unused.length) logger.warn({ unused }, `credentials given for consumed namespaces no capability has: ${unused.join(', ')}`);
  const limiter = new ConcurrencyLimiter(options.maxConcurrency ?? 1024);
  const observability = await hooks.observe?.(first.map((l) => l.graph), () => limiter.inFlight, () => loaded.flatMap((l) => l.executor?.breakerStates() ?? []));
  if (observability?.config.unsupported.length) logger.warn({ unsupported: observability.config.unsupported }, `observability settings not honoured: ${observability.config.unsupported.join(', ')}`);
  const served = new Map<string, Served>();
  const mcps = new Map<string, McpAdapter>();
  const mcpAuth = new Map<string, InboundAuthenticator | undefined>();
  const stdioEnded: Array<Promise<void>> = [];
  let loaded: Loaded[] = [];
  let adapters: StartedAdapter[] = [];
  let closing = false;

  const mcpFor = (l: Loaded, namespace: string, auth: ReturnType<typeof createInboundAuth> | undefined): McpAdapter => {
    const node = l.graph.adapters.find((a): a is McpAdapterNode => a.type === 'mcp' && a.namespace === namespace)!;
    mcpAuth.set(namespace, auth);
    const existing = mcps.get(namespace);
    if (existing) {
      void existing.update(node, l.executor!);
      return existing;
    }
    const log = logger.child({ adapter: namespace });
    const adapter = createMcpAdapter(node, l.executor!, {
      baseDir: dirname(l.file),
      ...(options.mcpStateless ? { stateless: true } : {}),
      ...(options.mcpRedis ? { redisUrl: options.mcpRedis } : {}),
      ...(auth?.oauth2 ? { protectedResourceMetadata: auth.oauth2.metadata() } : {}),
      ...(node.transport === 'stdio' ? {} : { authenticate: (req: IncomingMessage) => mcpAuthenticate(callerAuthenticator(mcpAuth.get(namespace), credentials))(req) }),
      logger: (level, message) => log[level](message),
    });
    mcps.set(namespace, adapter);
    return adapter;
  };
  const ctx: AppContext = {
    options, logger, limiter,
    withIdentity: (auth) => callerAuthenticator(auth, credentials),
    observers: observability?.requestObservers ?? [],
    recordRequests: observability?.tracing !== undefined,
    mcp: mcpFor,
    adapterStates: (file) => adapters.filter((a) => a.file === file && a.type !== 'control').map((a): AdapterState => ({ type: a.type, namespace: a.namespace, ...(a.url.startsWith('http') ? { port: Number(new URL(a.url).port) } : {}), state: closing ? 'stopped' : 'started' })),
    control: (app, node) => {
      if (observability?.metrics && observability.config.metrics) registerMetricsRoute(app, observability.metrics);
      if (obj(node.spec.management).reload === true) registerReloadRoute(app, () => gateway.reload());
      registerConfigNotice(app);
    },
  };
  const describe = (): StartedAdapter[] => {
    const out: StartedAdapter[] = [];
    for (const s of served.values()) {
      for (const m of s.plan.mounts) out.push({ file: m.l.file, type: m.adapter.type, namespace: m.adapter.namespace, url: m.adapter.type === 'mcp' ? `${s.url}/mcp` : s.url });
    }
    for (const l of loaded) for (const a of l.graph.adapters) if (a.type === 'mcp' && a.transport === 'stdio') out.push({ file: l.file, type: 'mcp', namespace: a.namespace, url: 'stdio' });
    return out;
  };
  /** Opens listeners for plans without one, on the plans' apps; on failure closes the ones it opened. */
  const openListeners = async (plans: PortPlan[], apps: Map<string, FastifyInstance>): Promise<string[]> => {
    const opened: string[] = [];
    const results = await Promise.allSettled(
      plans.filter((p) => !served.has(p.key)).map(async (plan) => {
        const listener = new HttpListener({ port: plan.key, ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}), ...(observability?.intercept ? { intercept: observability.intercept } : {}) });
        await listener.mount(apps.get(plan.key)!);
        served.set(plan.key, { listener, plan, url: '' });
        opened.push(plan.key);
        const port = await listener.listen(plan.host, plan.port);
        served.get(plan.key)!.url = `http://${displayHost(plan.host)}:${port}`;
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(opened.map((k) => served.get(k)!.listener.close(0)));
      for (const k of opened) served.delete(k);
      const e = failed.reason as NodeJS.ErrnoException & { port?: number };
      throw e.code === 'EADDRINUSE' ? new GatewayError(`cannot listen: port ${String(e.port ?? '')} is already in use (${e.message})`) : e;
    }
    return opened;
  };
  /** Closes apps no listener took (a failed start or reload). */
  const closeUnmounted = (apps: Map<string, FastifyInstance>): Promise<unknown> =>
    Promise.allSettled([...new Set(apps.values())].filter((app) => ![...served.values()].some((s) => s.listener.app === app)).map((app) => app.close()));
  const startStdio = async (list: Loaded[]): Promise<void> => {
    for (const l of list) {
      for (const a of l.graph.adapters) {
        if (a.type !== 'mcp' || a.transport !== 'stdio' || mcps.has(a.namespace)) continue;
        const session = await mcpFor(l, a.namespace, undefined).serveStdio();
        stdioEnded.push(session.closed);
      }
    }
  };

  const stop = async (graceMs: number): Promise<void> => {
    closing = true;
    // MCP sessions end only once their in-flight calls are answered (their streams would hold the drain).
    // Once for all listeners (each calls it after its own drain): not once per listener and adapter.
    let ending: Promise<unknown> | undefined;
    const endSessions = (): Promise<unknown> => (ending ??= Promise.allSettled([...mcps.values()].map((m) => m.close())));
    await Promise.allSettled([...served.values()].map((s) => s.listener.close(graceMs, async () => void (await endSessions()))));
    await endSessions();
    await closeExecutors(loaded);
    await observability?.shutdown();
    logger.flush();
  };

  try {
    loaded = first;
    await buildExecutors(loaded, options, observability?.upstream, credentials, logger);
    const plans = planPorts(loaded, options);
    const apps = await buildApps(plans, ctx);
    try {
      await openListeners(plans, apps);
    } catch (err) {
      await closeUnmounted(apps);
      throw err;
    }
    await startStdio(loaded);
  } catch (err) {
    await stop(0);
    if (err instanceof GatewayError) throw err;
    throw new GatewayError((err as Error).message);
  }
  adapters = describe();

  let reloading: Promise<ReloadOutcome> | undefined;
  const reloadOnce = async (): Promise<ReloadOutcome> => {
    let next: Loaded[];
    let plans: PortPlan[];
    try {
      next = checkAll(options.files).loaded;
      plans = planPorts(next, options);
      await buildExecutors(next, options, observability?.upstream, credentials, logger);
    } catch (err) {
      const diagnostics = err instanceof GatewayError ? err.diagnostics.map(({ diagnostic, source }) => formatDiagnostic(diagnostic, source)) : [];
      const message = err instanceof GatewayError ? err.message.replace('nothing was started', 'the running version keeps serving') : (err as Error).message;
      return { ok: false, error: message, diagnostics };
    }
    const previous = loaded;
    let apps: Map<string, FastifyInstance>;
    let opened: string[];
    try {
      apps = await buildApps(plans, ctx);
    } catch (err) {
      await closeExecutors(next);
      return { ok: false, error: (err as Error).message, diagnostics: [] };
    }
    try {
      opened = await openListeners(plans, apps);
    } catch (err) {
      await closeUnmounted(apps);
      await closeExecutors(next);
      return { ok: false, error: (err as Error).message, diagnostics: [] };
    }
    loaded = next;
    const wanted = new Set(plans.map((p) => p.key));
    const swaps: Array<Promise<unknown>> = [];
    for (const plan of plans) {
      const s = served.get(plan.key)!;
      if (opened.includes(plan.key)) continue;
      s.plan = plan;
      // The old app is handed back by the last of its listeners to finish its answers.
      swaps.push(s.listener.mount(apps.get(plan.key)!).then((old) => old?.close()));
    }
    for (const [key, s] of served) {
      if (wanted.has(key)) continue;
      served.delete(key);
      swaps.push(s.listener.close(10_000));
    }
    const namespaces = new Set(next.flatMap((l) => l.graph.adapters.filter((a) => a.type === 'mcp').map((a) => a.namespace)));
    for (const [ns, m] of mcps) {
      if (namespaces.has(ns)) continue;
      mcps.delete(ns);
      swaps.push(m.close());
    }
    for (const l of next) for (const a of l.graph.adapters) if (a.type === 'mcp' && a.transport === 'stdio' && mcps.has(a.namespace)) mcpFor(l, a.namespace, undefined);
    await startStdio(next);
    adapters = describe();
    // Old executors close once every request that started on the old version is answered.
    void Promise.allSettled(swaps).then(() => closeExecutors(previous));
    return { ok: true, adapters };
  };
  const gateway: Gateway = {
    logger,
    ...(warning ? { warning } : {}),
    ...(observability ? { observability } : {}),
    get adapters() {
      return adapters;
    },
    reload() {
      // One at a time: a reload asked for while one runs waits for it, then runs with the files as they are then.
      const run = (reloading ?? Promise.resolve()).then(reloadOnce, reloadOnce);
      reloading = run;
      return run;
    },
    stdioClosed: stdioEnded.length ? Promise.all(stdioEnded).then(() => undefined) : new Promise<void>(() => undefined),
    close: (graceMs = 10_000) => stop(graceMs),
  };
  return gateway;
}
