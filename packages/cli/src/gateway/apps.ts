/**
 * Builds the fastify apps of the gateway's ports from the shared HTTP layer and registers the
 * adapters the port plan puts on each port. A reload builds new apps the same way and swaps them in.
 */
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type AdapterNode, type ControlAdapterNode } from '@capstan/spec';
import { createInboundAuth, type ConcurrencyLimiter, type InboundAuthenticator } from '@capstan/runtime';
import { registerControlAdapter, unsupportedControlFeatures, type AdapterState } from '@capstan/control';
import { PORTS_PER_APP, servePort, useInboundRateLimit, type HttpServerOptions, type RequestObserver } from '@capstan/http';
import type { McpAdapter } from '@capstan/mcp';
import { createRestServer, registerRestAdapter } from '@capstan/rest';
import { registerSkillAdapter } from '@capstan/skill';
import { serverRateLimit } from '../resilience-flags.js';
import { capstanVersion } from '../version.js';
import type { PortPlan } from './plan.js';
import type { GatewayOptions, Loaded } from './types.js';

/** What building apps needs from the running gateway. */
export interface AppContext {
  options: GatewayOptions;
  logger: Logger;
  limiter: ConcurrencyLimiter;
  observers: RequestObserver[];
  /** Keep request records for tracing. */
  recordRequests: boolean;
  /** The adapter's authenticator combined with the gateway's caller identity (REST). */
  withIdentity(auth: InboundAuthenticator | undefined): InboundAuthenticator | undefined;
  /** The MCP adapter serving a namespace (created, or updated to this version), with its inbound authenticator. */
  mcp(l: Loaded, namespace: string, auth: ReturnType<typeof createInboundAuth> | undefined): McpAdapter;
  /** The adapters of a capability file and their state, for its control adapters. */
  adapterStates(file: string): AdapterState[];
  /** Extra routes for a control adapter (metrics, reload, /config). */
  control(app: FastifyInstance, node: ControlAdapterNode): void;
}

/** The adapter's inbound authenticator (secrets from its capability's binds), logged either way so the operator sees which adapters require auth. */
export function inboundAuthFor(ctx: Pick<AppContext, 'logger'>, l: Loaded, adapter: AdapterNode): ReturnType<typeof createInboundAuth> | undefined {
  // stdio has no inbound authentication (as the engine): the parent process is the client.
  const served = adapter.auth && !(adapter.type === 'mcp' && adapter.transport === 'stdio');
  const auth = served ? createInboundAuth(adapter.auth!, (t) => l.executor!.renderSecret(t), adapter.type === 'mcp' ? { resourceMetadataPath: '/.well-known/oauth-protected-resource' } : {}) : undefined;
  ctx.logger.info({ namespace: adapter.namespace, auth: auth?.scheme ?? 'none' }, `${adapter.type} adapter ${adapter.namespace}: authentication ${auth?.scheme ?? 'none'}`);
  return auth;
}

/**
 * New apps serving every port of the plans (not yet listening or mounted): ports share apps, up
 * to `PORTS_PER_APP` each, each port in a scope of its own (`servePort`), so routes, hooks and the
 * inbound rate limit of one port never apply to another. Returns the app of each port key, ready.
 */
export async function buildApps(plans: PortPlan[], ctx: AppContext): Promise<Map<string, FastifyInstance>> {
  const base: HttpServerOptions = {
    logger: ctx.logger as never,
    limiter: ctx.limiter,
    observers: ctx.observers,
    recordRequests: ctx.recordRequests,
    ...(ctx.options.requestTimeoutMs ? { requestTimeoutMs: ctx.options.requestTimeoutMs } : {}),
  };
  const apps = new Map<string, FastifyInstance>();
  const built: FastifyInstance[] = [];
  try {
    for (let i = 0; i < plans.length; i += PORTS_PER_APP) {
      // The REST server: the shared layer with JSON bodies' text kept (other ports parse JSON the same way).
      const app = createRestServer(base);
      built.push(app);
      for (const plan of plans.slice(i, i + PORTS_PER_APP)) {
        const first = plan.mounts[0]!;
        servePort(app, plan.key, (scope) => servePlan(scope, plan, ctx), plan.kind === 'rest' ? undefined : { kind: plan.kind, adapter: first.adapter.namespace });
        apps.set(plan.key, app);
      }
      await app.ready();
    }
  } catch (err) {
    await Promise.allSettled(built.map((app) => app.close()));
    throw err;
  }
  return apps;
}

/** Registers the adapters the plan puts on its port, in the port's scope. */
async function servePlan(app: FastifyInstance, plan: PortPlan, ctx: AppContext): Promise<void> {
  // Before any route: the limit applies to every route registered after it.
  const rateLimit = serverRateLimit(plan.mounts.map((m) => m.adapter), ctx.options.resilience ?? {});
  if (rateLimit) await useInboundRateLimit(app, rateLimit);
  for (const { l, adapter } of plan.mounts) {
    const auth = inboundAuthFor(ctx, l, adapter);
    switch (adapter.type) {
      case 'rest': {
        const restAuth = ctx.withIdentity(auth);
        registerRestAdapter(app, adapter, { runner: l.executor!, ...(restAuth ? { auth: restAuth } : {}), info: l.graph.info });
        break;
      }
      case 'skill':
        registerSkillAdapter(app, adapter, l.graph, { baseDir: dirname(l.file), ...(auth ? { auth } : {}) });
        break;
      case 'control': {
        const unsupported = unsupportedControlFeatures(adapter);
        if (unsupported.length) ctx.logger.warn({ namespace: adapter.namespace, unsupported }, `control adapter ${adapter.namespace}: not served by Capstan yet: ${unsupported.join(', ')}`);
        registerControlAdapter(app, adapter, l.graph, { version: capstanVersion(), ...(auth ? { auth } : {}), adapters: () => ctx.adapterStates(l.file) });
        ctx.control(app, adapter);
        break;
      }
      case 'mcp':
        ctx.mcp(l, adapter.namespace, auth).mount(app, plan.host);
        break;
    }
  }
}
