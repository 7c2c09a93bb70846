/**
 * What the gateway adds to a control adapter: `/metrics` (Prometheus text), `POST /reload`
 * (with `management.reload`), and a clear answer for `/config`, which the spec documents and
 * Capstan does not serve.
 */
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from '@capstan/http';
import type { GatewayMetrics } from '../observability/index.js';
import type { ReloadOutcome } from './gateway.js';

/** Serves `/metrics` on `app`. */
export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.get('/metrics', async (_req, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
}

/** `POST /reload`: 200 with the adapters after a reload, 422 with the diagnostics when the files were rejected (the running version keeps serving). */
export function registerReloadRoute(app: FastifyInstance, reload: () => Promise<ReloadOutcome>): void {
  app.post('/reload', async (req, reply) => {
    const outcome = await reload();
    if (outcome.ok) return reply.send({ status: 'reloaded', adapters: outcome.adapters.map((a) => ({ type: a.type, namespace: a.namespace, url: a.url })) });
    return sendProblem(reply, problem('reload-rejected', `${outcome.error}`, { requestId: req.id, errors: outcome.diagnostics.map((d) => ({ name: 'capability', message: d })) }));
  });
}

/** `/config` answers 501 saying so, rather than a bare 404. */
export function registerConfigNotice(app: FastifyInstance): void {
  app.all('/config', async (req, reply) => sendProblem(reply, problem('not-implemented', 'the control adapter\'s /config endpoint is not served by Capstan (nor by the reference engine); see /status', { requestId: req.id })));
}
