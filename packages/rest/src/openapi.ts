/**
 * OpenAPI 3.1 description of a REST adapter, served at `/openapi.json` and written by
 * `capstan export openapi`. Unlike the reference exporter, `integer` stays `integer`, and
 * resource-level parameters are included.
 */
import type { ExposedParam, OutputParam, RestAdapterNode, AuthSpec } from '@capstan/core';
import { effectiveParams } from './inputs.js';
import { compilePath } from './routes.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Options for the document header. */
export interface OpenApiOptions {
  info?: { label?: string; description?: string };
  /** e.g. `http://localhost:8080`. */
  serverUrl?: string;
}

/** Builds the OpenAPI 3.1 document of one REST adapter. */
export function buildOpenApi(adapter: RestAdapterNode, options: OpenApiOptions = {}): Json {
  const paths: Record<string, Json> = {};
  for (const res of adapter.resources) {
    const { names } = compilePath(res.path);
    const oasPath = res.path.replace(/\{\{?\s*([^{}\s]+?)\s*\}?\}/g, '{$1}');
    const item: Json = (paths[oasPath] ??= {});
    for (const op of res.operations) {
      const params = effectiveParams(res.inputParameters, op.inputParameters);
      const declared = new Set(params.filter((p) => p.in === 'path').map((p) => p.name));
      const pathParams = res.pathPlaceholders.filter((n) => !declared.has(n)).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...(names.get('*') === name ? { description: 'May span several path segments.' } : {}) }));
      const nonBody = params.filter((p) => p.in !== 'body' && p.in !== 'environment');
      const body = params.filter((p) => p.in === 'body');
      item[op.method.toLowerCase()] = {
        ...(op.name ? { operationId: op.name } : {}),
        ...(op.label ? { summary: op.label } : {}),
        ...(op.description ? { description: op.description } : {}),
        ...(res.name ? { tags: [res.name] } : {}),
        parameters: [...pathParams, ...nonBody.map(parameter)],
        ...(body.length ? { requestBody: requestBody(body) } : {}),
        responses: responses(op.handler.kind === 'ref' ? op.handler.fn.handler.outputs : op.handler.outputs),
      };
    }
    if (res.forward) {
      for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
        item[m] ??= {
          description: `Forwarded to \`${res.forward.target.namespace}\` (${res.forward.target.baseUri}).`,
          ...(res.name ? { tags: [res.name] } : {}),
          parameters: res.pathPlaceholders.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
          responses: { default: { description: 'The upstream answer, passed through.' } },
        };
      }
    }
  }
  const security = adapter.auth ? securityScheme(adapter.auth) : undefined;
  return {
    openapi: '3.1.0',
    info: {
      title: options.info?.label ?? adapter.namespace,
      version: '1.0.0',
      ...(options.info?.description ?? adapter.description ? { description: options.info?.description ?? adapter.description } : {}),
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    ...(security ? { components: { securitySchemes: { [security.name]: security.scheme } }, security: [{ [security.name]: security.scopes }] } : {}),
  };
}

function parameter(p: ExposedParam): Json {
  return {
    name: p.name,
    in: p.in === 'cookie' ? 'cookie' : p.in,
    required: p.in === 'path' ? true : p.required,
    ...(p.description ? { description: p.description } : {}),
    schema: typeSchema(p.type, p.pattern),
    ...(p.type === 'array' && p.in === 'query' ? { style: 'form', explode: true } : {}),
  };
}

function requestBody(params: ExposedParam[]): Json {
  const whole = params.length === 1 && params[0]!.name === 'body' && !params[0]!.value ? params[0] : undefined;
  const schema: Json = whole
    ? { ...typeSchema(whole.type), ...(whole.description ? { description: whole.description } : {}) }
    : {
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p.name, { ...typeSchema(p.type, p.pattern), ...(p.description ? { description: p.description } : {}) }])),
        ...(params.some((p) => p.required) ? { required: params.filter((p) => p.required).map((p) => p.name) } : {}),
      };
  return { required: params.some((p) => p.required), content: { 'application/json': { schema } } };
}

function typeSchema(type: string, pattern?: string): Json {
  return { type, ...(type === 'array' ? { items: {} } : {}), ...(pattern ? { pattern } : {}) };
}

function responses(outputs: readonly OutputParam[]): Json {
  if (outputs.length === 0) return { default: { description: 'The upstream answer, passed through.' } };
  return { '200': { description: 'Mapped answer.', content: { 'application/json': { schema: outputsSchema(outputs) } } } };
}

/** JSON Schema of what the executor returns for these outputs (one → its value; several → object by name). */
export function outputsSchema(outputs: readonly OutputParam[]): Json {
  if (outputs.length === 1) return outputSchema(outputs[0]!);
  return { type: 'object', properties: Object.fromEntries(outputs.map((o, i) => [o.name ?? (i === 0 ? 'value' : `value${i}`), outputSchema(o)])) };
}

function outputSchema(o: OutputParam): Json {
  if (o.type === 'object') {
    return o.properties ? { type: 'object', properties: Object.fromEntries(Object.entries(o.properties).map(([k, v]) => [k, outputSchema(v)])) } : { type: 'object' };
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
 * One document for several REST adapters sharing a server: paths together; each adapter's
 * security requirement moves onto its own operations (the adapters may authenticate
 * differently); scheme names and operation ids that two adapters both use get the adapter's
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
    const security = (doc.security as Array<Record<string, string[]>> | undefined)?.map((req) => Object.fromEntries(Object.entries(req).map(([k, v]) => [renamed.get(k) ?? k, v])));
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const target = (paths[path] ??= {});
      for (const [method, op] of Object.entries(item)) {
        if (target[method] !== undefined) continue;
        const operation = { ...(op as Json) };
        if (typeof operation.operationId === 'string') {
          if (operationIds.has(operation.operationId)) operation.operationId = `${namespace}-${operation.operationId}`;
          operationIds.add(operation.operationId as string);
        }
        target[method] = security ? { ...operation, security } : operation;
      }
    }
  }
  const first = docs[0]?.doc ?? {};
  return {
    openapi: '3.1.0',
    info: { title: docs.map(({ doc }) => String((doc.info as Json | undefined)?.title ?? '')).join(' + '), version: '1.0.0' },
    ...(first.servers ? { servers: first.servers } : {}),
    paths,
    ...(Object.keys(schemes).length ? { components: { securitySchemes: schemes } } : {}),
  };
}
