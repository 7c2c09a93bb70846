/** `toolDefinitions` in each vendor format, and input/output schema derivation. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv } from '../../packages/mcp/testing/sdk.js';
import { inputSchemaOf, outputSchemaOf, toolDefinitions } from '@capstan/mcp';
import { PARAGON_TOOLS } from './paragon-tools.js';
import { compile, compileFile, mcpAdapter } from './helpers.js';

const paragon = mcpAdapter(compileFile(fileURLToPath(new URL('../../specs/paragon-proxy.yaml', import.meta.url))), 'paragon-mcp');

/** What a tool's parameter schema must look like for the vendors: an object schema. */
const PARAMETERS = {
  type: 'object',
  required: ['type', 'properties'],
  properties: {
    type: { const: 'object' },
    properties: { type: 'object', additionalProperties: { type: 'object', required: ['type'], properties: { type: { enum: ['string', 'number', 'integer', 'boolean', 'array', 'object'] }, description: { type: 'string' } } } },
    required: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
};

/** OpenAI Chat Completions `tools[]` entry. */
const OPENAI_TOOL = {
  type: 'object',
  required: ['type', 'function'],
  additionalProperties: false,
  properties: {
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name', 'description', 'parameters'],
      additionalProperties: false,
      properties: { name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' }, description: { type: 'string', minLength: 1 }, parameters: PARAMETERS },
    },
  },
};

/** Anthropic Messages `tools[]` entry. */
const ANTHROPIC_TOOL = {
  type: 'object',
  required: ['name', 'description', 'input_schema'],
  additionalProperties: false,
  properties: { name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' }, description: { type: 'string', minLength: 1 }, input_schema: PARAMETERS },
};

const ajv = new Ajv({ allErrors: true, strict: false });

describe('toolDefinitions', () => {
  it('mcp: the tools/list entries', () => {
    expect(toolDefinitions(paragon, 'mcp')).toEqual(PARAGON_TOOLS);
  });

  it('openai: {type: function, function: {name, description, parameters}}', () => {
    const defs = toolDefinitions(paragon, 'openai');
    const validate = ajv.compile({ type: 'array', items: OPENAI_TOOL, minItems: 7, maxItems: 7 });
    expect(validate(defs), ajv.errorsText(validate.errors)).toBe(true);
    expect(defs[0]).toEqual({ type: 'function', function: { name: PARAGON_TOOLS[0]!.name, description: PARAGON_TOOLS[0]!.description, parameters: PARAGON_TOOLS[0]!.inputSchema } });
    // the validator rejects a wrong shape
    expect(validate([{ name: 'x', description: 'y', input_schema: {} }])).toBe(false);
  });

  it('anthropic: {name, description, input_schema}', () => {
    const defs = toolDefinitions(paragon, 'anthropic');
    const validate = ajv.compile({ type: 'array', items: ANTHROPIC_TOOL, minItems: 7, maxItems: 7 });
    expect(validate(defs), ajv.errorsText(validate.errors)).toBe(true);
    expect(defs.map((d) => d.name)).toEqual(PARAGON_TOOLS.map((t) => t.name));
    expect(defs[1]).toEqual({ name: PARAGON_TOOLS[1]!.name, description: PARAGON_TOOLS[1]!.description, input_schema: PARAGON_TOOLS[1]!.inputSchema });
    expect(validate(toolDefinitions(paragon, 'openai'))).toBe(false);
  });

  it('json-schema: {name, description, schema}, each schema valid JSON Schema', () => {
    const defs = toolDefinitions(paragon, 'json-schema');
    expect(defs).toEqual(PARAGON_TOOLS.map((t) => ({ name: t.name, description: t.description, schema: t.inputSchema })));
    for (const d of defs) {
      const validate = ajv.compile(d.schema);
      expect(validate({ projectId: 'p', integrationId: 'i', integrationType: 't', apiPath: 'a' })).toBe(true);
      expect(validate({})).toBe(false);
    }
  });

  it('rejects an unknown format', () => {
    expect(() => toolDefinitions(paragon, 'gemini' as 'mcp')).toThrow('unknown tool definition format `gemini`; expected one of mcp, json-schema, openai, anthropic');
  });
});

const DERIVED = `naftiko: 1.0.0-alpha2
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: http://127.0.0.1:9
      resources:
        - name: orders
          path: /stores/{{storeId}}/orders/{{orderId}}
          operations:
            - name: get-order
              method: GET
              inputParameters:
                - name: expand
                  in: query
                - name: x-api-version
                  in: header
                  value: "2"
  exposes:
    - type: mcp
      namespace: shop
      port: 3001
      tools:
        - name: get-order
          description: Read one order
          call: api.get-order
          with:
            storeId: shop.store
        - name: summary
          description: Mock summary with two declared outputs
          outputParameters:
            - name: total
              type: number
              value: "12"
            - name: currency
              type: string
              value: EUR
`;

describe('schema derivation', () => {
  const shop = mcpAdapter(compile(DERIVED).graph);

  it('derives the input schema from with inputs, path placeholders and parameters when none is declared', () => {
    expect(inputSchemaOf(shop.tools[0]!)).toEqual({
      type: 'object',
      properties: { store: { type: 'string' }, orderId: { type: 'string' }, expand: { type: 'string' } },
      required: ['store', 'orderId'],
    });
  });

  it('gives an output schema only for declared object shapes', () => {
    expect(outputSchemaOf(shop.tools[0]!.handler)).toBeUndefined();
    expect(outputSchemaOf(shop.tools[1]!.handler)).toEqual({ type: 'object', properties: { total: { type: ['number', 'null'] }, currency: { type: ['string', 'null'] } } });
  });
});
