/**
 * OpenAPI 3.1 description of a REST adapter, served at `/openapi.json` and written by
 * `capstan export openapi`. Unlike the reference exporter, `integer` stays `integer`, and
 * resource-level parameters are included.
 */
import type { ExposedParam, OutputParam, RestAdapterNode, RestOperationNode, AuthSpec } from '@capstan/spec';
import { effectiveParams } from './inputs.js';
import { problemComponents, problemResponses } from './openapi-problems.js';
import { compilePath } from './routes.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Options for the document header. */
export interface OpenApiOptions {
  info?: { label?: string; description?: string };
  /** e.g. `http://localhost:8080`. */
  serverUrl?: string;
}

/** What a trailing multi-segment placeholder says, for generators and readers. */
const MULTI_SEGMENT = 'May span several path segments: send `/` as is or encoded as `%2F` (as generated clients do).';

/** Builds the OpenAPI 3.1 document of one REST adapter. */
export function buildOpenApi(adapter: RestAdapterNode, options: OpenApiOptions = {}): Json {
  const paths: Record<string, Json> = {};
  const security = adapter.auth ? securityScheme(adapter.auth) : undefined;
  // Every operation states its security: `[]` when the adapter takes no credentials.
  const opSecurity = security ? [{ [security.name]: security.scopes }] : [];
  for (const res of adapter.resources) {
    const { names } = compilePath(res.path);
    const tail = names.get('*');
    const oasPath = res.path.replace(/\{\{?\s*([^{}\s]+?)\s*\}?\}/g, '{$1}');
    const item: Json = (paths[oasPath] ??= {});
    const pathParam = (name: string, p?: ExposedParam): Json => {
      const base = p ? parameter(p) : { name, in: 'path', required: true, schema: { type: 'string' } };
      if (name !== tail) return base;
      const description = [p?.description, MULTI_SEGMENT].filter(Boolean).join(' ');
      return { ...base, description, 'x-capstan-multi-segment': true };
    };
    for (const op of res.operations) {
      const params = effectiveParams(res.inputParameters, op.inputParameters);
      const declared = new Map(params.filter((p) => p.in === 'path').map((p) => [p.name, p]));
      const pathParams = res.pathPlaceholders.map((name) => pathParam(name, declared.get(name)));
      const others = params.filter((p) => p.in !== 'body' && p.in !== 'environment' && p.in !== 'path');
      const body = params.filter((p) => p.in === 'body');
      item[op.method.toLowerCase()] = {
        ...(op.name ? { operationId: op.name } : {}),
        summary: summaryOf(op.label, op.description, `${op.method} ${oasPath}`),
        ...(op.description ? { description: op.description } : {}),
        ...(res.name ? { tags: [res.name] } : {}),
        security: opSecurity,
        parameters: [...pathParams, ...others.map(parameter)],
        ...(body.length ? { requestBody: requestBody(body) } : {}),
        responses: { ...(binaryResponse(op) ?? responses(op.handler.kind === 'ref' ? op.handler.fn.handler.outputs : op.handler.outputs)), ...problemResponses() },
      };
    }
    if (res.forward) {
      for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
        item[m] ??= {
          summary: `${m.toUpperCase()} forwarded to ${res.forward.target.namespace}`,
          description: `Forwarded to \`${res.forward.target.namespace}\` (${res.forward.target.baseUri}).`,
          ...(res.name ? { tags: [res.name] } : {}),
          security: opSecurity,
          parameters: res.pathPlaceholders.map((name) => pathParam(name)),
          responses: { '200': { description: 'The upstream answer, passed through.' }, ...problemResponses() },
        };
      }
    }
  }
  const problems = problemComponents();
  return {
    openapi: '3.1.0',
    info: {
      title: options.info?.label ?? adapter.namespace,
      version: '1.0.0',
      ...(options.info?.description ?? adapter.description ? { description: options.info?.description ?? adapter.description } : {}),
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: { ...(security ? { securitySchemes: { [security.name]: security.scheme } } : {}), ...problems },
  };
}

/** The label, else the first sentence of the description, else method and path. */
function summaryOf(label: string | undefined, description: string | undefined, fallback: string): string {
  if (label) return label;
  const sentence = description?.split(/(?<=\.)\s/)[0]?.trim();
  return sentence || fallback;
}

function parameter(p: ExposedParam): Json {
  return {
    name: p.name,
    in: p.in === 'cookie' ? 'cookie' : p.in,
    required: p.in === 'path' ? true : p.required,
    ...(p.description ? { description: p.description } : {}),
    schema: typeSchema(p),
    ...(p.type === 'array' && p.in === 'query' ? { style: 'form', explode: true } : {}),
  };
}

/** An input that is the whole request body: `value: $`, the forwarded body, or a lone `body` input without a value. */
function wholeBodyInput(params: readonly ExposedParam[]): ExposedParam | undefined {
  const explicit = params.find((p) => p.raw || p.value === '$' || p.value === '$.');
  if (explicit) return explicit;
  return params.length === 1 && params[0]!.name === 'body' && !params[0]!.value ? params[0] : undefined;
}

function requestBody(params: ExposedParam[]): Json {
  const whole = wholeBodyInput(params);
  // The forwarded body is any JSON value, passed on as is.
  const wholeSchema = whole?.raw ? {} : whole ? typeSchema(whole) : undefined;
  const schema: Json = whole
    ? { ...wholeSchema, ...(whole.description ? { description: whole.description } : {}) }
    : {
        type: 'object',
        additionalProperties: true,
        properties: Object.fromEntries(params.map((p) => [p.name, { ...typeSchema(p), ...(p.description ? { description: p.description } : {}) }])),
        ...(params.some((p) => p.required) ? { required: params.filter((p) => p.required).map((p) => p.name) } : {}),
      };
  const required = whole ? whole.required : params.some((p) => p.required);
  return { required, content: { 'application/json': { schema } } };
}

