/**
 * Script steps (engine §5.5), JavaScript only, in a QuickJS WebAssembly sandbox
 * (quickjs-emscripten): the script has no `require`, `process`, file system or network, only
 * the ECMAScript built-ins and one global, `context` (a copy of the runtime parameters, the
 * step outputs by step name, and the step's rendered `with`). It must assign `result` (`var`,
 * `let` or a plain assignment); its JSON value is the step output. Each run gets a fresh
 * runtime with a memory cap, a stack cap and a time limit (the control port's
 * `management.scripting.timeout`, 60 s by default as the schema says).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import type { InterruptHandler, QuickJSContext, QuickJSWASMModule } from 'quickjs-emscripten';
import type { CapabilityGraph } from '@capstan/spec';
import { bindFilePath } from './binds.js';
import { ScriptError } from './errors.js';

/** Scripting settings (control adapter `management.scripting`). */
export interface ScriptingSettings {
  enabled: boolean;
  defaultLanguage?: string;
  defaultLocation?: string;
  timeoutMs: number;
  allowedLanguages?: readonly string[];
}

/** One script step to run. */
export interface ScriptRun {
  step: string;
  file: string;
  language?: string;
  location?: string;
  dependencies: readonly string[];
  context: Record<string, unknown>;
}

const MEMORY_LIMIT = 64 * 1024 * 1024;
const STACK_LIMIT = 1024 * 1024;
const JAVASCRIPT = new Set(['javascript', 'js', 'ecmascript']);

/** The sandbox engine and its deadline helper, loaded on the first script step (most capabilities have none). */
let quickjs: Promise<{ module: QuickJSWASMModule; deadline: (at: number) => InterruptHandler }> | undefined;

/** A path inside `folder`, refusing anything that would leave it. */
function inside(folder: string, file: string, step: string): string {
  const path = resolve(folder, file);
  const rel = relative(folder, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new ScriptError(step, `script \`${file}\` is outside the scripts folder`);
  return path;
}

function read(path: string, step: string, file: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScriptError(step, `cannot read script \`${file}\` (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function evaluate(vm: QuickJSContext, code: string, filename: string, step: string): unknown {
  const r = vm.evalCode(code, filename);
  if (r.error) {
    const error = vm.dump(r.error) as { name?: string; message?: string } | string;
    r.error.dispose();
    const text = typeof error === 'string' ? error : `${error?.name ?? 'Error'}: ${error?.message ?? ''}`;
    throw new ScriptError(step, /interrupted/.test(text) ? `script step \`${step}\` ran out of time` : `script step \`${step}\` failed in ${filename}: ${text}`);
  }
  const value: unknown = vm.dump(r.value);
  r.value.dispose();
  return value;
}

/** Runs one script step and returns its `result` (null when unset). */
export async function runScript(run: ScriptRun, settings: ScriptingSettings, baseDir: string): Promise<unknown> {
  if (!settings.enabled) throw new ScriptError(run.step, `script step \`${run.step}\` cannot run: scripting is disabled`);
  const language = (run.language ?? settings.defaultLanguage ?? 'javascript').toLowerCase();
  if (settings.allowedLanguages && !settings.allowedLanguages.includes(language)) {
    throw new ScriptError(run.step, `script step \`${run.step}\`: language \`${language}\` is not in allowedLanguages`);
  }
  if (!JAVASCRIPT.has(language)) {
    throw new ScriptError(run.step, `script step \`${run.step}\`: language \`${language}\` is not supported; Capstan runs javascript scripts only`);
  }
  const location = run.location ?? settings.defaultLocation;
  const folder = location ? bindFilePath(location, baseDir) : baseDir;
  const sources = [...run.dependencies, run.file].map((file) => ({ file, code: read(inside(folder, file, run.step), run.step, file) }));

  quickjs ??= import('quickjs-emscripten').then(async (q) => ({ module: await q.getQuickJS(), deadline: q.shouldInterruptAfterDeadline }));
  const engine = await quickjs;
  const runtime = engine.module.newRuntime();
  runtime.setMemoryLimit(MEMORY_LIMIT);
  runtime.setMaxStackSize(STACK_LIMIT);
  runtime.setInterruptHandler(engine.deadline(Date.now() + settings.timeoutMs));
  const vm = runtime.newContext();
  try {
    const json = vm.newString(JSON.stringify(run.context));
    vm.setProp(vm.global, '__capstanContext', json);
    json.dispose();
    evaluate(vm, 'var context = JSON.parse(__capstanContext); delete globalThis.__capstanContext;', 'capstan-context.js', run.step);
    for (const { file, code } of sources) evaluate(vm, code, file, run.step);
    const out = evaluate(vm, 'typeof result === "undefined" ? undefined : JSON.stringify(result)', 'capstan-result.js', run.step);
    return typeof out === 'string' ? (JSON.parse(out) as unknown) : null;
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

/** The scripting settings of a capability: its control adapter's `management.scripting`, then `NAFTIKO_SCRIPTING`. */
export function scriptingSettings(graph: CapabilityGraph, env: NodeJS.ProcessEnv): ScriptingSettings {
  const control = graph.adapters.find((a) => a.type === 'control');
  const management = control?.type === 'control' ? (control.spec.management as Record<string, unknown> | undefined) : undefined;
  const s = (management?.scripting ?? {}) as Record<string, unknown>;
  return {
    enabled: s.enabled !== false && env.NAFTIKO_SCRIPTING !== 'false',
    ...(typeof s.defaultLanguage === 'string' ? { defaultLanguage: s.defaultLanguage } : {}),
    ...(typeof s.defaultLocation === 'string' ? { defaultLocation: s.defaultLocation } : {}),
    timeoutMs: typeof s.timeout === 'number' && s.timeout > 0 ? s.timeout : 60_000,
    ...(Array.isArray(s.allowedLanguages) ? { allowedLanguages: s.allowedLanguages.map(String) } : {}),
  };
}
