/** Helpers for the resilience suites: one-operation capabilities with a `resiliency` block, flaky upstreams and cleanup. */
import { afterEach } from 'vitest';
import type { ExecutorOptions } from '@capstan/runtime';
import { capability, executorFor, graphOf, handlerOf } from '../executor/helpers.js';
import { json, startUpstream, type Reply, type Upstream } from '../helpers/upstream.js';

const cleanups: Array<() => Promise<void>> = [];

/** Registers the suite's cleanup hook; call once at the top level of a test file. */
export function useCleanups(): (fn: () => Promise<void>) => void {
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  return (fn) => cleanups.push(fn);
}

/** Indents YAML text by `n` spaces. */
export function indent(text: string, n: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(n));
}

/** A capability with one operation `op` (method, optional resiliency YAML at API and operation level) exposed as tool `t`. */
export function oneOperation(opts: { method?: string; apiResiliency?: string; opResiliency?: string; auth?: string; binds?: string }): ReturnType<typeof graphOf> {
  return graphOf(
    capability({
      ...(opts.binds ? { binds: opts.binds } : {}),
      consumesExtra: `${opts.apiResiliency ? `      resiliency:\n${indent(opts.apiResiliency, 8)}` : ''}${opts.auth ? `      authentication:\n${indent(opts.auth, 8)}` : ''}`,
      resources: `        - name: r
          path: "/x"
          operations:
            - name: op
              method: ${opts.method ?? 'GET'}
${opts.opResiliency ? `              resiliency:\n${indent(opts.opResiliency, 16)}` : ''}`,
      tools: `        - name: t
          description: d
          call: up.op
`,
    }),
  );
}

/** Starts an upstream and an executor on it for the one-operation capability; both closed after the test. */
export async function setUp(
  add: (fn: () => Promise<void>) => void,
  graph: ReturnType<typeof graphOf>['graph'],
  reply: Reply,
  options: ExecutorOptions = {},
): Promise<{ up: Upstream; run: (inputs?: Record<string, unknown>) => ReturnType<Awaited<ReturnType<typeof executorFor>>['run']>; exec: Awaited<ReturnType<typeof executorFor>> }> {
  const up = await startUpstream(reply);
  add(() => up.close());
  const exec = await executorFor(graph, up, options);
  add(() => exec.close());
  const handler = handlerOf(graph, 't');
  return { up, exec, run: (inputs = {}) => exec.run(handler, { inputs }) };
}

/** A reply that answers `failures` in turn (status and headers), then 200 `{ ok: true }`. */
export function failThenSucceed(failures: Array<{ status: number; headers?: Record<string, string> }>): Reply {
  let n = 0;
  return (_req, res) => {
    const f = failures[n++];
    if (f) json(res, f.status, { error: f.status }, f.headers);
    else json(res, 200, { ok: true });
  };
}
