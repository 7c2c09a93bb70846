/**
 * `/openapi.json` of REST adapters, checked with an OpenAPI 3.1 schema validator
 * (@seriousme/openapi-schema-validator) and for what a schema cannot check: every path
 * template variable declared once as a required path parameter, unique operation ids, and
 * declared types kept (`integer` stays `integer`).
 */
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { SECRETS, SPECS } from './helpers.js';
import { serveInProcess, type Served } from './inprocess.js';

type Doc = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, Record<string, unknown>> };
  security?: Array<Record<string, string[]>>;
};
type Operation = {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: { type: string } }>;
  requestBody?: { required: boolean; content: Record<string, { schema: { type: string; properties?: Record<string, { type: string }> } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  security?: Array<Record<string, string[]>>;
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Validates against the OpenAPI 3.1 schema and checks the path parameters and operation ids. */
async function validate(doc: Doc): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(doc as unknown as Record<string, unknown>);
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
  const ids: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
    for (const [method, op] of Object.entries(item)) {
      expect(METHODS.has(method), `${path} ${method}`).toBe(true);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(pathParams.map((p) => p.name).sort(), `${method} ${path}`).toEqual(names);
      for (const p of pathParams) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
      if (op.operationId) ids.push(op.operationId);
    }
  }
  expect(new Set(ids).size).toBe(ids.length);
}

