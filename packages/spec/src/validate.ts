/**
 * Schema validation with one error per root cause.
 *
 * Ajv reports every failing branch of every `oneOf`/`anyOf`; a spec author needs the errors of
 * the form they evidently meant. For each failing combinator we re-validate the value against
 * each branch (together with the sibling keywords of the combinator), pick the branch by its
 * `type` discriminator or, failing that, by the fewest errors, and report only that branch's
 * errors — recursively, since branches nest.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { addCapstanVocabulary, addFormats, capstanSchema, schemaAt, type SchemaObject } from './schema.js';
import type { PathSegment } from './source.js';

/** One schema violation at one place in the document. */
export interface SchemaFinding {
  path: PathSegment[];
  keyword: string;
  params: Record<string, unknown>;
  /** The subschema object that holds the failing keyword. */
  parentSchema: SchemaObject;
  /** The keyword's value in the schema (e.g. the enum list). */
  schema: unknown;
  /** The offending value. */
  data: unknown;
  /** Ajv's own message, a last resort for keywords we do not phrase ourselves. */
  ajvMessage: string;
}

/** Validates plain values against one schema document and explains failures per root cause. */
export class SchemaValidator {
  private compiled: { ajv: Ajv2020; validateRoot: ValidateFunction } | undefined;
  private source: SchemaObject | (() => SchemaObject);
  private readonly branchCache = new WeakMap<object, Map<string, ValidateFunction>>();
  private readonly reachCache = new WeakMap<object, Set<unknown>>();

  /**
   * `precheck`, when given, must accept exactly the values `schema` accepts (the generated check of
   * `precompiled.ts`): a value it accepts needs no Ajv; the schema is compiled on the first value it
   * rejects, to find and explain the errors. The schema may be given as a function, called then:
   * with a precheck, a process whose documents are all valid never holds the schema's objects.
   */
  constructor(schema: SchemaObject | (() => SchemaObject) = capstanSchema(), private readonly precheck?: (value: unknown) => boolean) {
    this.source = schema;
  }

  /** The schema validated against. */
  get schema(): SchemaObject {
    if (typeof this.source === 'function') this.source = this.source();
    return this.source;
  }

  private get rootId(): string {
    return String(this.schema.$id);
  }

  private get ajv(): Ajv2020 {
    return this.compile().ajv;
  }

  private compile(): { ajv: Ajv2020; validateRoot: ValidateFunction } {
    if (this.compiled) return this.compiled;
    // strict: false because synthetic branch schemas are fragments; the published schema itself
    // is compiled under strict mode in the test suite.
    // Ajv is required here, on the first value the precheck rejects (or the first check without
    // one), so a process whose documents are all valid never loads it.
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    addCapstanVocabulary(ajv);
    addFormats(ajv);
    ajv.addSchema(this.schema);
    this.compiled = { ajv, validateRoot: ajv.getSchema(this.rootId)! };
    return this.compiled;
  }

  /** Validates a whole document; returns one finding per root cause, in document order. */
  validate(value: unknown): SchemaFinding[] {
    if (this.precheck?.(value)) return [];
    return this.explain(this.compile().validateRoot, value, []);
  }

  /** Validates `value` against the definition `$defs/<name>`. */
  validateDefinition(name: string, value: unknown): SchemaFinding[] {
    const fn = this.ajv.getSchema(`${this.rootId}#/$defs/${name}`);
    if (!fn) throw new Error(`no definition ${name} in the schema`);
    return this.explain(fn, value, []);
  }

