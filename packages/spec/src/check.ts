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

/**
 * Loads, validates and compiles one capability file in one pass: schema and compiler findings
 * are reported together (a typo'd key does not hide a bad `call`). A file that does not parse,
 * has an unsupported version, or imports consumes it could not read is not compiled: without
 * the imported operations every reference to them would be reported again.
 */
export function checkSpec(file: string, options: LoadOptions = {}): CheckResult {
  const loaded = loadSpec(file, options);
  if (!loaded.document || importsFailed(loaded)) return { loaded, diagnostics: loaded.diagnostics };
  const compiled = compileSpec(loaded, options);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...speakGeneration(loaded.generation, compiled.diagnostics)]);
  return compiled.graph && !hasErrors(diagnostics) ? { loaded, graph: compiled.graph, diagnostics } : { loaded, diagnostics };
}

/** True when an import entry (`location` + `import`) of the capability found nothing to import. */
function importsFailed(loaded: LoadedSpec): boolean {
  if (loaded.kind !== 'capability') return false;
  const capability = (loaded.document?.value as { capability?: { consumes?: unknown } }).capability;
  const entries: Array<{ location?: unknown; import?: unknown } | undefined> = Array.isArray(capability?.consumes) ? capability.consumes : [];
  const imports = entries.filter((e) => typeof e?.location === 'string' && typeof e?.import === 'string').length;
  return loaded.imports.length < imports;
}
