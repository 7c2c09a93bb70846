/**
 * Compiler: a loaded, schema-valid capability → an immutable operation graph, checking what a
 * schema cannot (references, namespaces, ports, parameter sources, template variables), each
 * finding positioned in the file that declared it.
 */
import { dirname } from 'node:path';
import type { Diagnostic, SourceSpan } from './diagnostics.js';
import { hasErrors, promoteWarnings, sortDiagnostics } from './diagnostics.js';
import type {
  AdapterNode, AggregateFunctionNode, AuthSpec, BindNode, CapabilityGraph, ConsumedApi, ConsumedOperation, ConsumedOutput,
  ConsumedParam, ExposedParam, Handler, HttpMethod, McpAdapterNode, McpPromptNode, McpResourceNode, McpToolNode, Origin,
  OutputFormat, OutputParam, RequestBodySpec, RestAdapterNode, RestOperationNode, RestResourceNode, StepMapping, StepNode,
  ToolHints, ToolParam, WithMap, WithValue,
} from './graph.js';
import { addForwardedBodyInputs, markForwardingOperations } from './implicit-body.js';
import type { LoadedSpec } from './loader.js';
import { requireFedInputs } from './required-inputs.js';
import type { PathSegment, SourceDocument } from './source.js';
import { closest, quoteList } from './suggest.js';
import { pathPlaceholders, templateVariables } from './templates.js';

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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A place in a source document. */
interface At {
  doc: SourceDocument;
  path: PathSegment[];
}
const at = (doc: SourceDocument, path: PathSegment[]): At => ({ doc, path });
const child = (a: At, ...segments: PathSegment[]): At => ({ doc: a.doc, path: [...a.path, ...segments] });

/** What an exposed unit's `with` may reference: its adapter and its declared inputs. */
interface InputScope {
  /** Namespace prefixes that mean "the caller's input" (the adapter or aggregate namespace, and the de-facto alias). */
  namespace: string;
  defactoPrefix?: 'rest' | 'tools';
  /** Declared input names; undefined when the unit declares none (then inputs are free-form). */
  inputs?: readonly string[];
  /**
   * For a REST operation that declares no inputs: turns a `with` reference to an undeclared
   * input into an implied parameter shaped like the consumed parameter it feeds. True when done.
   */
  imply?: (name: string, feeds: ConsumedParam | undefined) => boolean;
}

/** Compiles a loaded spec. Run only on a spec whose loading produced no errors. */
export function compileSpec(loaded: LoadedSpec, options: CompileOptions = {}): CompileResult {
  if (!loaded.document) return { diagnostics: [] };
  const compiler = new Compiler(loaded);
  const graph = compiler.compile();
  let diagnostics = compiler.diagnostics;
  if (options.strict) diagnostics = promoteWarnings(diagnostics);
  sortDiagnostics(diagnostics);
  return hasErrors(diagnostics) ? { diagnostics } : { graph: deepFreeze(graph), diagnostics };
}

class Compiler {
  readonly diagnostics: Diagnostic[] = [];
  private readonly doc: SourceDocument;
  private readonly consumes = new Map<string, ConsumedApi>();
  private readonly aggregates = new Map<string, AggregateFunctionNode>();
  private readonly namespaces = new Map<string, { kind: string; at: At }>();
  /** Every name a template may legitimately read, capability-wide. */
  private readonly knownNames = new Set<string>();
  /** Templates to check once every name is known. */
  private readonly templates: Array<{ template: string; at: At }> = [];
  private readonly inputNamesCache = new Map<ConsumedOperation, string[]>();

  constructor(private readonly loaded: LoadedSpec) {
    this.doc = loaded.document!;
  }

  compile(): CapabilityGraph {
    const root = this.doc.value as Obj;
    const capability = isObj(root.capability) ? root.capability : {};
    const binds = [
      ...this.compileBinds(root.binds, at(this.doc, ['binds']), 'root'),
      ...this.compileBinds(capability.binds, at(this.doc, ['capability', 'binds']), 'capability'),
    ];
    const consumesList = this.loaded.kind === 'consumes' ? root.consumes : capability.consumes;
    const consumesBase = this.loaded.kind === 'consumes' ? ['consumes'] : ['capability', 'consumes'];
    list(consumesList).forEach((entry, i) => {
      const imported = this.loaded.imports.find((imp) => imp.index === i && this.loaded.kind === 'capability');
      if (imported) {
        const entryAt = at(imported.source, imported.sourcePath);
        const nsAt = isObj(entry) && 'as' in entry ? at(this.doc, [...consumesBase, i, 'as']) : at(this.doc, [...consumesBase, i, 'import']);
        this.compileConsumes(imported.entry, entryAt, nsAt);
      } else if (isObj(entry) && !('location' in entry)) {
        const entryAt = at(this.doc, [...consumesBase, i]);
        this.compileConsumes(entry, entryAt, child(entryAt, 'namespace'));
      }
    });
    this.diagnostics.push(...markForwardingOperations(this.consumes));
    list(capability.aggregates).forEach((agg, a) => this.compileAggregate(agg as Obj, at(this.doc, ['capability', 'aggregates', a])));
    const adapters = list(capability.exposes).flatMap((adapter, i) => {
      const node = this.compileAdapter(adapter as Obj, at(this.doc, ['capability', 'exposes', i]));
      return node ? [node] : [];
    });
    addForwardedBodyInputs(adapters);
    requireFedInputs(adapters, (ns) => this.consumes.get(ns)?.inputParameters ?? []);
    this.checkPorts(adapters);
    this.checkSkills(adapters);
    this.checkTemplates();
    const info = isObj(root.info) ? root.info : {};
    return {
      file: this.loaded.file,
      specVersion: String(root.naftiko),
      info: {
        ...(str(info.label ?? info.title) ? { label: str(info.label ?? info.title)! } : {}),
        ...(str(info.description) ? { description: str(info.description)! } : {}),
        tags: list(info.tags).map(String),
      },
      binds,
      consumes: this.consumes,
      adapters,
      aggregates: this.aggregates,
    };
  }

