/**
 * Reads an OpenAPI 3.0/3.1 or Swagger 2 description (with every `$ref` resolved by
 * `@apidevtools/swagger-parser`) into one neutral model of operations, parameters, bodies,
 * success responses and security schemes, so the capability builder needs no version checks.
 */
import SwaggerParser from '@apidevtools/swagger-parser';

/** A JSON Schema fragment as found in the description. */
export type Schema = Record<string, unknown>;

/** One request parameter of an operation. */
export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie' | 'body';
  required: boolean;
  description?: string;
  schema: Schema;
}

/** One operation of the API. */
export interface ApiOperation {
  path: string;
  method: string;
  operationId?: string;
  summary?: string;
  description?: string;
  /** Path, query, header and cookie parameters, then one per top-level body field. */
  parameters: ApiParameter[];
  /** The JSON body as one object, when its fields cannot be listed one by one. */
  wholeBody?: { required: boolean; description?: string; schema: Schema };
  /** The schema of the first 2xx response with a JSON (or unspecified) body. */
  response?: Schema;
  /** Names of the security schemes the operation needs (first alternative). */
  security: string[];
}

/** A security scheme, reduced to what a consumed adapter can send. */
export type ApiSecurity =
  | { kind: 'bearer'; description?: string }
  | { kind: 'basic'; description?: string }
  | { kind: 'apikey'; in: 'header' | 'query' | 'cookie'; name: string; description?: string };

/** The whole API. */
export interface ApiModel {
  title: string;
  description?: string;
  /** The first server's URL (OpenAPI 3, variables at their defaults) or scheme+host+basePath (Swagger 2). */
  baseUri?: string;
  operations: ApiOperation[];
  securitySchemes: Record<string, ApiSecurity>;
}

/** A JSON object of the description (loosely typed: descriptions are data). */
export type Obj = Record<string, any>;
/** Whether `v` is a JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const JSON_TYPES = /json|\*\/\*/i;
/** Field names a consumed `in: body` parameter can carry (the schema's identifier pattern). */
const FIELD_NAME = /^[a-zA-Z0-9_*-]+$/;

/** Loads and dereferences `source` (a file path or URL) and reads it into the model. */
export async function readOpenApi(source: string): Promise<ApiModel> {
  const api = (await SwaggerParser.dereference(source)) as Obj;
  const swagger2 = typeof api.swagger === 'string';
  if (!swagger2 && typeof api.openapi !== 'string') throw new Error(`${source} is neither OpenAPI 3 (\`openapi:\`) nor Swagger 2 (\`swagger: "2.0"\`)`);
  const info = isObj(api.info) ? api.info : {};
  const model: ApiModel = {
    title: String(info.title ?? 'api'),
    ...(typeof info.description === 'string' ? { description: info.description } : {}),
    ...baseUriOf(api, swagger2),
    operations: [],
    securitySchemes: securitySchemesOf(swagger2 ? api.securityDefinitions : api.components?.securitySchemes),
  };
  for (const [path, item] of Object.entries(isObj(api.paths) ? api.paths : {})) {
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      model.operations.push(readOperation(path, method, op, item, api, swagger2));
    }
  }
  return model;
}

function baseUriOf(api: Obj, swagger2: boolean): { baseUri?: string } {
  if (swagger2) {
    if (typeof api.host !== 'string') return {};
    const scheme = Array.isArray(api.schemes) && !api.schemes.includes('https') ? String(api.schemes[0]) : 'https';
    return { baseUri: `${scheme}://${api.host}${typeof api.basePath === 'string' ? api.basePath : ''}` };
  }
  const server = Array.isArray(api.servers) ? api.servers.find(isObj) : undefined;
  if (!server || typeof server.url !== 'string') return {};
  const vars = isObj(server.variables) ? server.variables : {};
  return { baseUri: server.url.replace(/\{([^}]+)\}/g, (_, v: string) => String(vars[v]?.default ?? v)) };
}

