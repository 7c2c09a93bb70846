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

/** Most arrivals inside any window of `ms`. */
export function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** A capability file for `capstan run`: consumed API `ns` with one GET `op` at `path` under `resiliency` (YAML flow mapping), exposed as REST adapter `api` at the same path. */
export function restSpec(ns: string, path: string, resiliency: string): string {
  return `naftiko: "1.0.0-alpha2"
info: { label: Resilience, description: One consumed API behind a resiliency policy }
capability:
  consumes:
    - { namespace: ${ns}, type: http, baseUri: "http://upstream.invalid/base", resiliency: ${resiliency}, resources: [{ name: r, path: "${path}", operations: [{ name: op, method: GET }] }] }
  exposes:
    - { type: rest, port: 3001, namespace: api, resources: [{ path: "${path}", operations: [{ method: GET, call: ${ns}.op }] }] }
`;
}
