/**
 * Builds the fastify app of one port from the shared HTTP layer and registers the adapters the
 * port plan puts on it. A reload builds new apps the same way and swaps them in.
 */
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type AdapterNode, type ControlAdapterNode } from '@capstan/spec';
import { createInboundAuth, type ConcurrencyLimiter, type InboundAuthenticator } from '@capstan/runtime';
import { registerControlAdapter, unsupportedControlFeatures, type AdapterState } from '@capstan/control';
import { createHttpServer, useInboundRateLimit, type HttpServerOptions, type RequestObserver } from '@capstan/http';
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

/** A new app serving every adapter the plan puts on its port (not yet listening or mounted). */
export async function buildApp(plan: PortPlan, ctx: AppContext): Promise<FastifyInstance> {
  const base: HttpServerOptions = {
    logger: ctx.logger as never,
    limiter: ctx.limiter,
    observers: ctx.observers,
    recordRequests: ctx.recordRequests,
    ...(ctx.options.requestTimeoutMs ? { requestTimeoutMs: ctx.options.requestTimeoutMs } : {}),
  };
  const first = plan.mounts[0]!;
  const app = plan.kind === 'rest' ? createRestServer(base) : createHttpServer({ ...base, fields: { kind: plan.kind, adapter: first.adapter.namespace } });
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
  return app;
}
