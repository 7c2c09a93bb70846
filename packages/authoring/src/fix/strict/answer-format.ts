/**
 * `fix --strict` for `answer-format`: an `outputRawFormat` outside the official list (`text`,
 * `binary`, a misspelling). No official format reads a body as one string or as raw bytes, so
 * the key is commented out as a strict removal: the answer is read as JSON, the default. An
 * answer that no exposed output maps passes through as the upstream sent it either way; the
 * reference engine refuses an unknown format wherever outputs map it, as JSON parsing refuses a
 * body that is not JSON.
 */
import type { CapabilityGraph, Handler, OutputParam } from '@capstan/spec';
import { scalar } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';
import { commentOutStrict } from './removed.js';

/** A lone `type: object` output of the whole answer: plain `fix` removes it (the answer then passes through). */
const wholeAnswer = (outputs: readonly OutputParam[]): boolean =>
  outputs.length === 1 && outputs[0]!.type === 'object' && /^\$\.?$/.test(outputs[0]!.mapping?.trim() ?? '') && !outputs[0]!.properties && !outputs[0]!.items && !outputs[0]!.values;

/** How many exposed units read the converted answer of `namespace.operation` (outputs map it, or a step calls it). */
function readersOf(graph: CapabilityGraph | undefined, namespace: string, operation: string): number {
  const calls = (op: { namespace: string; name: string }) => op.namespace === namespace && op.name === operation;
  const reads = (h: Handler): boolean => {
    if (h.kind === 'ref') return reads(h.fn.handler);
    if (h.kind === 'call') return calls(h.operation) && h.outputs.length > 0 && !wholeAnswer(h.outputs);
    return h.kind === 'steps' && h.steps.some((s) => s.kind === 'call' && calls(s.operation));
  };
  const handlers = (graph?.adapters ?? []).flatMap((a): Array<Handler | undefined> => {
    if (a.type === 'rest') return a.resources.flatMap((r) => r.operations.map((o) => o.handler));
    return a.type === 'mcp' ? [...a.tools.map((t) => t.handler), ...a.resources.map((r) => (r.source.kind === 'dynamic' ? r.source.handler : undefined))] : [];
  });
  return handlers.filter((h) => h && reads(h)).length;
}

export const unknownAnswerFormat: StrictRewrite = (editor, path, _d, compiled) => {
  const opPath = path.at(-1) === 'outputRawFormat' ? path.slice(0, -1) : path;
  const format = scalar(editor, opPath, 'outputRawFormat');
  const namespace = scalar(editor, opPath.slice(0, 3), 'namespace');
  const operation = scalar(editor, opPath, 'name');
  if (!format || !namespace || !operation) return 'no `outputRawFormat` of a named consumed operation found there';
  const readers = readersOf(compiled.graph, namespace, operation);
  commentOutStrict(editor, [...opPath, 'outputRawFormat'], 'answer-format');
  if (format.toLowerCase() === 'binary') {
    const mapped = readers ? `; the ${readers} exposed unit(s) with outputs now read it as JSON (a body that is not JSON answers 502)` : '';
    return { change: `the answer is no longer binary (\`binary\` is official in beta5: \`capstan upgrade\` keeps it): it passes through without the binary size cap, as text rather than a binary block over MCP, without \`format: binary\` in OpenAPI${mapped}` };
  }
  if (!readers) return { change: 'nothing Capstan serves changes: no exposed output maps this answer, so it passes through as the upstream sent it (it would now be read as JSON, the default)' };
  return { change: `the answer is read as JSON, the default: where ${readers} exposed unit(s) map it, a body that is not JSON now answers 502 (bad-format) instead of being read as one string` };
};
