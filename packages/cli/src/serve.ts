/**
 * `capstan run` once its options are parsed: starts the gateway, prints where each adapter
 * listens (to stderr: stdout carries JSON log lines only), then serves until SIGINT/SIGTERM
 * (drain, exit 0) or until every stdio MCP session has ended. SIGHUP, `--watch` and the control
 * adapter's reload endpoint reload the capabilities.
 */
import type { AddressInfo } from 'node:net';
import { formatDiagnostic } from '@capstan/spec';
import { createHttpServer } from '@capstan/http';
import { registerMetricsRoute } from './gateway/control-routes.js';
import { GatewayError, startGateway, type Gateway, type GatewayOptions, type ReloadOutcome } from './gateway/gateway.js';
import { createGatewayLogger } from './logging.js';
import { setUpObservability, type GatewayMetrics } from './observability/index.js';
import { startReloadTriggers } from './reload.js';
import { EXIT, type Io } from './io.js';
import { capstanVersion } from './version.js';

/** What `run` adds to the gateway options. */
export interface ServeOptions extends GatewayOptions {
  /** Reload when a capability file changes. */
  watch?: boolean;
  /** Serve `/metrics` on this port too (for files without a control adapter). */
  metricsPort?: number;
}

/** `/metrics` on a port of its own (`--metrics-port`). */
async function serveMetrics(metrics: GatewayMetrics, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const app = createHttpServer({ fields: { kind: 'metrics', adapter: 'metrics' } });
  registerMetricsRoute(app, metrics);
  await app.listen({ host, port });
  const bound = (app.server.address() as AddressInfo).port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`, close: () => app.close() };
}

export async function serve(options: ServeOptions, io: Io): Promise<number> {
  let gateway: Gateway;
  const reload = async (reason: string): Promise<ReloadOutcome> => {
    const outcome = await gateway.reload();
    const logger = gateway.logger;
    gateway.observability?.metrics?.reloaded(outcome.ok);
    if (outcome.ok) logger.info({ reason, adapters: outcome.adapters.length }, `reloaded (${reason})`);
    else logger.error({ reason, error: outcome.error, diagnostics: outcome.diagnostics }, `reload (${reason}) rejected: ${outcome.error}; the running version keeps serving`);
    return outcome;
  };
  try {
    gateway = await startGateway(options, {
      createLogger: (stdio) => createGatewayLogger(options.logLevel ?? 'info', stdio),
      observe: (graphs, inFlight, breakers) => setUpObservability(graphs, { wantMetrics: options.metricsPort !== undefined || graphs.some((g) => g.adapters.some((a) => a.type === 'control')), inFlight, breakers, version: capstanVersion() }),
    });
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const { diagnostic, source } of err.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic, source)}\n\n`);
    io.stderr.write(`capstan run: ${err.message}\n`);
    return EXIT.failed;
  }
  const logger = gateway.logger;
  if (gateway.warning) io.stderr.write(gateway.warning);
  for (const a of gateway.adapters) {
    io.stderr.write(`${a.type.padEnd(4)} ${a.namespace} ${a.url}\n`);
    logger.info({ adapter: a.namespace, kind: a.type, url: a.url }, 'listening');
  }
  if (!gateway.adapters.length && options.watch !== true) {
    // Nothing would hold the process open: say so instead of exiting without a word.
    await gateway.close(0);
    io.stderr.write('capstan run: the files expose no adapter, so there is nothing to serve; add an `exposes` adapter (rest, mcp, skill or control)\n');
    return EXIT.failed;
  }
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  if (options.metricsPort !== undefined && gateway.observability?.metrics) {
    try {
      metricsServer = await serveMetrics(gateway.observability.metrics, options.host ?? 'localhost', options.metricsPort);
    } catch (err) {
      await gateway.close(0);
      io.stderr.write(`capstan run: cannot serve metrics on port ${options.metricsPort}: ${(err as Error).message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`metrics ${metricsServer.url}\n`);
  }
  const triggers = startReloadTriggers({ files: options.files, watch: options.watch === true, reload, logger });
  const why = await new Promise<string>((resolve) => {
    const onSignal = (signal: string) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void gateway.stdioClosed.then(() => resolve('stdin closed'));
  });
  triggers.stop();
  io.stderr.write(`capstan: ${why} received, finishing in-flight requests\n`);
  logger.info({ reason: why }, `${why} received, finishing in-flight requests`);
  await gateway.close(10_000);
  await metricsServer?.close();
  return EXIT.ok;
}