  private explain(validate: ValidateFunction, value: unknown, base: PathSegment[]): SchemaFinding[] {
    if (validate(value)) return [];
    let findings = (validate.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => toFinding(e, value, base));
    // Outermost first: by path, then, at one path, a combinator before those its branches contain
    // (a variant's own `oneOf` must be explained inside the variant, not instead of it).
    const found = findings.filter((f) => f.keyword === 'oneOf' || f.keyword === 'anyOf');
    const encloses = (a: SchemaFinding, b: SchemaFinding) => this.reachable(a.schema as unknown[]).has(b.parentSchema);
    const combinators = found
      .map((c) => ({ c, inner: found.filter((o) => o !== c && o.path.length === c.path.length && encloses(c, o)).length }))
      .sort((a, b) => a.c.path.length - b.c.path.length || b.inner - a.inner)
      .map((x) => x.c);
    for (const combinator of combinators) {
      // Already replaced by an enclosing combinator's explanation.
      if (!findings.includes(combinator)) continue;
      const replacement = this.explainCombinator(combinator, valueAt(value, combinator.path.slice(base.length)));
      // Drop what the combinator's branches (and its sibling keywords, re-checked per branch) reported;
      // keep findings of other schemas that apply to the same place (e.g. siblings of an `allOf`).
      const owned = this.reachable(combinator.schema as unknown[]);
      findings = findings
        .filter((f) => f !== combinator && !(isPrefix(combinator.path, f.path) && (owned.has(f.parentSchema) || f.parentSchema === combinator.parentSchema)))
        .concat(replacement);
    }
    return dedupe(findings);
  }

  /** Every schema object reachable from `roots`, following `$ref`s into the root schema. */
  private reachable(roots: unknown[]): Set<unknown> {
    let found = this.reachCache.get(roots);
    if (found) return found;
    found = new Set<unknown>();
    const stack: unknown[] = [...roots];
    while (stack.length > 0) {
      const node = stack.pop();
      if (!node || typeof node !== 'object' || found.has(node)) continue;
      found.add(node);
      for (const [key, v] of Object.entries(node as SchemaObject)) {
        if (key === '$ref' && typeof v === 'string') stack.push(schemaAt(this.schema, v.slice(v.indexOf('#') + 1)));
        else if (v && typeof v === 'object') stack.push(...(Array.isArray(v) ? v : key === 'properties' || key === '$defs' || key === 'patternProperties' ? Object.values(v) : [v]));
      }
    }
    this.reachCache.set(roots, found);
    return found;
  }

  private explainCombinator(c: SchemaFinding, value: unknown): SchemaFinding[] {
    const branches = c.schema as unknown[];
    if (c.keyword === 'oneOf' && Array.isArray(c.params.passingSchemas)) {
      return [{ ...c, keyword: 'oneOf-ambiguous' }];
    }
    let candidates = branches.map((_, i) => i);
    const discriminator = this.discriminate(branches, value);
    if (discriminator.kind === 'none-match') {
      return [{
        path: [...c.path, 'type'], keyword: 'enum', params: { allowedValues: discriminator.allowed },
        parentSchema: c.parentSchema, schema: discriminator.allowed, data: (value as Record<string, unknown>).type,
        ajvMessage: 'must be equal to one of the allowed values',
      }];
    }
    if (discriminator.kind === 'match') candidates = discriminator.indices;
    let best: SchemaFinding[] | undefined;
    let bestScore = Infinity;
    for (const i of candidates) {
      const findings = this.explain(this.branchValidator(c, i), value, c.path);
      if (findings.length === 0) return [];
      // A branch that needs keys the value lacks, or does not know keys the value has, is unlikely
      // to be the one meant; then fewest errors wins; among equals, the branch whose errors sit
      // deepest (the document got furthest).
      const misfit = findings.filter((f) => f.path.length === c.path.length && (f.keyword === 'required' || f.keyword === 'additionalProperties' || f.keyword === 'unevaluatedProperties')).length;
      // A branch for another kind of value (a string form for a mapping) is the least likely of all.
      const otherKind = findings.some((f) => f.path.length === c.path.length && f.keyword === 'type') ? 1_000_000 : 0;
      const depth = findings.reduce((sum, f) => sum + f.path.length, 0) / findings.length;
      const score = otherKind + misfit * 10_000 + findings.length * 100 - depth;
      if (score < bestScore) {
        best = findings;
        bestScore = score;
      }
    }
    return best ?? [c];
  }

