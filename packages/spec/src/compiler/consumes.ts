/** `consumes` entries (own or imported) → consumed APIs with their operations, keyed by `namespace.name`. */
import { normaliseConsumedAuth, type ConsumedAuth } from '../consumed-auth.js';
import type { ConsumedOperation, ConsumedOutput, ConsumedParam, HttpMethod, OutputFormat, RequestBodySpec } from '../graph.js';
import { quoteList } from '../suggest.js';
import { pathPlaceholders } from '../templates.js';
import { child, type At, type CompileContext } from './context.js';
import { consumedBinary } from './binary.js';
import { declaresContentType, fieldsOf, isFieldMap, OCTET_HEADER, partsOf, readBodyForm } from '../body-forms.js';
import { declaredEnum } from './enums.js';
import { compileTunnel } from './tunnel.js';
import { cascadeResiliency } from './resilience.js';
import {
  isObj, list, METHODS, optional, sections, str, text,
  type ConsumedOperationSection, type ConsumedOutputSection, type ConsumedParamSection, type ConsumedResourceSection, type ConsumesSection, type RequestBodySection,
} from './document.js';

export function compileConsumes(ctx: CompileContext, entry: ConsumesSection, where: At, namespaceAt: At): void {
  const namespace = text(entry.namespace);
  ctx.claimNamespace(namespace, 'consumes entry', namespaceAt);
  let baseUri = text(entry.baseUri);
  if (baseUri.endsWith('/')) {
    ctx.report('warning', child(where, 'baseUri'), 'value', 'baseuri-trailing-slash', `\`baseUri\` ends with \`/\`; Capstan removes it (the reference engine refuses to load such a file)`, {
      fix: `write \`${baseUri.replace(/\/+$/, '')}\``,
    });
    baseUri = baseUri.replace(/\/+$/, '');
  }
  // A templated base URI's placeholders are filled like path placeholders (executor/base-uri.ts).
  for (const p of pathPlaceholders(baseUri)) ctx.knownNames.add(p);
  const adapterParams = consumedParams(ctx, entry.inputParameters, child(where, 'inputParameters'));
  const apiPolicy = cascadeResiliency(entry as Record<string, unknown>, ctx.capabilityPolicy);
  const operations = new Map<string, ConsumedOperation>();
  for (const [res, r] of sections<ConsumedResourceSection>(entry.resources)) {
    const resAt = child(where, 'resources', r);
    const path = text(res.path);
    if (path.includes('?')) {
      ctx.report('warning', child(resAt, 'path'), 'value', 'query-in-path', 'a consumed resource `path` should not carry a query string', { fix: 'declare query parameters as `inputParameters` with `in: query`' });
    }
    // One list for every operation of the resource (the graph is frozen, so they may share it).
    const placeholders = pathPlaceholders(path);
    const resourceParams = consumedParams(ctx, res.inputParameters, child(resAt, 'inputParameters'));
    const resourcePolicy = cascadeResiliency(res as Record<string, unknown>, apiPolicy);
    for (const [op, o] of sections<ConsumedOperationSection>(res.operations)) {
      const opAt = child(resAt, 'operations', o);
      const name = text(op.name);
      if (operations.has(name)) {
        ctx.report('warning', child(opAt, 'name'), 'value', 'duplicate-operation', `operation \`${name}\` is declared twice in \`${namespace}\`; \`call: ${namespace}.${name}\` reaches the first one`, { fix: 'give each operation of a namespace its own name' });
        continue;
      }
      const method = text(op.method, 'GET').toUpperCase();
      if (!METHODS.includes(method)) {
        ctx.report('error', child(opAt, 'method'), 'value', 'unsupported-method', `Capstan cannot send \`${method}\`: it is not an HTTP method it calls upstreams with`, { expected: `one of ${quoteList(METHODS)}` });
      }
      const opParams = consumedParams(ctx, op.inputParameters, child(opAt, 'inputParameters'));
      const params = [...resourceParams.filter((rp) => !opParams.some((p) => p.name === rp.name && p.in === rp.in)), ...opParams];
      const body = requestBody(ctx, op.body, child(opAt, 'body'));
      // An octet-stream body object is its official form: a string body and a Content-Type header.
      if (isObj(op.body) && readBodyForm(op.body.type, op.body.data).deviation === 'octet' && !declaresContentType([...adapterParams, ...params])) params.push({ ...OCTET_HEADER });
      const resiliency = cascadeResiliency(op as Record<string, unknown>, resourcePolicy);
      operations.set(name, {
        namespace,
        name,
        ref: `${namespace}.${name}`,
        method: method as HttpMethod,
        resourceName: text(res.name),
        path,
        pathPlaceholders: placeholders,
        ...optional('label', op.label),
        ...optional('description', op.description),
        params,
        ...(body ? { body } : {}),
        outputRawFormat: outputFormat(op.outputRawFormat),
        ...optional('outputSchema', op.outputSchema),
        ...consumedBinary(ctx, op, opAt),
        outputParameters: sections<ConsumedOutputSection>(op.outputParameters).map(([out]) => ({
          name: text(out.name), type: text(out.type), mapping: text(out.value ?? out.mapping),
        }) satisfies ConsumedOutput),
        ...(resiliency ? { resiliency } : {}),
        origin: ctx.origin(opAt),
      });
      for (const p of placeholders) ctx.knownNames.add(p);
    }
  }
  const auth = entry.authentication !== undefined ? consumedAuth(ctx, entry.authentication, child(where, 'authentication')) : undefined;
  ctx.consumes.set(namespace, {
    namespace,
    baseUri,
    ...optional('description', entry.description),
    ...(auth ? { auth } : {}),
    inputParameters: adapterParams,
    operations,
    ...(apiPolicy ? { resiliency: apiPolicy } : {}),
    ...compileTunnel(ctx, entry, where, baseUri),
    origin: ctx.origin(where),
  });
}

