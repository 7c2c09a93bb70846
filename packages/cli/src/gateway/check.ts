/** Loads, validates and compiles every capability file; any error stops everything. */
import { checkSpec, releaseSource, type Diagnostic } from '@capstan/spec';
import { GatewayError, type Loaded } from './types.js';

/** The capabilities of `files`, or a GatewayError with every diagnostic (warnings too). */
export function checkAll(files: string[]): { loaded: Loaded[]; warnings: Array<{ diagnostic: Diagnostic; source?: string }> } {
  const problems: Array<{ diagnostic: Diagnostic; source?: string }> = [];
  const loaded: Loaded[] = [];
  for (const file of files) {
    const result = checkSpec(file);
    for (const d of result.diagnostics) problems.push({ diagnostic: d, ...(result.loaded.sources.has(d.file) ? { source: result.loaded.sources.get(d.file)! } : {}) });
    if (!result.graph) continue;
    // The diagnostics are out: the graph need not keep its parsed documents (positions are re-read on demand).
    releaseSource(result.graph);
    if (result.loaded.kind === 'capability') loaded.push({ file, graph: result.graph });
  }
  const errors = problems.filter((p) => p.diagnostic.severity === 'error');
  if (errors.length) throw new GatewayError(`${errors.length} error${errors.length > 1 ? 's' : ''} in the capability files; nothing was started`, problems);
  if (loaded.length === 0) throw new GatewayError('no capability document among the files given (shared consumes files are only imported)', problems);
  return { loaded, warnings: problems };
}