function securitySchemesOf(schemes: unknown): Record<string, ApiSecurity> {
  const out: Record<string, ApiSecurity> = {};
  for (const [name, s] of Object.entries(isObj(schemes) ? schemes : {})) {
    if (!isObj(s)) continue;
    const description = typeof s.description === 'string' ? { description: s.description } : {};
    const scheme = String(s.scheme ?? '').toLowerCase();
    if (s.type === 'basic' || (s.type === 'http' && scheme === 'basic')) out[name] = { kind: 'basic', ...description };
    else if (s.type === 'apiKey' && ['header', 'query', 'cookie'].includes(s.in)) out[name] = { kind: 'apikey', in: s.in, name: String(s.name), ...description };
    // http bearer, OAuth 2 and OpenID Connect all end as a bearer token the operator supplies.
    else if (s.type === 'http' || s.type === 'oauth2' || s.type === 'openIdConnect') out[name] = { kind: 'bearer', ...description };
  }
  return out;
}

function readOperation(path: string, method: string, op: Obj, item: Obj, api: Obj, swagger2: boolean): ApiOperation {
  const declared = new Map<string, Obj>();
  for (const p of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    if (isObj(p)) declared.set(`${p.in}:${p.name}`, p); // operation-level overrides path-level
  }
  const parameters: ApiParameter[] = [];
  let body: { required: boolean; description?: string; schema: Schema } | undefined;
  const formFields: Obj = {};
  for (const p of declared.values()) {
    if (p.in === 'body') body = { required: !!p.required, ...(p.description ? { description: String(p.description) } : {}), schema: isObj(p.schema) ? p.schema : {} };
    else if (p.in === 'formData') formFields[p.name] = { ...p, type: p.type ?? 'string' };
    else parameters.push({ name: String(p.name), in: p.in, required: p.in === 'path' || !!p.required, ...(p.description ? { description: String(p.description) } : {}), schema: swagger2 ? p : isObj(p.schema) ? p.schema : {} });
  }
  if (Object.keys(formFields).length) body = { required: true, schema: { type: 'object', properties: formFields, required: Object.values(formFields).filter((f: Obj) => f.required).map((f: Obj) => f.name) } };
  if (!swagger2 && isObj(op.requestBody)) {
    const content = isObj(op.requestBody.content) ? op.requestBody.content : {};
    const media = Object.keys(content).find((m) => JSON_TYPES.test(m)) ?? Object.keys(content)[0];
    const schema = media && isObj(content[media]?.schema) ? content[media].schema : {};
    body = { required: !!op.requestBody.required, ...(op.requestBody.description ? { description: String(op.requestBody.description) } : {}), schema };
  }
  const result: ApiOperation = {
    path,
    method: method.toUpperCase(),
    ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
    ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
    ...(typeof op.description === 'string' ? { description: op.description } : {}),
    parameters,
    security: securityOf(op.security ?? api.security),
  };
  if (body) {
    const props = isObj(body.schema.properties) ? body.schema.properties : undefined;
    const required = new Set(Array.isArray(body.schema.required) ? body.schema.required.map(String) : []);
    if (props && Object.keys(props).length && Object.keys(props).every((k) => FIELD_NAME.test(k)) && !body.schema.additionalProperties) {
      for (const [name, schema] of Object.entries(props)) {
        const s = isObj(schema) ? schema : {};
        parameters.push({ name, in: 'body', required: required.has(name), ...(typeof s.description === 'string' ? { description: s.description } : {}), schema: s });
      }
    } else {
      result.wholeBody = body;
    }
  }
  const response = successSchema(op.responses, swagger2);
  if (response) result.response = response;
  return result;
}

function securityOf(requirements: unknown): string[] {
  const first = Array.isArray(requirements) ? requirements.find(isObj) : undefined;
  return first ? Object.keys(first) : [];
}

function successSchema(responses: unknown, swagger2: boolean): Schema | undefined {
  if (!isObj(responses)) return undefined;
  const code = Object.keys(responses).sort().find((c) => /^2\d\d$|^2XX$/i.test(c));
  const res = code ? responses[code] : undefined;
  if (!isObj(res)) return undefined;
  if (swagger2) return isObj(res.schema) ? res.schema : undefined;
  const content = isObj(res.content) ? res.content : {};
  const media = Object.keys(content).find((m) => JSON_TYPES.test(m));
  return media && isObj(content[media]?.schema) ? content[media].schema : undefined;
}