/** Normalises a consumed `authentication` (consumed-auth.ts); one that cannot be performed is a warning here and an error at call time. */
function consumedAuth(ctx: CompileContext, raw: unknown, where: At): ConsumedAuth {
  ctx.collectTemplates(raw, where);
  const { auth, warnings } = normaliseConsumedAuth(raw);
  for (const w of warnings) ctx.report('warning', where, 'value', w.code, w.message, w.fix ? { fix: w.fix } : {});
  return auth;
}

const FORMATS: readonly OutputFormat[] = ['json', 'xml', 'avro', 'protobuf', 'csv', 'tsv', 'psv', 'yaml', 'html', 'markdown', 'binary'];

/** The declared format (any case); one outside the official lists (`text`, …) passes the body through as text. */
function outputFormat(value: unknown): OutputFormat {
  const format = str(value)?.toLowerCase() ?? 'json';
  return (FORMATS as readonly string[]).includes(format) ? (format as OutputFormat) : 'text';
}

function consumedParams(ctx: CompileContext, value: unknown, base: At): ConsumedParam[] {
  return sections<ConsumedParamSection>(value).map(([p, i]) => {
    const name = text(p.name);
    ctx.knownNames.add(name);
    if (typeof p.value === 'string') ctx.templates.push({ template: p.value, at: child(base, i, 'value') });
    return {
      name,
      in: text(p.in) as ConsumedParam['in'],
      ...optional('value', p.value),
      ...optional('type', p.type),
      ...(typeof p.required === 'boolean' ? { required: p.required } : {}),
      ...optional('description', p.description),
      ...declaredEnum(ctx, p, base, i),
    };
  });
}

function requestBody(ctx: CompileContext, value: unknown, where: At): RequestBodySpec | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    ctx.templates.push({ template: value, at: where });
    return { kind: 'raw', template: value };
  }
  const body = (isObj(value) ? value : {}) as RequestBodySection;
  ctx.collectTemplates(body.data, child(where, 'data'));
  // Aliases, field maps and unknown types are read as their official forms (body-forms.ts).
  const form = readBodyForm(body.type, body.data);
  switch (form.official) {
    case 'json':
      return { kind: 'json', data: body.data };
    case 'text':
    case 'xml':
    case 'sparql':
      return { kind: form.official, data: text(body.data) };
    case 'formUrlEncoded':
      return { kind: 'formUrlEncoded', data: isFieldMap(body.data) ? fieldsOf(body.data) : text(body.data) };
    case 'multipartForm':
      return { kind: 'multipartForm', parts: isFieldMap(body.data) ? partsOf(body.data) : (list(body.data) as Array<{ name: string; value: string }>) };
    case 'raw':
      return { kind: 'raw', template: text(body.data) };
  }
}
