/**
 * `capstan run` once its options are parsed: starts the gateway, prints where each adapter
 * listens (to stderr: stdout carries JSON log lines only), then serves until SIGINT/SIGTERM
 * (drain, exit 0) or until every stdio MCP session has ended. SIGHUP, `--watch` and the control
 * adapter's reload endpoint reload the capabilities.
 */
import { formatDiagnostic } from '@capstan/core';
import { GatewayError, startGateway, type Gateway, type GatewayOptions, type ReloadOutcome } from './gateway/gateway.js';
import { createGatewayLogger } from './logging.js';
import { startReloadTriggers } from './reload.js';
import { EXIT, type Io } from './io.js';

/** What `run` adds to the gateway options. */
export interface ServeOptions extends GatewayOptions {
  /** Reload when a capability file changes. */
  watch?: boolean;
}

export async function serve(options: ServeOptions, io: Io): Promise<number> {
  let gateway: Gateway;
  const reload = async (reason: string): Promise<ReloadOutcome> => {
    const outcome = await gateway.reload();
    const logger = gateway.logger;
    if (outcome.ok) logger.info({ reason, adapters: outcome.adapters.length }, `reloaded (${reason})`);
    else logger.error({ reason, error: outcome.error, diagnostics: outcome.diagnostics }, `reload (${reason}) rejected: ${outcome.error}; the running version keeps serving`);
    return outcome;
  };
  try {
    gateway = await startGateway(options, { createLogger: (stdio) => createGatewayLogger(options.logLevel ?? 'info', stdio) });
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const { diagnostic, source } of err.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic, source)}\n\n`);
    io.stderr.write(`capstan run: ${err.message}\n`);
    return EXIT.failed;
  }
  const logger = gateway.logger;
  for (const a of gateway.adapters) {
    io.stderr.write(`${a.type.padEnd(4)} ${a.namespace} ${a.url}\n`);
    logger.info({ adapter: a.namespace, kind: a.type, url: a.url }, 'listening');
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
  return EXIT.ok;
}
