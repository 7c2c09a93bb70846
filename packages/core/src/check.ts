/** One call for "load, validate and compile this file": what `capstan validate` and `capstan run` use. */
import { compileSpec } from './compiler/index.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { speakGeneration } from './generations/index.js';
import type { CapabilityGraph } from './graph.js';
import { loadSpec, type LoadedSpec, type LoadOptions } from './loader.js';

/** The result of checking one file: its graph when it compiled, and every diagnostic. */
export interface CheckResult {
  loaded: LoadedSpec;
  graph?: CapabilityGraph;
  diagnostics: Diagnostic[];
}

/** Loads, validates and (when loading found no error) compiles one capability file. */
export function checkSpec(file: string, options: LoadOptions = {}): CheckResult {
  const loaded = loadSpec(file, options);
  if (hasErrors(loaded.diagnostics)) return { loaded, diagnostics: loaded.diagnostics };
  const compiled = compileSpec(loaded, options);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...speakGeneration(loaded.generation, compiled.diagnostics)]);
  return compiled.graph ? { loaded, graph: compiled.graph, diagnostics } : { loaded, diagnostics };
}
