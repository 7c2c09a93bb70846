/**
 * The REST adapter in-process: a capability compiled with `checkSpec`, the real executor, and
 * `createRestServer` + `registerRestAdapter` listening on 127.0.0.1 (random port).
 *
 * The adapter comes from packages/rest/src; `checkSpec` comes from @capstan/spec and the executor from the
 * @capstan/runtime build, which is the module the adapter itself imports, so its
 * `instanceof UpstreamError` checks see the executor's errors.
 */
import type { AddressInfo } from 'node:net';
import { checkSpec, type RestAdapterNode } from '@capstan/spec';
import { createInboundAuth, Executor, type ExecutorOptions } from '@capstan/runtime';
import { createRestServer, registerRestAdapter, type RestRunner, type RestServerOptions } from '@capstan/rest';
import { tempSpec } from '../helpers/tmp.js';

/** A served capability. */
export interface Served {
  url: string;
  executor: Executor;
  close(): Promise<void>;
}

/** Compiles `yaml` (failing on any error) and gives its REST adapters. */
export function compileRest(yaml: string): { file: string; graph: NonNullable<ReturnType<typeof checkSpec>['graph']>; adapters: RestAdapterNode[] } {
  const file = tempSpec(yaml);
  const result = checkSpec(file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !result.graph) throw new Error(`spec has errors:\n${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n')}`);
  return { file, graph: result.graph, adapters: result.graph.adapters.filter((a): a is RestAdapterNode => a.type === 'rest') };
}

/**
 * Serves every REST adapter of the given capabilities on one in-process server.
 * `runner` may wrap the executor (e.g. to make it fail).
 */
export async function serveInProcess(
  yamls: string[],
  options: { executor?: ExecutorOptions; server?: RestServerOptions; runner?: (executor: Executor) => RestRunner; publicUrl?: boolean } = {},
): Promise<Served> {
  const app = createRestServer({ logger: false, ...options.server });
  const executors: Executor[] = [];
  for (const yaml of yamls) {
    const { graph, adapters } = compileRest(yaml);
    const executor = await Executor.create(graph, { env: {}, ...options.executor });
    executors.push(executor);
    for (const adapter of adapters) {
      const auth = adapter.auth ? createInboundAuth(adapter.auth, (t) => executor.renderSecret(t)) : undefined;
      registerRestAdapter(app, adapter, {
        runner: options.runner ? options.runner(executor) : executor,
        ...(auth ? { auth } : {}),
        info: graph.info,
        ...(options.publicUrl ? { publicUrl: 'http://127.0.0.1:8080' } : {}),
      });
    }
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    executor: executors[0]!,
    close: async () => {
      // Nothing is in flight at teardown; a client connection that never sent a request
      // (undici may open one after an abort) would otherwise hold close() for seconds.
      const closed = app.close();
      app.server.closeAllConnections();
      await closed;
      await Promise.all(executors.map((e) => e.close()));
    },
  };
}