  // ---- diagnostics -------------------------------------------------------------------------

  private report(severity: 'error' | 'warning', where: At, part: 'key' | 'value', code: string, message: string, extra: { expected?: string; fix?: string } = {}): void {
    this.diagnostics.push({ file: where.doc.file, ...where.doc.locate(where.path, part), severity, code, message, ...extra });
  }

  /** Positions are computed on first read: locating needs the syntax tree, which is built lazily. */
  private origin(where: At): Origin {
    let span: SourceSpan | undefined;
    const get = () => (span ??= where.doc.locate(where.path));
    return Object.freeze({
      file: where.doc.file,
      get line() {
        return get().line;
      },
      get column() {
        return get().column;
      },
    });
  }

  private claimNamespace(namespace: string, kind: string, where: At): void {
    const previous = this.namespaces.get(namespace);
    if (previous) {
      const span = previous.at.doc.locate(previous.at.path);
      this.report('error', where, 'value', 'duplicate-namespace', `namespace \`${namespace}\` is already used by the ${previous.kind} at ${previous.at.doc.file}:${span.line}`, {
        expected: 'namespaces unique across consumes, exposes, binds and aggregates',
        fix: `rename one of the two, e.g. \`${namespace}-${kind.split(' ')[0]}\``,
      });
      return;
    }
    this.namespaces.set(namespace, { kind, at: where });
  }

  // ---- binds -------------------------------------------------------------------------------

  private compileBinds(value: unknown, base: At, scope: 'root' | 'capability'): BindNode[] {
    return list(value).map((raw, i) => {
      const b = raw as Obj;
      const where = child(base, i);
      this.claimNamespace(String(b.namespace), 'bind', child(where, 'namespace'));
      const keys = isObj(b.keys) ? (Object.fromEntries(Object.entries(b.keys).map(([k, v]) => [k, String(v)])) as Record<string, string>) : {};
      if (Object.keys(keys).length === 0) {
        this.report('error', child(where, 'keys'), 'key', 'empty-bind', `bind \`${String(b.namespace)}\` declares no keys`, { fix: 'add at least one `VARIABLE_NAME: provider-key` entry under `keys`' });
      }
      for (const name of Object.keys(keys)) {
        this.knownNames.add(name);
        this.knownNames.add(`${String(b.namespace)}.${name}`);
      }
      return {
        namespace: String(b.namespace),
        ...(str(b.location) ? { location: str(b.location)! } : {}),
        baseDir: dirname(this.doc.absPath),
        keys,
        scope,
        origin: this.origin(where),
      };
    });
  }

  // ---- consumes ----------------------------------------------------------------------------

  private compileConsumes(entry: Obj, where: At, namespaceAt: At): void {
    const namespace = String(entry.namespace);
    this.claimNamespace(namespace, 'consumes entry', namespaceAt);
    let baseUri = String(entry.baseUri);
    if (baseUri.endsWith('/')) {
      this.report('warning', child(where, 'baseUri'), 'value', 'baseuri-trailing-slash', `\`baseUri\` ends with \`/\`; Capstan removes it (the reference engine refuses to load such a file)`, {
        fix: `write \`${baseUri.replace(/\/+$/, '')}\``,
      });
      baseUri = baseUri.replace(/\/+$/, '');
    }
    const adapterParams = this.consumedParams(entry.inputParameters, child(where, 'inputParameters'));
    const operations = new Map<string, ConsumedOperation>();
    list(entry.resources).forEach((rawRes, r) => {
      const res = rawRes as Obj;
      const resAt = child(where, 'resources', r);
      const path = String(res.path ?? '');
      if (path.includes('?')) {
        this.report('warning', child(resAt, 'path'), 'value', 'query-in-path', 'a consumed resource `path` should not carry a query string', { fix: 'declare query parameters as `inputParameters` with `in: query`' });
      }
      const resourceParams = this.consumedParams(res.inputParameters, child(resAt, 'inputParameters'));
      list(res.operations).forEach((rawOp, o) => {
        const op = rawOp as Obj;
        const opAt = child(resAt, 'operations', o);
        const name = String(op.name);
        if (operations.has(name)) {
          this.report('warning', child(opAt, 'name'), 'value', 'duplicate-operation', `operation \`${name}\` is declared twice in \`${namespace}\`; \`call: ${namespace}.${name}\` reaches the first one`, { fix: 'give each operation of a namespace its own name' });
          return;
        }
        const opParams = this.consumedParams(op.inputParameters, child(opAt, 'inputParameters'));
        const params = [...resourceParams.filter((rp) => !opParams.some((p) => p.name === rp.name && p.in === rp.in)), ...opParams];
        const body = this.requestBody(op.body, child(opAt, 'body'));
        operations.set(name, {
          namespace,
          name,
          ref: `${namespace}.${name}`,
          method: String(op.method ?? 'GET').toUpperCase() as HttpMethod,
          resourceName: String(res.name),
          path,
          pathPlaceholders: pathPlaceholders(path),
          ...(str(op.label) ? { label: str(op.label)! } : {}),
          ...(str(op.description) ? { description: str(op.description)! } : {}),
          params,
          ...(body ? { body } : {}),
          outputRawFormat: (str(op.outputRawFormat)?.toLowerCase() ?? 'json') as OutputFormat,
          ...(str(op.outputSchema) ? { outputSchema: str(op.outputSchema)! } : {}),
          outputParameters: list(op.outputParameters).map((o) => {
            const out = o as Obj;
            return { name: str(out.name) ?? '', type: String(out.type), mapping: String(out.value ?? out.mapping ?? '') } satisfies ConsumedOutput;
          }),
          origin: this.origin(opAt),
        });
        for (const p of pathPlaceholders(path)) this.knownNames.add(p);
      });
    });
    const auth = entry.authentication as AuthSpec | undefined;
    if (auth) this.collectTemplates(auth, child(where, 'authentication'));
    this.consumes.set(namespace, {
      namespace,
      baseUri,
      ...(str(entry.description) ? { description: str(entry.description)! } : {}),
      ...(auth ? { auth } : {}),
      inputParameters: adapterParams,
      operations,
      origin: this.origin(where),
    });
  }

