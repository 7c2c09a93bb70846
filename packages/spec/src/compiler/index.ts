/**
 * Compiler: a loaded capability → an immutable operation graph, checking what a schema cannot
 * (references, namespaces, ports, parameter sources, template variables), each finding positioned
 * in the file that declared it. One module per section of the document; this one orders them.
 */
import type { Diagnostic } from '../diagnostics.js';
import { hasErrors, promoteWarnings, sortDiagnostics } from '../diagnostics.js';
import type { AdapterNode, CapabilityGraph } from '../graph.js';
import { addForwardedBodyInputs, markForwardingOperations } from '../implicit-body.js';
import type { LoadedSpec } from '../loader.js';
import { applyFedRules } from '../required-inputs.js';
import { compileAdapter } from './adapters.js';
import { compileAggregate } from './aggregates.js';
import { compileBinds } from './binds.js';
import { compileConsumes } from './consumes.js';
import { cascadeResiliency } from './resilience.js';
import { at, child, CompileContext } from './context.js';
import { trackOrigins } from './origins.js';
import { list, section, sections, str, type AdapterSection, type AggregateSection, type CapabilitySection, type ConsumesSection, type DocumentRoot, type InfoSection } from './document.js';
import { sectionEntries } from './imported.js';
import { checkPorts } from './ports.js';
import { checkSkills } from './skill.js';
import { checkTemplates } from './template-check.js';

/** Options for compiling. */
export interface CompileOptions {
  /** Report warnings as errors. */
  strict?: boolean;
}

/** A compiled capability (absent when there were errors) and the compiler's findings. */
export interface CompileResult {
  graph?: CapabilityGraph;
  diagnostics: Diagnostic[];
}

/** Compiles a loaded spec. Run only on a spec whose loading produced no errors. */
export function compileSpec(loaded: LoadedSpec, options: CompileOptions = {}): CompileResult {
  if (!loaded.document) return { diagnostics: [] };
  const ctx = new CompileContext(loaded);
  const graph = compile(ctx);
  let diagnostics = ctx.diagnostics;
  if (options.strict) diagnostics = promoteWarnings(diagnostics);
  sortDiagnostics(diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  trackOrigins(graph, ctx.origins);
  return { graph: deepFreeze(graph), diagnostics };
}

function compile(ctx: CompileContext): CapabilityGraph {
  const { doc, loaded } = ctx;
  const root = section<DocumentRoot>(doc.value);
  const capability = section<CapabilitySection>(root.capability);
  const binds = [
    ...compileBinds(ctx, root.binds, ['binds'], 'root'),
    ...compileBinds(ctx, capability.binds, ['capability', 'binds'], 'capability'),
  ];
  const isCapability = loaded.kind === 'capability';
  ctx.capabilityPolicy = cascadeResiliency(capability as Record<string, unknown>, undefined);
  const consumesBase = isCapability ? ['capability', 'consumes'] : ['consumes'];
  if (isCapability) {
    for (const { entry, where, namespaceAt } of sectionEntries<ConsumesSection>(ctx, 'consumes', capability.consumes, ['capability', 'consumes'])) compileConsumes(ctx, entry, where, namespaceAt);
  } else {
    for (const [entry, i] of sections<ConsumesSection>(root.consumes)) {
      const entryAt = at(doc, ['consumes', i]);
      compileConsumes(ctx, entry, entryAt, child(entryAt, 'namespace'));
    }
  }
  ctx.diagnostics.push(...markForwardingOperations(ctx.consumes));
  for (const { entry, where, namespaceAt } of sectionEntries<AggregateSection>(ctx, 'aggregates', capability.aggregates, ['capability', 'aggregates'])) compileAggregate(ctx, entry, where, namespaceAt);
  const adapters: AdapterNode[] = [];
  const exposeIndex: number[] = [];
  for (const { entry: adapter, where, namespaceAt, index: i } of sectionEntries<AdapterSection>(ctx, 'exposes', capability.exposes, ['capability', 'exposes'])) {
    const node = compileAdapter(ctx, adapter, where, namespaceAt);
    if (!node) continue;
    adapters.push(node);
    exposeIndex.push(i);
  }
  if (isCapability && ![capability.exposes, capability.consumes, capability.aggregates].some((s) => list(s).length)) {
    // The reference engine refuses it too ("Capability must expose at least one endpoint").
    ctx.report('error', at(doc, ['capability']), 'key', 'nothing-to-run', '`capability` declares no `exposes`, `consumes` or `aggregates`: there is nothing to run', {
      fix: 'add an `exposes` adapter (rest, mcp, skill or control) and the `consumes` APIs it calls',
    });
  }
  addForwardedBodyInputs(adapters);
  applyFedRules(adapters, ctx.apiParams);
  checkPorts(ctx, adapters, exposeIndex);
  checkSkills(ctx, adapters, exposeIndex);
  // A shared consumes file gets its variables from the capability that imports it.
  if (loaded.kind !== 'consumes') checkTemplates(ctx);
  const info = section<InfoSection>(root.info);
  const label = str(info.label ?? info.title);
  return {
    file: loaded.file,
    specVersion: String(root.naftiko),
    info: {
      ...(label ? { label } : {}),
      ...(str(info.description) ? { description: str(info.description)! } : {}),
      tags: list(info.tags).map(String),
    },
    binds,
    consumes: ctx.consumes,
    adapters,
    aggregates: ctx.aggregates,
  };
}

/**
 * Freezes a graph. Already-frozen objects (lazy origins, shared nodes) are not entered, so getters
 * never run. Strings are copied on the way: the parser's strings are slices of the source text,
 * and V8 keeps a whole file's text alive for as long as any slice of it lives.
 */
function deepFreeze<T>(value: T): T {
  if (Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    // By index: `for…in` over an array walks string keys, several times slower.
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') {
        if (v.length >= OWN_COPY_LENGTH) value[i] = ownCopy(v);
      } else if (v && typeof v === 'object') deepFreeze(v);
    }
  } else if (value instanceof Map) {
    for (const [k, v] of value) value.set(k, typeof v === 'string' ? ownCopy(v) : deepFreeze(v));
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const v = record[key];
      // Only the strings copied are written back, and only objects are entered.
      if (typeof v === 'string') {
        if (v.length >= OWN_COPY_LENGTH) record[key] = ownCopy(v);
      } else if (v && typeof v === 'object') deepFreeze(v);
    }
  }
  return Object.freeze(value);
}

/** V8 copies slices shorter than this anyway (only longer ones point into their parent). */
const OWN_COPY_LENGTH = 13;

/** A string that shares no memory with the text it was sliced from. */
function ownCopy(text: string): string {
  return text.length < OWN_COPY_LENGTH ? text : ` ${text}`.slice(1);
}