/** A declared type with its pattern and enum; an unshaped object takes any properties (generators otherwise make it empty). */
function typeSchema({ type, pattern, enum: values }: ExposedParam): Json {
  return {
    type,
    ...(type === 'array' ? { items: {} } : {}),
    ...(type === 'object' ? { additionalProperties: true } : {}),
    ...(pattern ? { pattern } : {}),
    ...(values ? { enum: [...values] } : {}),
  };
}

/** A binary answer (beta5): the operation's declared media type, else the consumed operation's, as `format: binary`. */
function binaryResponse(op: RestOperationNode): Json | undefined {
  const handler = op.handler.kind === 'ref' ? op.handler.fn.handler : op.handler;
  const consumed = handler.kind === 'call' && handler.operation.outputRawFormat === 'binary' ? handler.operation : undefined;
  const mediaType = op.binaryMediaType ?? (consumed ? (consumed.outputMediaType ?? 'application/octet-stream') : undefined);
  return mediaType ? { '200': { description: 'Binary content, passed through.', content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } } } : undefined;
}

function responses(outputs: readonly OutputParam[]): Json {
  if (outputs.length === 0) return { '200': { description: 'The upstream answer, passed through.' } };
  return { '200': { description: 'Mapped answer.', content: { 'application/json': { schema: outputsSchema(outputs) } } } };
}

/** JSON Schema of what the executor returns for these outputs (one → its value; several → object by name). */
export function outputsSchema(outputs: readonly OutputParam[]): Json {
  if (outputs.length === 1) return outputSchema(outputs[0]!);
  return { type: 'object', properties: Object.fromEntries(outputs.map((o, i) => [o.name ?? (i === 0 ? 'value' : `value${i}`), outputSchema(o)])) };
}

function outputSchema(o: OutputParam): Json {
  if (o.type === 'object') {
    return o.properties
      ? { type: 'object', properties: Object.fromEntries(Object.entries(o.properties).map(([k, v]) => [k, outputSchema(v)])) }
      : { type: 'object', additionalProperties: true };
  }
  if (o.type === 'array') {
    const items = Array.isArray(o.items) ? o.items[0] : o.items;
    return { type: 'array', items: items ? outputSchema(items as OutputParam) : {} };
  }
  return { type: [o.type, 'null'] };
}

function securityScheme(auth: AuthSpec): { name: string; scheme: Json; scopes: string[] } {
  switch (auth.type) {
    case 'bearer':
      return { name: 'bearerAuth', scheme: { type: 'http', scheme: 'bearer' }, scopes: [] };
    case 'basic':
      return { name: 'basicAuth', scheme: { type: 'http', scheme: 'basic' }, scopes: [] };
    case 'digest':
      return { name: 'digestAuth', scheme: { type: 'http', scheme: 'digest' }, scopes: [] };
    case 'apikey':
      // The key name is a template; documents never carry resolved secrets, and key names are rarely secret-bearing.
      return { name: 'apiKeyAuth', scheme: { type: 'apiKey', in: auth.placement === 'query' ? 'query' : 'header', name: auth.key ?? 'X-API-Key' }, scopes: [] };
    case 'oauth2':
      return {
        name: 'oauth2Auth',
        scheme: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: auth.tokenEndpoint ?? `${auth.authorizationServerUri.replace(/\/+$/, '')}/token`, scopes: Object.fromEntries((auth.scopes ?? []).map((s) => [s, s])) } } },
        scopes: auth.scopes ?? [],
      };
  }
}

/**
 * One document for several REST adapters sharing a server: paths together; each operation keeps
 * its own security requirement (the adapters may authenticate differently); scheme names and operation ids that two adapters both use get the adapter's
 * namespace added so that they stay unique.
 */
export function mergeOpenApi(docs: ReadonlyArray<{ namespace: string; doc: Json }>): Json {
  const paths: Record<string, Json> = {};
  const schemes: Record<string, unknown> = {};
  const operationIds = new Set<string>();
  for (const { namespace, doc } of docs) {
    const renamed = new Map<string, string>();
    const own = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, unknown>;
    for (const [name, scheme] of Object.entries(own)) {
      const taken = schemes[name] !== undefined && JSON.stringify(schemes[name]) !== JSON.stringify(scheme);
      const finalName = taken ? `${name}-${namespace}` : name;
      schemes[finalName] = scheme;
      renamed.set(name, finalName);
    }
    const rename = (security: unknown) => (security as Array<Record<string, string[]>>).map((req) => Object.fromEntries(Object.entries(req).map(([k, v]) => [renamed.get(k) ?? k, v])));
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const target = (paths[path] ??= {});
      for (const [method, op] of Object.entries(item)) {
        if (target[method] !== undefined) continue;
        const operation = { ...(op as Json) };
        if (typeof operation.operationId === 'string') {
          if (operationIds.has(operation.operationId)) operation.operationId = `${namespace}-${operation.operationId}`;
          operationIds.add(operation.operationId as string);
        }
        if (Array.isArray(operation.security)) operation.security = rename(operation.security);
        target[method] = operation;
      }
    }
  }
  const first = docs[0]?.doc ?? {};
  return {
    openapi: '3.1.0',
    info: { title: docs.map(({ doc }) => String((doc.info as Json | undefined)?.title ?? '')).join(' + '), version: '1.0.0' },
    ...(first.servers ? { servers: first.servers } : {}),
    paths,
    components: { ...(Object.keys(schemes).length ? { securitySchemes: schemes } : {}), ...problemComponents() },
  };
}
