/**
 * What every section compiler shares: the document, the findings, the namespaces claimed so far,
 * the consumed operations and aggregate functions compiled so far, and the names templates may read.
 */
import type { ResiliencePolicy } from '../resilience-policy.js';
import type { Diagnostic } from '../diagnostics.js';
import { OriginFactory } from './origins.js';
import type { AggregateFunctionNode, ConsumedApi, ConsumedOperation, ConsumedParam, Origin } from '../graph.js';
import type { LoadedSpec } from '../loader.js';
import type { PathSegment, SourceDocument } from '../source.js';

/**
 * A place in a source document. The compiler makes one for nearly every node it reads, and few
 * are ever reported or become an origin: the path is made on first read, from the parent's.
 */
export class At {
  #path: PathSegment[] | undefined;

  constructor(readonly doc: SourceDocument, private readonly parent: At | undefined, private readonly segments: readonly PathSegment[]) {}

  /** Keys and indices from the document's root (do not modify: it is shared with the places below). */
  get path(): readonly PathSegment[] {
    return (this.#path ??= this.parent ? [...this.parent.path, ...this.segments] : [...this.segments]);
  }
}
export const at = (doc: SourceDocument, path: readonly PathSegment[]): At => new At(doc, undefined, path);
export const child = (a: At, ...segments: PathSegment[]): At => new At(a.doc, a, segments);

/** Optional parts of a finding. */
export interface FindingExtra {
  expected?: string;
  fix?: string;
}

/** The state of one compilation. */
export class CompileContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly doc: SourceDocument;
  readonly consumes = new Map<string, ConsumedApi>();
  readonly aggregates = new Map<string, AggregateFunctionNode>();
  /** Names templates may read; `caller` and `credential` belong to the request context (identity/caller.ts). */
  readonly knownNames = new Set<string>(['caller', 'credential']);
  /** Templates to check once every name is known. */
  readonly templates: Array<{ template: string; at: At }> = [];
  /** Per consumed operation, the names its request reads (computed once). */
  readonly inputNamesCache = new Map<ConsumedOperation, string[]>();
  /** Namespaces of imports that failed (already reported): calls into them are not reported again. */
  readonly failedImports = new Set<string>();
  private readonly namespaces = new Map<string, { kind: string; at: At }>();
  /** `capability.resiliency`, under every consumed API's own (set before the consumes are compiled). */
  capabilityPolicy: ResiliencePolicy | undefined;
  /** Makes every node's origin; the graph's documents are released through it (origins.ts). */
  readonly origins = new OriginFactory();

  constructor(readonly loaded: LoadedSpec) {
    this.doc = loaded.document!;
  }

  /** The adapter-level parameters of a consumed API (none for an unknown namespace). */
  readonly apiParams = (namespace: string): readonly ConsumedParam[] => this.consumes.get(namespace)?.inputParameters ?? [];

  report(severity: 'error' | 'warning', where: At, part: 'key' | 'value', code: string, message: string, extra: FindingExtra = {}): void {
    this.diagnostics.push({ file: where.doc.file, ...where.doc.locate(where.path, part), severity, code, message, ...extra, path: [...where.path] });
  }

  /** Positions are computed on first read: locating needs the syntax tree, which is built lazily. */
  origin(where: At): Origin {
    return this.origins.origin(where.doc, where.path);
  }

  /** Namespaces are unique across consumes, exposes, binds and aggregates. */
  claimNamespace(namespace: string, kind: string, where: At): void {
    const previous = this.namespaces.get(namespace);
    if (previous) {
      const span = previous.at.doc.locate(previous.at.path);
      // References are resolved per kind (`call` in consumes, `ref` in aggregates, skill sources in
      // exposes), so only a clash within one kind makes a reference ambiguous.
      const sameKind = previous.kind.split(' ')[0] === kind.split(' ')[0] || (previous.kind.endsWith('adapter') && kind.endsWith('adapter'));
      this.report(sameKind ? 'error' : 'warning', where, 'value', 'duplicate-namespace', `namespace \`${namespace}\` is already used by the ${previous.kind} at ${previous.at.doc.file}:${span.line}`, {
        expected: 'namespaces unique across consumes, exposes, binds and aggregates',
        fix: `rename one of the two, e.g. \`${namespace}-${kind.split(' ')[0]}\``,
      });
      return;
    }
    this.namespaces.set(namespace, { kind, at: where });
  }

  /** Queues every string inside a value as a template to check. */
  collectTemplates(value: unknown, where: At): void {
    if (typeof value === 'string') this.templates.push({ template: value, at: where });
    else if (Array.isArray(value)) value.forEach((v, i) => this.collectTemplates(v, child(where, i)));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) this.collectTemplates(v, child(where, k));
  }
}
