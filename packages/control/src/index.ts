/**
 * The control adapter (`type: control`): liveness, readiness and status endpoints for
 * orchestrators and load balancers. The gateway adds `/metrics` and `POST /reload`. Management
 * features the spec declares but Capstan does not serve (validate, logs, the scripting endpoint)
 * are listed by `unsupportedControlFeatures` so the gateway can say so at start instead of
 * ignoring them.
 */
import type { FastifyInstance } from 'fastify';
import type { CapabilityGraph, ControlAdapterNode } from '@capstan/spec';
import type { InboundAuthenticator } from '@capstan/runtime';
import { problem, sendProblem } from '@capstan/rest';

/** One adapter as the control port reports it. */
export interface AdapterState {
  type: string;
  namespace: string;
  port?: number;
  state: 'started' | 'stopped';
}

/** What the control adapter needs from the gateway. */
export interface ControlOptions {
  /** The capability's adapters and their state now. */
  adapters: () => AdapterState[];
  auth?: InboundAuthenticator;
  /** The Capstan version reported by `/status`. */
  version: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Registers `/health/live`, `/health/ready` (when `management.health`, default on) and `/status` (when `management.info`). */
export function registerControlAdapter(app: FastifyInstance, node: ControlAdapterNode, graph: CapabilityGraph, options: ControlOptions): void {
  const management = obj(node.spec.management);
  const started = Date.now();
  if (options.auth) {
    const auth = options.auth;
    app.addHook('onRequest', async (req, reply) => {
      const decision = await auth.check({ method: req.method, url: req.url, headers: req.headers });
      if (decision.ok) return undefined;
      return sendProblem(reply, problem(decision.status === 401 ? 'unauthorized' : 'forbidden', decision.detail, { requestId: req.id }), decision.headers);
    });
    // An unknown path needs the token too: the app's not-found answer runs outside the scope the
    // gateway registers this adapter in (ports.ts), so a catch-all route of the scope checks first.
    app.all('/*', (_req, reply) => {
      reply.callNotFound();
      return reply;
    });
  }
  if (management.health !== false) {
    app.get('/health/live', async (_req, reply) => reply.send({ status: 'UP' }));
    app.get('/health/ready', async (_req, reply) => {
      const adapters = options.adapters();
      const ready = adapters.every((a) => a.state === 'started');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'UP' : 'DEGRADED', adapters });
    });
  }
  if (management.info === true) {
    app.get('/status', async (_req, reply) =>
      reply.send({
        capability: { ...(graph.info.label ? { label: graph.info.label } : {}), specVersion: graph.specVersion },
        engine: { name: 'capstan', version: options.version, node: process.version },
        uptime: `PT${Math.round((Date.now() - started) / 1000)}S`,
        adapters: options.adapters(),
      }),
    );
  }
}

/** Control features the file turns on that Capstan does not serve, for a start-up warning (observability settings are checked by the gateway). */
export function unsupportedControlFeatures(node: ControlAdapterNode): string[] {
  const management = obj(node.spec.management);
  const out = ['validate', 'logs'].filter((k) => management[k] === true || (k === 'logs' && typeof management.logs === 'object'));
  if (management.scripting !== undefined) out.push('scripting endpoint (/scripting)');
  return out;
}
