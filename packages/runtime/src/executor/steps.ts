/**
 * Orchestration (engine §2.11): steps run in order over the parameter map and a step context
 * `{stepName: output}`.
 * - call: the step's `with` is merged into a copy of the map; the answer is converted with the
 *   operation's format and projected by its consumed outputs; stored under the step name.
 * - lookup: finds, in an earlier step's output (an array of rows, or one object), the row whose
 *   `match` field equals `lookupValue` (each value of an array, collecting matches) and keeps
 *   only the `outputParameters` fields. `lookupValue` is a JSONPath over the step context, or a
 *   template (a lone `{{x}}` keeps x's type, so an array input looks up each item).
 * - script: see script.ts.
 * Step outputs are readable in later templates as `{{step.field}}` (below request parameters,
 * above binds). `mappings` are full JSONPath over the step context; a dotted `targetName` builds
 * nested objects.
 */
import type { ConsumedOperation, StepMapping, StepNode } from '@capstan/spec';
import { jsonPath } from './jsonpath.js';
import { stepOutput } from './mapping.js';
import { lookup, render, singleTag, toText, type Scope } from './mustache.js';
import type { ScriptRun } from './script.js';
import { applyWith, setDotted } from './with.js';

/** What a call step got back. */
export interface CallOutcome {
  op: ConsumedOperation;
  status: number;
  /** The converted answer (null when empty or, for an error status, unparsable). */
  value: unknown;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** What the steps need from the executor. */
export interface StepRuntime {
  call(op: ConsumedOperation, params: Record<string, unknown>, lower: Scope): Promise<CallOutcome>;
  script(run: ScriptRun): Promise<unknown>;
  /** The binds layer. */
  binds: Record<string, unknown>;
}

/** The outcome of a sequence. */
export interface StepsOutcome {
  /** The object built by `mappings`, when any mapping resolved. */
  mapped?: Record<string, unknown>;
  /** The last call step's answer. */
  last?: CallOutcome;
  context: Record<string, unknown>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function lookupRow(index: unknown, match: string, value: unknown, fields: readonly string[]): Record<string, unknown> | null {
  const wanted = toText(value);
  const hit = (row: unknown): row is Record<string, unknown> => isPlainObject(row) && Object.prototype.hasOwnProperty.call(row, match) && toText(row[match]) === wanted;
  const row = Array.isArray(index) ? index.find(hit) : hit(index) ? index : undefined;
  if (!row) return null;
  return Object.fromEntries(fields.map((f) => [f, Object.prototype.hasOwnProperty.call(row, f) ? row[f] : null]));
}

/** Runs a sequence of steps and its mappings. */
export async function runSteps(steps: readonly StepNode[], mappings: readonly StepMapping[], params: Record<string, unknown>, runtime: StepRuntime): Promise<StepsOutcome> {
  const context: Record<string, unknown> = {};
  const lower: Scope = [context, runtime.binds];
  let last: CallOutcome | undefined;
  for (const step of steps) {
    const define = (value: unknown): void => {
      Object.defineProperty(context, step.name, { value, enumerable: true, writable: true, configurable: true });
    };
    if (step.kind === 'call') {
      const stepParams = applyWith(step.with, params, lower);
      last = await runtime.call(step.operation, stepParams, lower);
      define(stepOutput(step.operation.outputParameters, last.value));
    } else if (step.kind === 'lookup') {
      const scope: Scope = [params, ...lower];
      let value: unknown;
      const expr = step.lookupValue.trim();
      if (expr.startsWith('$')) value = jsonPath(context, expr);
      if (value === undefined || value === null) {
        const name = singleTag(step.lookupValue);
        value = name !== undefined ? lookup(scope, name) : render(step.lookupValue, scope);
      }
      const index = context[step.index];
      if (Array.isArray(value)) {
        const rows = value.map((v) => lookupRow(index, step.match, v, step.outputParameters)).filter((r) => r !== null);
        define(rows.length ? rows : null);
      } else {
        define(lookupRow(index, step.match, value, step.outputParameters));
      }
    } else {
      const merged = applyWith(step.with, params, lower);
      const rendered = Object.fromEntries(Object.keys(step.with).filter((k) => Object.prototype.hasOwnProperty.call(merged, k)).map((k) => [k, merged[k]]));
      const scriptContext = { ...params, ...context, ...rendered };
      define(
        await runtime.script({
          step: step.name,
          file: step.file,
          ...(step.language ? { language: step.language } : {}),
          ...(step.location ? { location: step.location } : {}),
          dependencies: step.dependencies,
          context: scriptContext,
        }),
      );
    }
  }
  const mapped: Record<string, unknown> = {};
  for (const m of mappings) {
    const value = jsonPath(context, m.value);
    if (value !== undefined && value !== null) setDotted(mapped, m.targetName, value);
  }
  return { ...(Object.keys(mapped).length ? { mapped } : {}), ...(last ? { last } : {}), context };
}