describe('the seed specs under capstan run', () => {
  let run: CapstanRun;
  const docs: Record<string, Doc> = {};

  beforeAll(async () => {
    run = await startCapstan([join(SPECS, 'paragon-proxy.yaml'), join(SPECS, 'paragon-actionkit.yaml'), join(SPECS, 'composio-proxy.yaml')], {
      namespaces: ['paragon-rest', 'paragon-mcp', 'actionkit-rest', 'actionkit-mcp', 'composio-rest', 'composio-mcp'],
      env: { ...SECRETS },
      upstream: 'http://127.0.0.1:9',
    });
    for (const ns of ['paragon-rest', 'actionkit-rest', 'composio-rest']) {
      const res = await fetch(`${run.rest[ns]}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      docs[ns] = (await res.json()) as Doc;
    }
  });

  afterAll(async () => {
    await run?.stop();
  });

  it.each(['paragon-rest', 'actionkit-rest', 'composio-rest'])('%s serves a valid OpenAPI 3.1 document', async (ns) => {
    await validate(docs[ns]!);
    expect(docs[ns]!.openapi).toBe('3.1.0');
  });

  it('Paragon proxy: both routes with every method, the multi-segment apiPath documented', () => {
    const doc = docs['paragon-rest']!;
    expect(doc.info).toMatchObject({ title: 'Paragon Proxy API', version: '1.0.0' });
    const custom = doc.paths['/projects/{projectId}/sdk/proxy/custom/{integrationId}/{apiPath}']!;
    const byType = doc.paths['/projects/{projectId}/sdk/proxy/{integrationType}/{apiPath}']!;
    expect(Object.keys(doc.paths)).toHaveLength(2);
    expect(Object.keys(custom).sort()).toEqual(['get', 'post']);
    expect(Object.keys(byType).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    expect(byType.put!.operationId).toBe('proxyputrequest');
    // the forwarded body is the request body itself, any JSON, optional
    expect(byType.post!.requestBody).toEqual({ required: false, content: { 'application/json': { schema: { description: expect.any(String) } } } });
    expect(byType.delete!.requestBody).toBeUndefined();
    const apiPath = byType.get!.parameters!.find((p) => p.name === 'apiPath')!;
    expect(apiPath).toMatchObject({ in: 'path', required: true, schema: { type: 'string' } });
  });

  it('ActionKit: query filters keep their types, the format enum is a real `enum`, required body fields are marked', () => {
    const list = docs['actionkit-rest']!.paths['/projects/{projectId}/actions']!.get!;
    const byName = Object.fromEntries(list.parameters!.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['categories', 'format', 'integration', 'integrations', 'limit_to_available', 'projectId', 'reload_fields']);
    expect(byName.limit_to_available).toMatchObject({ in: 'query', required: false, schema: { type: 'boolean' } });
    expect(byName.reload_fields).toMatchObject({ in: 'query', required: false, schema: { type: 'boolean' } });
    expect(byName.format).toMatchObject({ in: 'query', required: false, schema: { type: 'string', enum: ['json_schema', 'json-schema', 'openai', 'anthropic'] } });
    expect(byName.format!.schema).not.toHaveProperty('pattern');
    for (const path of ['/projects/{projectId}/tools', '/projects/{projectId}/actions']) {
      const run = docs['actionkit-rest']!.paths[path]!.post!;
      const schema = run.requestBody!.content['application/json']!.schema as { properties?: Record<string, { type: string }>; required?: string[] };
      expect(schema.properties).toEqual({ tool: expect.objectContaining({ type: 'string' }), parameters: expect.objectContaining({ type: 'object' }) });
      expect(schema.required).toEqual(['tool', 'parameters']);
    }
    // the named action's body is the parameters object itself, not wrapped
    const named = docs['actionkit-rest']!.paths['/projects/{projectId}/actions/{action}']!.post!;
    expect(named.requestBody!.content['application/json']!.schema).toMatchObject({ type: 'object', additionalProperties: true });
  });

  it('Composio: every body field, the required ones, and the {data, binary_data, status, headers} answer', () => {
    const op = docs['composio-rest']!.paths['/api/v3/tools/execute/proxy']!.post!;
    const schema = op.requestBody!.content['application/json']!.schema as { properties: Record<string, { type: string }>; required?: string[] };
    expect(Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, v.type]))).toEqual({
      connected_account_id: 'string', endpoint: 'string', method: 'string', body: 'object', binary_body: 'object', parameters: 'array', custom_connection_data: 'object',
    });
    expect(schema.required).toEqual(['endpoint', 'method']);
    expect(schema.properties.method).toMatchObject({ type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] });
    expect(op.responses['200']!.content!['application/json']!.schema).toEqual({
      type: 'object',
      properties: {
        data: { type: 'object', additionalProperties: true },
        binary_data: { type: 'object', properties: { url: { type: ['string', 'null'] }, content_type: { type: ['string', 'null'] }, size: { type: ['number', 'null'] }, expires_at: { type: ['string', 'null'] } } },
        status: { type: ['number', 'null'] },
        headers: { type: 'object', additionalProperties: true },
      },
    });
  });
});

const TYPED = `naftiko: 1.0.0-alpha2
info:
  label: Typed inventory
  description: Declared types and security for the OpenAPI document.
capability:
  consumes:
  - type: http
    namespace: inv
    baseUri: http://127.0.0.1:9
    resources:
    - name: bins
      path: /bins/{{bin}}
      operations:
      - name: get-bin
        method: GET
        inputParameters:
        - name: bin
          in: path
        - name: limit
          in: query
      - name: put-bin
        method: PUT
        inputParameters:
        - name: bin
          in: path
        - name: count
          in: body
  exposes:
  - type: rest
    namespace: inventory-rest
    port: 8080
    authentication:
      type: oauth2
      authorizationServerUri: https://auth.example.test
      resource: https://inventory.example.test
      scopes:
      - inventory:read
    resources:
    - path: /bins/{bin}
      name: bins
      operations:
      - method: GET
        name: get-bin
        inputParameters:
        - name: bin
          in: path
          type: integer
          description: Bin number.
        - name: limit
          in: query
          type: integer
          description: Most items.
        - name: x-trace
          in: header
          type: string
          description: Trace id.
        call: inv.get-bin
        with:
          bin: inventory-rest.bin
          limit: inventory-rest.limit
        outputParameters:
        - type: object
          properties:
            count:
              type: number
              mapping: $.count
      - method: PUT
        name: put-bin
        inputParameters:
        - name: count
          in: body
          type: integer
          description: Items in the bin.
          value: $.count
        call: inv.put-bin
        with:
          bin: inventory-rest.bin
          count: inventory-rest.count
`;

const KEYED = (ns: string, header: string, path: string) => `naftiko: 1.0.0-alpha2
info:
  label: Keyed ${ns}
  description: API key on a header.
capability:
  consumes:
  - type: http
    namespace: up-${ns}
    baseUri: http://127.0.0.1:9
    resources:
    - name: ping
      path: /ping
      operations:
      - name: ping
        method: GET
  exposes:
  - type: rest
    namespace: ${ns}
    port: 8080
    authentication:
      type: apikey
      key: ${header}
      value: secret-${ns}
      placement: header
    resources:
    - path: ${path}
      name: ping
      operations:
      - method: GET
        name: ping
        call: up-${ns}.ping
`;

describe('in-process documents', () => {
  let typed: Served;
  let shared: Served;

  beforeAll(async () => {
    typed = await serveInProcess([TYPED], { publicUrl: true });
    shared = await serveInProcess([TYPED, KEYED('keyed-one', 'X-Key-One', '/one'), KEYED('keyed-two', 'X-Key-Two', '/two')]);
  });

  afterAll(async () => {
    await typed?.close();
    await shared?.close();
  });

  it('integer stays integer (path, query, body) and OAuth 2 security is declared', async () => {
    const doc = (await (await fetch(`${typed.url}/openapi.json`)).json()) as Doc;
    await validate(doc);
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:8080' }]);
    const get = doc.paths['/bins/{bin}']!.get!;
    expect(get.parameters).toEqual([
      { name: 'bin', in: 'path', required: true, description: 'Bin number.', schema: { type: 'integer' } },
      { name: 'limit', in: 'query', required: false, description: 'Most items.', schema: { type: 'integer' } },
      { name: 'x-trace', in: 'header', required: false, description: 'Trace id.', schema: { type: 'string' } },
    ]);
    expect(get.responses['200']!.content!['application/json']!.schema).toEqual({
      type: 'object',
      properties: { count: { type: ['number', 'null'] } },
    });
    const put = doc.paths['/bins/{bin}']!.put!;
    expect(put.requestBody!.content['application/json']!.schema).toEqual({ type: 'object', additionalProperties: true, properties: { count: { type: 'integer', description: 'Items in the bin.' } } });
    expect(doc.components!.securitySchemes).toEqual({
      oauth2Auth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example.test/token', scopes: { 'inventory:read': 'inventory:read' } } } },
    });
    expect(doc.security).toBeUndefined();
    expect(get.security).toEqual([{ oauth2Auth: ['inventory:read'] }]);
    expect(put.security).toEqual([{ oauth2Auth: ['inventory:read'] }]);
  });

  it('adapters sharing a server give one valid document, each operation with its own security', async () => {
    const res = await fetch(`${shared.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    await validate(doc);
    expect(doc.info.title).toBe('Typed inventory + Keyed keyed-one + Keyed keyed-two');
    expect(Object.keys(doc.paths).sort()).toEqual(['/bins/{bin}', '/one', '/two']);
    expect(doc.security).toBeUndefined();
    expect(doc.paths['/bins/{bin}']!.get!.security).toEqual([{ oauth2Auth: ['inventory:read'] }]);
    expect(doc.paths['/one']!.get!.security).toEqual([{ apiKeyAuth: [] }]);
    expect(doc.paths['/two']!.get!.security).toEqual([{ 'apiKeyAuth-keyed-two': [] }]);
    expect(doc.components!.securitySchemes!['apiKeyAuth']).toEqual({ type: 'apiKey', in: 'header', name: 'X-Key-One' });
    expect(doc.components!.securitySchemes!['apiKeyAuth-keyed-two']).toEqual({ type: 'apiKey', in: 'header', name: 'X-Key-Two' });
    // Same operation name in two files: the later one gets its namespace.
    expect(doc.paths['/one']!.get!.operationId).toBe('ping');
    expect(doc.paths['/two']!.get!.operationId).toBe('keyed-two-ping');
  });
});