  /** A validator for "the combinator's parent schema, with the combinator replaced by branch i". */
  private branchValidator(c: SchemaFinding, index: number): ValidateFunction {
    let byBranch = this.branchCache.get(c.parentSchema);
    if (!byBranch) this.branchCache.set(c.parentSchema, (byBranch = new Map()));
    const key = `${c.keyword}:${index}`;
    let fn = byBranch.get(key);
    if (!fn) {
      const { [c.keyword]: combinator, allOf, $id: _id, $schema: _schema, $defs: _defs, ...rest } = c.parentSchema;
      const branch = (combinator as unknown[])[index];
      const synthetic = this.absolutizeRefs({ ...rest, allOf: [...((allOf as unknown[]) ?? []), branch] }) as SchemaObject;
      fn = this.ajv.compile(synthetic);
      byBranch.set(key, fn);
    }
    return fn;
  }

  private absolutizeRefs(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.absolutizeRefs(n));
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node as SchemaObject).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${this.rootId}${v}` : this.absolutizeRefs(v),
      ]),
    );
  }

  /** Which branches a `type` value selects, when the branches declare `type` constants. */
  private discriminate(branches: unknown[], value: unknown):
    | { kind: 'none' }
    | { kind: 'match'; indices: number[] }
    | { kind: 'none-match'; allowed: string[] } {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'none' };
    const type = (value as Record<string, unknown>).type;
    if (typeof type !== 'string') return { kind: 'none' };
    const allowedPerBranch = branches.map((b) => this.typeConstants(b, 0));
    if (allowedPerBranch.every((a) => a === undefined)) return { kind: 'none' };
    const indices = allowedPerBranch.flatMap((a, i) => (a === undefined || a.includes(type) ? [i] : []));
    if (indices.length > 0) return { kind: 'match', indices };
    return { kind: 'none-match', allowed: [...new Set(allowedPerBranch.flatMap((a) => a ?? []))] };
  }

  /** The constants a branch allows for `type`, looking through `$ref` and `allOf`. */
  private typeConstants(node: unknown, depth: number): string[] | undefined {
    if (!node || typeof node !== 'object' || depth > 6) return undefined;
    const s = node as SchemaObject;
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) return this.typeConstants(schemaAt(this.schema, s.$ref.slice(1)), depth + 1);
    const typeSchema = (s.properties as SchemaObject | undefined)?.type as SchemaObject | undefined;
    if (typeSchema && 'const' in typeSchema) return [String(typeSchema.const)];
    if (typeSchema && Array.isArray(typeSchema.enum)) return typeSchema.enum.map(String);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = s[key];
      if (!Array.isArray(list)) continue;
      const found = list.map((b) => this.typeConstants(b, depth + 1));
      if (key === 'allOf') {
        const first = found.find((f) => f !== undefined);
        if (first) return first;
      } else if (found.every((f) => f !== undefined)) {
        return found.flat() as string[];
      }
    }
    return undefined;
  }
}

function toFinding(e: ErrorObject, root: unknown, base: PathSegment[]): SchemaFinding {
  return {
    path: [...base, ...pointerToPath(e.instancePath, root)],
    keyword: e.keyword,
    params: e.params as Record<string, unknown>,
    parentSchema: (e.parentSchema ?? {}) as SchemaObject,
    schema: e.schema,
    data: e.data,
    ajvMessage: e.message ?? e.keyword,
  };
}

/** Turns an Ajv instance path into segments, with numbers where the value is an array. */
function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (!pointer) return [];
  const path: PathSegment[] = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function valueAt(root: unknown, path: PathSegment[]): unknown {
  let node = root;
  for (const segment of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[segment as string] : undefined;
  return node;
}

function isPrefix(prefix: PathSegment[], path: PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

function dedupe(findings: SchemaFinding[]): SchemaFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path.join('/')}|${f.keyword}|${JSON.stringify(f.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