  private consumedParams(value: unknown, base: At): ConsumedParam[] {
    return list(value).map((raw, i) => {
      const p = raw as Obj;
      const name = String(p.name);
      this.knownNames.add(name);
      if (typeof p.value === 'string') this.templates.push({ template: p.value, at: child(base, i, 'value') });
      return {
        name,
        in: String(p.in) as ConsumedParam['in'],
        ...(typeof p.value === 'string' ? { value: p.value } : {}),
        ...(str(p.type) ? { type: str(p.type)! } : {}),
        ...(typeof p.required === 'boolean' ? { required: p.required } : {}),
        ...(str(p.description) ? { description: str(p.description)! } : {}),
      };
    });
  }

  private requestBody(value: unknown, where: At): RequestBodySpec | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string') {
      this.templates.push({ template: value, at: where });
      return { kind: 'raw', template: value };
    }
    const body = value as Obj;
    const type = String(body.type);
    this.collectTemplates(body.data, child(where, 'data'));
    switch (type) {
      case 'json':
        return { kind: 'json', data: body.data };
      case 'text':
      case 'xml':
      case 'sparql':
        return { kind: type, data: String(body.data) };
      case 'formUrlEncoded':
        return { kind: 'formUrlEncoded', data: isObj(body.data) ? (body.data as Record<string, string>) : String(body.data) };
      default:
        return { kind: 'multipartForm', parts: list(body.data) as Array<{ name: string; value: string }> };
    }
  }

  private collectTemplates(value: unknown, where: At): void {
    if (typeof value === 'string') this.templates.push({ template: value, at: where });
    else if (Array.isArray(value)) value.forEach((v, i) => this.collectTemplates(v, child(where, i)));
    else if (isObj(value)) for (const [k, v] of Object.entries(value)) this.collectTemplates(v, child(where, k));
  }

  // ---- references --------------------------------------------------------------------------

  /** Resolves `namespace.operation`, reporting an unknown target with the closest name. */
  private resolveCall(ref: string, where: At): ConsumedOperation | undefined {
    const [namespace = '', name = ''] = ref.split('.');
    const api = this.consumes.get(namespace);
    if (!api) {
      const suggestion = closest(namespace, this.consumes.keys());
      const known = [...this.consumes.keys()];
      this.report('error', where, 'value', 'unknown-call-target', `\`call: ${ref}\` names no consumed namespace \`${namespace}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
        expected: known.length ? `a namespace among ${quoteList(known)}` : 'a namespace declared under `capability.consumes` (none is declared)',
        ...(suggestion ? { fix: `write \`call: ${suggestion}.${name}\`` } : {}),
      });
      return undefined;
    }
    const op = api.operations.get(name);
    if (!op) {
      const suggestion = closest(name, api.operations.keys());
      this.report('error', where, 'value', 'unknown-call-target', `\`call: ${ref}\`: namespace \`${namespace}\` has no operation \`${name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
        expected: `an operation among ${quoteList([...api.operations.keys()])}`,
        ...(suggestion ? { fix: `write \`call: ${namespace}.${suggestion}\`` } : {}),
      });
    }
    return op;
  }

  private resolveRef(ref: string, where: At): AggregateFunctionNode | undefined {
    const fn = this.aggregates.get(ref);
    if (!fn) {
      const suggestion = closest(ref, this.aggregates.keys());
      const known = [...this.aggregates.keys()];
      this.report('error', where, 'value', 'unknown-ref', `\`ref: ${ref}\` names no aggregate function${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
        expected: known.length ? `one of ${quoteList(known)}` : 'a function declared under `capability.aggregates` (none is declared)',
        ...(suggestion ? { fix: `write \`ref: ${suggestion}\`` } : {}),
      });
    }
    return fn;
  }

  /** Checks a `with` map against the called operation and the enclosing unit's inputs. */
  private compileWith(value: unknown, where: At, scope: InputScope, target?: ConsumedOperation): WithMap {
    if (!isObj(value)) return {};
    const out: Record<string, WithValue> = {};
    const targetNames = target ? this.operationInputNames(target) : undefined;
    for (const [key, v] of Object.entries(value)) {
      this.knownNames.add(key);
      const entryAt = child(where, key);
      if (targetNames && !targetNames.includes(key)) {
        const suggestion = closest(key, targetNames);
        this.report('error', entryAt, 'key', 'unknown-with-key', `\`with\` key \`${key}\` is not a parameter or placeholder of \`${target!.ref}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
          expected: targetNames.length ? `one of ${quoteList(targetNames)}` : `\`${target!.ref}\` takes no parameters`,
          fix: suggestion ? `rename \`${key}\` to \`${suggestion}\`` : `declare \`${key}\` as an input parameter of \`${target!.ref}\`, or remove it`,
        });
      }
      const feeds = target ? [...this.consumes.get(target.namespace)!.inputParameters, ...target.params].find((p) => p.name === key) : undefined;
      out[key] = typeof v === 'string' ? this.withValue(v, entryAt, scope, feeds) : { from: 'literal', value: v as number | boolean };
    }
    return out;
  }

  /** The names an operation reads: its parameters, path placeholders and body/header template variables. */
  private operationInputNames(op: ConsumedOperation): string[] {
    let names = this.inputNamesCache.get(op);
    if (!names) this.inputNamesCache.set(op, (names = this.computeOperationInputNames(op)));
    return names;
  }

  private computeOperationInputNames(op: ConsumedOperation): string[] {
    const api = this.consumes.get(op.namespace)!;
    const names = new Set<string>([...api.inputParameters, ...op.params].map((p) => p.name));
    for (const p of op.pathPlaceholders) names.add(p);
    const templates: string[] = [...api.inputParameters, ...op.params].flatMap((p) => (p.value ? [p.value] : []));
    const body = op.body;
    if (body) templates.push(JSON.stringify(body));
    if (api.auth) templates.push(JSON.stringify(api.auth));
    for (const t of templates) for (const v of templateVariables(t)) names.add(v.split('.')[0]!);
    return [...names];
  }

  /** Resolves a string `with` value; `<namespace>.x` must name an input of the enclosing unit. */
  private withValue(value: string, where: At, scope: InputScope, feeds?: ConsumedParam): WithValue {
    const template: WithValue = { from: 'template', template: value };
    const m = /^([a-zA-Z0-9-]+)\.([^\s{}]+)$/.exec(value);
    if (!m) {
      this.templates.push({ template: value, at: where });
      return template;
    }
    const [, prefix, name] = m as unknown as [string, string, string];
    const official = prefix === scope.namespace;
    if (!official && prefix !== scope.defactoPrefix) return template; // a literal such as `v1.2`
    if (!official) {
      this.report('warning', where, 'value', 'defacto-with-prefix', `\`${value}\` uses the de-facto prefix \`${prefix}.\`; the official reference to a caller input is \`${scope.namespace}.${name}\``, {
        fix: `write \`${scope.namespace}.${name}\``,
      });
    }
    if (!scope.inputs || scope.inputs.includes(name)) return { from: 'input', name };
    const caseMatch = scope.inputs.find((i) => i.toLowerCase() === name.toLowerCase());
    if (caseMatch) {
      this.report('warning', where, 'value', 'input-case-mismatch', `\`${value}\` refers to input \`${caseMatch}\`, spelled with different case; Capstan binds it case-insensitively`, {
        fix: `spell both the same, e.g. \`{${name}}\` in the path`,
      });
      return { from: 'input', name: caseMatch };
    }
    if (scope.imply?.(name, feeds)) {
      this.report('warning', where, 'value', 'defacto-implicit-input', `\`${value}\` refers to \`${name}\`, which this operation does not declare; Capstan reads it from the request ${feeds?.in === 'body' && name !== 'body' ? 'body field' : `${feeds?.in === 'path' ? 'query' : (feeds?.in ?? 'query')} parameter`} \`${name}\``, {
        fix: `declare \`${name}\` under the operation's \`inputParameters\` (with \`in\`, \`type\` and \`description\`), as the official schema expects`,
      });
      return { from: 'input', name };
    }
    const suggestion = closest(name, scope.inputs);
    this.report('error', where, 'value', 'unknown-input-ref', `\`${value}\` refers to \`${name}\`, which is not an input of this ${scope.defactoPrefix === 'tools' ? 'tool' : scope.defactoPrefix === 'rest' ? 'operation' : 'function'}${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
      expected: scope.inputs.length ? `one of ${quoteList([...scope.inputs])}` : 'a declared input parameter (none is declared)',
      fix: suggestion ? `write \`${scope.namespace}.${suggestion}\`` : `declare \`${name}\` under \`inputParameters\``,
    });
    return { from: 'input', name };
  }

  // ---- handlers ----------------------------------------------------------------------------

  /** The handler of a REST operation, MCP tool, resource or aggregate function. */
  private compileHandler(unit: Obj, where: At, scope: InputScope): Handler | undefined {
    if (typeof unit.ref === 'string') {
      const fn = this.resolveRef(unit.ref, child(where, 'ref'));
      return fn ? { kind: 'ref', fn, with: this.compileWith(unit.with, child(where, 'with'), scope) } : undefined;
    }
    const outputs = this.outputs(unit.outputParameters, child(where, 'outputParameters'));
    if (typeof unit.call === 'string') {
      const operation = this.resolveCall(unit.call, child(where, 'call'));
      const withMap = this.compileWith(unit.with, child(where, 'with'), scope, operation);
      if (!operation) return undefined;
      const bound = this.placeholderSources(operation, withMap, child(where, 'call'), scope);
      return { kind: 'call', operation, with: { ...bound, ...withMap }, outputs };
    }
    if (Array.isArray(unit.steps)) {
      const steps = this.compileSteps(unit.steps, child(where, 'steps'), scope);
      const mappings = list(unit.mappings).map((m) => ({ targetName: String((m as Obj).targetName), value: String((m as Obj).value) }) satisfies StepMapping);
      list(unit.mappings).forEach((m, i) => this.checkMappingStep(String((m as Obj).value), steps, child(where, 'mappings', i, 'value')));
      return steps ? { kind: 'steps', steps, mappings, with: this.compileWith(unit.with, child(where, 'with'), scope), outputs } : undefined;
    }
    return { kind: 'mock', with: this.compileWith(unit.with, child(where, 'with'), scope), outputs };
  }

  private outputs(value: unknown, where: At): OutputParam[] {
    const items = list(value) as OutputParam[];
    const visit = (p: unknown, a: At): void => {
      if (!isObj(p)) return;
      if (typeof p.value === 'string' && !p.value.trim().startsWith('$')) this.templates.push({ template: p.value, at: child(a, 'value') });
      if (isObj(p.properties)) for (const [k, v] of Object.entries(p.properties)) visit(v, child(a, 'properties', k));
      if (isObj(p.items)) visit(p.items, child(a, 'items'));
    };
    items.forEach((p, i) => visit(p, child(where, i)));
    return items;
  }

  private compileSteps(value: unknown[], where: At, scope: InputScope): StepNode[] | undefined {
    const steps: StepNode[] = [];
    let ok = true;
    value.forEach((raw, i) => {
      const s = raw as Obj;
      const stepAt = child(where, i);
      const name = String(s.name);
      if (steps.some((x) => x.name === name)) {
        this.report('error', child(stepAt, 'name'), 'value', 'duplicate-step', `step name \`${name}\` is used twice in this sequence`, { fix: 'give each step its own name; later steps and mappings refer to steps by name' });
        ok = false;
      }
      this.knownNames.add(name);
      const origin = this.origin(stepAt);
      if (s.type === 'call') {
        const operation = this.resolveCall(String(s.call), child(stepAt, 'call'));
        const withMap = this.compileWith(s.with, child(stepAt, 'with'), scope, operation);
        if (!operation) ok = false;
        else steps.push({ kind: 'call', name, operation, with: withMap, origin });
      } else if (s.type === 'lookup') {
        const index = String(s.index);
        if (!steps.some((x) => x.name === index)) {
          const suggestion = closest(index, steps.map((x) => x.name));
          this.report('error', child(stepAt, 'index'), 'value', 'unknown-step', `lookup \`index: ${index}\` names no earlier step${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
            expected: steps.length ? `one of ${quoteList(steps.map((x) => x.name))}` : 'the name of an earlier step (there is none)',
          });
          ok = false;
        }
        this.templates.push({ template: String(s.lookupValue), at: child(stepAt, 'lookupValue') });
        steps.push({ kind: 'lookup', name, index, match: String(s.match), lookupValue: String(s.lookupValue), outputParameters: list(s.outputParameters).map(String), origin });
      } else {
        steps.push({
          kind: 'script', name, file: String(s.file),
          ...(str(s.language) ? { language: str(s.language)! } : {}),
          ...(str(s.location) ? { location: str(s.location)! } : {}),
          dependencies: list(s.dependencies).map(String),
          with: this.compileWith(s.with, child(stepAt, 'with'), scope), origin,
        });
      }
    });
    return ok ? steps : undefined;
  }

  private checkMappingStep(value: string, steps: StepNode[] | undefined, where: At): void {
    const m = /^\$\.([^.[\s]+)/.exec(value);
    if (!m || !steps) return;
    const stepName = m[1]!;
    if (steps.some((s) => s.name === stepName)) return;
    const suggestion = closest(stepName, steps.map((s) => s.name));
    this.report('warning', where, 'value', 'unknown-step', `mapping \`${value}\` reads step \`${stepName}\`, which this sequence does not have${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
      expected: `\`$.<step-name>…\` with one of ${quoteList(steps.map((s) => s.name))}`,
    });
  }

  /**
   * Each placeholder of the called path should get a value. One that only an input spelled with
   * different case provides (`{userId}` upstream, `{userid}` in the exposed path, common in real
   * files) is bound to that input, with a warning; one nothing provides is a warning.
   * Returns the `with` entries added for case-insensitive bindings.
   */
  private placeholderSources(op: ConsumedOperation, withMap: WithMap, where: At, scope: InputScope): Record<string, WithValue> {
    const added: Record<string, WithValue> = {};
    if (!scope.inputs) return added;
    const api = this.consumes.get(op.namespace)!;
    const sources = new Set<string>([...Object.keys(withMap), ...scope.inputs, ...[...api.inputParameters, ...op.params].filter((p) => p.value !== undefined).map((p) => p.name)]);
    for (const placeholder of op.pathPlaceholders) {
      if (sources.has(placeholder)) continue;
      const input = scope.inputs.find((s) => s.toLowerCase() === placeholder.toLowerCase());
      if (input) {
        added[placeholder] = { from: 'input', name: input };
        this.report('warning', where, 'value', 'input-case-mismatch', `\`${op.ref}\` needs \`${placeholder}\` for its path; Capstan binds it to the input \`${input}\`, spelled with different case`, {
          fix: `spell both \`${placeholder}\`, or add \`with: {${placeholder}: ${scope.namespace}.${input}}\``,
        });
        continue;
      }
      if ([...sources].some((s) => s.toLowerCase() === placeholder.toLowerCase())) continue;
      this.report('warning', where, 'value', 'placeholder-without-source', `\`${op.ref}\` needs \`${placeholder}\` for its path \`${op.path}\`, and nothing here provides it`, {
        fix: `add \`with: {${placeholder}: ${scope.namespace}.<input>}\` or an input parameter named \`${placeholder}\``,
      });
    }
    return added;
  }

  // ---- aggregates --------------------------------------------------------------------------

  private compileAggregate(agg: Obj, where: At): void {
    const namespace = String(agg.namespace);
    this.claimNamespace(namespace, 'aggregate', child(where, 'namespace'));
    list(agg.functions).forEach((raw, f) => {
      const fn = raw as Obj;
      const fnAt = child(where, 'functions', f);
      const inputParameters = this.toolParams(fn.inputParameters);
      const scope: InputScope = { namespace, ...(inputParameters.length ? { inputs: inputParameters.map((p) => p.name) } : {}) };
      const handler = this.compileHandler(fn, fnAt, scope);
      const ref = `${namespace}.${String(fn.name)}`;
      if (this.aggregates.has(ref)) {
        this.report('error', child(fnAt, 'name'), 'value', 'duplicate-function', `aggregate function \`${ref}\` is declared twice`, { fix: 'give each function of an aggregate its own name' });
        return;
      }
      if (!handler || handler.kind === 'ref') return;
      this.aggregates.set(ref, {
        namespace, name: String(fn.name), ref, description: String(fn.description ?? ''),
        ...(isObj(fn.semantics) ? { semantics: fn.semantics } : {}),
        inputParameters, handler, origin: this.origin(fnAt),
      });
    });
  }

  private toolParams(value: unknown): ToolParam[] {
    return list(value).map((raw) => {
      const p = raw as Obj;
      this.knownNames.add(String(p.name));
      return {
        name: String(p.name),
        type: (str(p.type) ?? 'string') as ToolParam['type'],
        ...(str(p.description) ? { description: str(p.description)! } : {}),
        required: p.required !== false,
      };
    });
  }

  // ---- exposes -----------------------------------------------------------------------------

  private compileAdapter(adapter: Obj, where: At): AdapterNode | undefined {
    const type = String(adapter.type);
    // A control adapter has no namespace in the spec; it is named `control` in logs and status.
    const namespace = typeof adapter.namespace === 'string' ? adapter.namespace : type;
    if (typeof adapter.namespace === 'string') this.claimNamespace(namespace, `${type} adapter`, child(where, 'namespace'));
    if (adapter.authentication) this.collectTemplates(adapter.authentication, child(where, 'authentication'));
    const base = {
      namespace,
      ...(str(adapter.address) ? { address: str(adapter.address)! } : {}),
      ...(str(adapter.description) ? { description: str(adapter.description)! } : {}),
      ...(adapter.authentication ? { auth: adapter.authentication as AuthSpec } : {}),
      origin: this.origin(where),
    };
    switch (type) {
      case 'rest':
        return { ...base, type: 'rest', port: Number(adapter.port), resources: list(adapter.resources).map((r, i) => this.compileRestResource(r as Obj, child(where, 'resources', i), namespace)) } satisfies RestAdapterNode;
      case 'mcp':
        return this.compileMcp(adapter, where, base);
      case 'skill':
        return { ...base, type: 'skill', port: Number(adapter.port), skills: list(adapter.skills) as Obj[] };
      default:
        return { ...base, type: 'control', port: Number(adapter.port), spec: adapter };
    }
  }

  private compileRestResource(res: Obj, where: At, namespace: string): RestResourceNode {
    const path = String(res.path);
    const placeholders = pathPlaceholders(path);
    const resourceParams = this.exposedParams(res.inputParameters, child(where, 'inputParameters'), placeholders);
    if (path.length > 1 && path.endsWith('/')) this.report('warning', child(where, 'path'), 'value', 'path-trailing-slash', 'an exposed resource `path` should not end with `/`', { fix: `write \`${path.replace(/\/+$/, '')}\`` });
    const seen = new Set<string>();
    const operations = list(res.operations).map((raw, o) => {
      const op = raw as Obj;
      const opAt = child(where, 'operations', o);
      const method = String(op.method ?? 'GET').toUpperCase() as HttpMethod;
      if (seen.has(method)) this.report('error', child(opAt, 'method'), 'value', 'duplicate-route', `\`${method} ${path}\` is declared twice`, { fix: 'merge the two operations, or give one another method' });
      seen.add(method);
      const opParams = this.exposedParams(op.inputParameters, child(opAt, 'inputParameters'), placeholders);
      const inputs = [...new Set([...placeholders, ...resourceParams.map((p) => p.name), ...opParams.map((p) => p.name)])];
      const implied: ExposedParam[] = [];
      const declaresNone = resourceParams.length === 0 && opParams.length === 0;
      const imply = (name: string, feeds: ConsumedParam | undefined): boolean => {
        if (!declaresNone) return false;
        // A consumed path parameter that is not in the exposed path can only come from the query.
        const location: ExposedParam['in'] = feeds && feeds.in !== 'path' && feeds.in !== 'environment' ? feeds.in : 'query';
        const type = (feeds?.type ?? (location === 'body' && name === 'body' ? 'object' : 'string')) as ExposedParam['type'];
        implied.push({ name, in: location, type, ...(feeds?.description ? { description: feeds.description } : {}), required: feeds?.required === true });
        inputs.push(name);
        return true;
      };
      const handler = this.compileHandler(op, opAt, { namespace, defactoPrefix: 'rest', inputs, imply });
      return {
        method,
        ...(str(op.name) ? { name: str(op.name)! } : {}),
        ...(str(op.label) ? { label: str(op.label)! } : {}),
        ...(str(op.description) ? { description: str(op.description)! } : {}),
        inputParameters: [...opParams, ...implied],
        handler: handler ?? { kind: 'mock', with: {}, outputs: [] },
        origin: this.origin(opAt),
      } satisfies RestOperationNode;
    });
    let forward: RestResourceNode['forward'];
    if (isObj(res.forward)) {
      const targetNs = String(res.forward.targetNamespace);
      const target = this.consumes.get(targetNs);
      if (!target) {
        const suggestion = closest(targetNs, this.consumes.keys());
        this.report('error', child(where, 'forward', 'targetNamespace'), 'value', 'unknown-forward-target', `\`forward.targetNamespace: ${targetNs}\` names no consumed namespace${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
          expected: `one of ${quoteList([...this.consumes.keys()])}`,
        });
      } else {
        forward = { target, trustedHeaders: list(res.forward.trustedHeaders).map(String) };
      }
    }
    return {
      path, pathPlaceholders: placeholders,
      ...(str(res.name) ? { name: str(res.name)! } : {}),
      ...(str(res.label) ? { label: str(res.label)! } : {}),
      ...(str(res.description) ? { description: str(res.description)! } : {}),
      inputParameters: resourceParams, operations,
      ...(forward ? { forward } : {}),
      origin: this.origin(where),
    };
  }

  private exposedParams(value: unknown, base: At, placeholders: readonly string[]): ExposedParam[] {
    return list(value).map((raw, i) => {
      const p = raw as Obj;
      const name = String(p.name);
      const location = String(p.in ?? 'body') as ExposedParam['in'];
      this.knownNames.add(name);
      if (location === 'path' && !placeholders.includes(name)) {
        const caseMatch = placeholders.find((ph) => ph.toLowerCase() === name.toLowerCase());
        if (caseMatch) {
          this.report('warning', child(base, i, 'name'), 'value', 'input-case-mismatch', `path parameter \`${name}\` matches the placeholder \`{${caseMatch}}\` only case-insensitively; Capstan binds it case-insensitively`, { fix: `spell both \`${caseMatch}\`` });
        } else {
          this.report('error', child(base, i, 'name'), 'value', 'path-param-not-in-path', `path parameter \`${name}\` has no \`{${name}}\` placeholder in the resource path`, {
            expected: placeholders.length ? `one of ${quoteList([...placeholders])}` : 'a placeholder in the resource `path` (it has none)',
            fix: `add \`{${name}}\` to the resource path, or change \`in\``,
          });
        }
      }
      return {
        name, in: location, type: (str(p.type) ?? 'string') as ExposedParam['type'],
        ...(str(p.description) ? { description: str(p.description)! } : {}),
        ...(typeof p.value === 'string' ? { value: p.value } : {}),
        ...(str(p.pattern) ? { pattern: str(p.pattern)! } : {}),
        required: typeof p.required === 'boolean' ? p.required : location === 'path',
      };
    });
  }

  private compileMcp(adapter: Obj, where: At, base: Omit<McpAdapterNode, 'type' | 'transport' | 'tools' | 'resources' | 'prompts'>): McpAdapterNode {
    const namespace = base.namespace;
    const names = new Set<string>();
    const tools = list(adapter.tools).flatMap((raw, t): McpToolNode[] => {
      const tool = raw as Obj;
      const toolAt = child(where, 'tools', t);
      const declared = this.toolParams(tool.inputParameters);
      const fn = typeof tool.ref === 'string' ? this.aggregates.get(tool.ref) : undefined;
      const inputParameters = declared.length ? declared : (fn?.inputParameters ?? []);
      const handler = this.compileHandler(tool, toolAt, { namespace, defactoPrefix: 'tools', ...(inputParameters.length ? { inputs: inputParameters.map((p) => p.name) } : {}) });
      const name = String(tool.name ?? fn?.name ?? '');
      if (!name) {
        // With an unknown `ref`, the ref error already says what is wrong.
        if (typeof tool.ref !== 'string') this.report('error', toolAt, 'value', 'missing-key', 'this tool has no `name` (and no `ref` to inherit one from)', { fix: 'add `name:`' });
        return [];
      }
      if (names.has(name)) this.report('error', child(toolAt, 'name'), 'value', 'duplicate-tool', `tool \`${name}\` is declared twice in \`${namespace}\``, { fix: 'give each tool its own name' });
      names.add(name);
      if (name.length > 64) this.report('warning', child(toolAt, 'name'), 'value', 'tool-name-too-long', `tool name \`${name}\` has ${name.length} characters; MCP clients reject names longer than 64`, { fix: 'shorten the name to 64 characters or fewer' });
      if (!handler) return [];
      return [{
        name,
        ...(str(tool.label) ? { label: str(tool.label)! } : {}),
        description: String(tool.description ?? fn?.description ?? ''),
        inputParameters,
        hints: this.toolHints(tool.hints, fn),
        handler,
        origin: this.origin(toolAt),
      }];
    });
    const resources = list(adapter.resources).flatMap((raw, r): McpResourceNode[] => {
      const res = raw as Obj;
      const resAt = child(where, 'resources', r);
      const uriParams = pathPlaceholders(String(res.uri));
      const common = {
        name: String(res.name), label: String(res.label), uri: String(res.uri), description: String(res.description),
        ...(str(res.mimeType) ? { mimeType: str(res.mimeType)! } : {}),
        origin: this.origin(resAt),
      };
      if (typeof res.location === 'string') return [{ ...common, source: { kind: 'static', directory: res.location } }];
      const handler = this.compileHandler(res, resAt, { namespace, defactoPrefix: 'tools', inputs: uriParams });
      return handler ? [{ ...common, source: { kind: 'dynamic', handler } }] : [];
    });
    const prompts = list(adapter.prompts).map((raw, p): McpPromptNode => {
      const prompt = raw as Obj;
      const promptAt = child(where, 'prompts', p);
      return {
        name: String(prompt.name), label: String(prompt.label), description: String(prompt.description),
        arguments: list(prompt.arguments).map((a) => {
          const arg = a as Obj;
          return { name: String(arg.name), ...(str(arg.label) ? { label: str(arg.label)! } : {}), description: String(arg.description), required: arg.required !== false };
        }),
        source: typeof prompt.location === 'string'
          ? { kind: 'file', path: prompt.location }
          : { kind: 'inline', messages: list(prompt.template).map((m) => ({ role: (m as Obj).role as 'user' | 'assistant', content: String((m as Obj).content) })) },
        origin: this.origin(promptAt),
      };
    });
    return {
      ...base, type: 'mcp',
      transport: adapter.transport === 'stdio' ? 'stdio' : 'http',
      ...(adapter.port !== undefined ? { port: Number(adapter.port) } : {}),
      tools, resources, prompts,
    };
  }

  /** Explicit hints, over hints derived from the referenced function's semantics. */
  private toolHints(value: unknown, fn: AggregateFunctionNode | undefined): ToolHints {
    const derived: ToolHints = {};
    const sem = fn?.semantics;
    if (sem?.safe === true) Object.assign(derived, { readOnly: true, destructive: false });
    if (sem?.safe === false) derived.readOnly = false;
    if (typeof sem?.idempotent === 'boolean') derived.idempotent = sem.idempotent;
    return { ...derived, ...(isObj(value) ? (value as ToolHints) : {}) };
  }

  // ---- cross checks ------------------------------------------------------------------------

  private checkPorts(adapters: AdapterNode[]): void {
    const bound: Array<{ adapter: AdapterNode; port: number; host: string; index: number }> = [];
    adapters.forEach((adapter, index) => {
      if (adapter.type === 'mcp' && adapter.transport === 'stdio') return;
      const port = adapter.port;
      if (port === undefined) return;
      const host = adapter.address ?? (adapter.type === 'mcp' || adapter.type === 'control' ? 'localhost' : '0.0.0.0');
      const clash = bound.find((b) => b.port === port && (b.host === host || b.host === '0.0.0.0' || host === '0.0.0.0' || b.host === '::' || host === '::'));
      if (clash) {
        this.report('error', at(this.doc, ['capability', 'exposes', index, 'port']), 'value', 'port-collision', `port ${port} is already used by the ${clash.adapter.type} adapter \`${clash.adapter.namespace}\` (line ${clash.adapter.origin.line})`, {
          fix: 'give each adapter of a capability its own port',
        });
      }
      bound.push({ adapter, port, host, index });
    });
  }

  private checkSkills(adapters: AdapterNode[]): void {
    adapters.forEach((adapter, a) => {
      if (adapter.type !== 'skill') return;
      adapter.skills.forEach((skill, s) => {
        list(skill.tools).forEach((raw, t) => {
          const tool = raw as Obj;
          if (!isObj(tool.from)) return;
          const fromAt = at(this.doc, ['capability', 'exposes', a, 'skills', s, 'tools', t, 'from']);
          const sourceNs = String(tool.from.sourceNamespace);
          const target = adapters.find((x): x is RestAdapterNode | McpAdapterNode => x.namespace === sourceNs && (x.type === 'rest' || x.type === 'mcp'));
          if (!target) {
            const candidates = adapters.filter((x) => x.type === 'rest' || x.type === 'mcp').map((x) => x.namespace);
            const suggestion = closest(sourceNs, candidates);
            this.report('error', child(fromAt, 'sourceNamespace'), 'value', 'unknown-skill-source', `\`sourceNamespace: ${sourceNs}\` names no sibling rest or mcp adapter${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
              expected: candidates.length ? `one of ${quoteList(candidates)}` : 'the namespace of a rest or mcp adapter of this capability',
            });
            return;
          }
          const action = String(tool.from.action);
          const actions = target.type === 'mcp' ? target.tools.map((x) => x.name) : target.resources.flatMap((r) => r.operations.flatMap((o) => (o.name ? [o.name] : [])));
          if (!actions.includes(action)) {
            const suggestion = closest(action, actions);
            this.report('error', child(fromAt, 'action'), 'value', 'unknown-skill-action', `\`action: ${action}\` is not a ${target.type === 'mcp' ? 'tool' : 'operation'} of \`${sourceNs}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
              expected: `one of ${quoteList(actions)}`,
            });
          }
        });
      });
    });
  }

  /** Every `{{name}}` should name a bind variable, a parameter, an input or a step. */
  private checkTemplates(): void {
    for (const { template, at: where } of this.templates) {
      for (const name of templateVariables(template)) {
        if (name.startsWith('$')) {
          this.report('warning', where, 'value', 'jsonpath-in-template', `\`{{${name}}}\` looks like JSONPath, but templates do not evaluate JSONPath; it renders empty`, {
            fix: `use a bare \`${name}\` as the mapping, or \`{{name}}\` of a parameter`,
          });
          continue;
        }
        const head = name.split('.')[0]!;
        if (this.knownNames.has(name) || this.knownNames.has(head)) continue;
        const suggestion = closest(name, this.knownNames);
        this.report('warning', where, 'value', 'unknown-template-variable', `\`{{${name}}}\` names no bind variable, parameter or step; it renders empty${suggestion ? ` — did you mean \`{{${suggestion}}}\`?` : ''}`, {
          fix: suggestion ? `write \`{{${suggestion}}}\`` : `declare \`${name}\` in a \`binds\` entry or as a parameter`,
        });
      }
    }
  }
}

/** Freezes a graph. Already-frozen objects (lazy origins, shared nodes) are not entered, so getters never run. */
function deepFreeze<T>(value: T): T {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
