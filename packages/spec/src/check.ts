/** One call for "load, validate and compile this file": what `capstan validate` and `capstan run` use. */
import { compileSpec } from './compiler/index.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { speakGeneration } from './generations/index.js';
import type { CapabilityGraph } from './graph.js';
import { importHolders, isImportEntry } from './imports.js';
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
 * has an unsupported version, or imports entries it could not read is not compiled: without
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
  if (loaded.kind !== 'capability' || !loaded.document) return false;
  let imports = 0;
  for (const { section, entries } of importHolders(loaded.document.value as Record<string, unknown>)) {
    imports += entries.filter((e) => isImportEntry(e, section) && typeof (e as { location?: unknown }).location === 'string' && typeof (e as { import?: unknown }).import === 'string').length;
  }
  return loaded.imports.length < imports;
}
