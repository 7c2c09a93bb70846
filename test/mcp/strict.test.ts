/**
 * `capstan tools --format openai --strict`: the tools of the three bundled capabilities validate
 * against a JSON Schema of OpenAI's strict-mode rules for function parameters (every object closed
 * and fully required, optional inputs nullable, only the supported keywords and types).
 */
import { describe, expect, it } from 'vitest';
import { Ajv } from '../../packages/mcp/testing/sdk.js';
import { runCli } from '../helpers/cli.js';

/** A schema node allowed in strict mode (recursive). */
const STRICT_NODE = {
  $id: 'strict-node',
  type: 'object',
  propertyNames: { enum: ['type', 'description', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'pattern', 'anyOf', 'const'] },
  required: ['type'],
  properties: {
    type: {
      anyOf: [
        { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array'] },
        { type: 'array', minItems: 2, maxItems: 2, uniqueItems: true, items: { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] }, contains: { const: 'null' } },
      ],
    },
    description: { type: 'string' },
    properties: { type: 'object', additionalProperties: { $ref: 'strict-node' } },
    required: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    items: { $ref: 'strict-node' },
  },
  allOf: [
    {
      // Objects: closed and fully described.
      if: { properties: { type: { anyOf: [{ const: 'object' }, { type: 'array', contains: { const: 'object' } }] } } },
      then: { required: ['properties', 'required', 'additionalProperties'], properties: { additionalProperties: { const: false } } },
    },
    {
      // Arrays: a described item type.
      if: { properties: { type: { anyOf: [{ const: 'array' }, { type: 'array', contains: { const: 'array' } }] } } },
      then: { required: ['items'] },
    },
    {
      // A nullable value with an enum: null (the value of a left-out optional input) must be listed.
      if: { required: ['enum'], properties: { type: { type: 'array', contains: { const: 'null' } } } },
      then: { properties: { enum: { contains: { const: null } } } },
    },
  ],
};

/** An OpenAI Chat Completions function tool in strict mode. */
const STRICT_TOOL = {
  type: 'object',
  required: ['type', 'function'],
  additionalProperties: false,
  properties: {
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name', 'description', 'strict', 'parameters'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' },
        description: { type: 'string', minLength: 1 },
        strict: { const: true },
        parameters: { allOf: [{ $ref: 'strict-node' }, { properties: { type: { const: 'object' } } }] },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(STRICT_NODE);
const validate = ajv.compile({ type: 'array', minItems: 1, items: STRICT_TOOL });

/** Strict mode also wants `required` to list every property: JSON Schema cannot say "equals the keys". */
function requiredIsAllProperties(node: Record<string, unknown>): boolean {
  const props = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (props && JSON.stringify([...(node.required as string[])].sort()) !== JSON.stringify(Object.keys(props).sort())) return false;
  const children = [...Object.values(props ?? {}), ...(node.items ? [node.items as Record<string, unknown>] : [])];
  return children.every(requiredIsAllProperties);
}

describe('capstan tools --format openai --strict', () => {
  it.each(['paragon-proxy', 'paragon-actionkit', 'composio-proxy'])('%s validates against the strict-mode rules', (spec) => {
    const r = runCli(['tools', `specs/${spec}.yaml`, '--format', 'openai', '--strict']);
    expect(r.code, r.stderr).toBe(0);
    const tools = JSON.parse(r.stdout) as Array<{ function: { parameters: Record<string, unknown> } }>;
    expect(validate(tools), ajv.errorsText(validate.errors)).toBe(true);
    for (const t of tools) expect(requiredIsAllProperties(t.function.parameters)).toBe(true);
  });

  it('optional inputs are nullable and free-form objects are asked for as JSON text', () => {
    const tools = JSON.parse(runCli(['tools', 'specs/paragon-proxy.yaml', '--format', 'openai', '--strict']).stdout) as Array<{ function: { name: string; parameters: { properties: Record<string, { type: unknown; description: string }>; required: string[] } } }>;
    const post = tools.find((t) => t.function.name === 'proxypostrequest')!.function.parameters;
    expect(post.required).toEqual(['projectId', 'integrationType', 'apiPath', 'body']);
    expect(post.properties.apiPath!.type).toBe('string');
    expect(post.properties.body!.type).toEqual(['string', 'null']);
    expect(post.properties.body!.description).toContain('JSON text');
  });

  it('enums stay: a required one as declared, an optional one with null added', () => {
    const params = (spec: string, name: string) => (JSON.parse(runCli(['tools', `specs/${spec}.yaml`, '--format', 'openai', '--strict']).stdout) as Array<{ function: { name: string; parameters: { properties: Record<string, unknown> } } }>)
      .find((t) => t.function.name === name)!.function.parameters.properties;
    expect(params('composio-proxy', 'composio-execute-proxy').method).toEqual({ type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'], description: expect.any(String) });
    expect(params('paragon-actionkit', 'actionkit-list-actions').format).toEqual({ type: ['string', 'null'], enum: ['json_schema', 'json-schema', 'openai', 'anthropic', null], description: expect.any(String) });
    const withoutNull = [{ type: 'function', function: { name: 'f', description: 'd', strict: true, parameters: { type: 'object', properties: { f: { type: ['string', 'null'], enum: ['a'] } }, required: ['f'], additionalProperties: false } } }];
    expect(validate(withoutNull)).toBe(false);
  });

  it('the rules reject the non-strict OpenAI output (the check can fail)', () => {
    const plain = JSON.parse(runCli(['tools', 'specs/paragon-actionkit.yaml', '--format', 'openai']).stdout);
    expect(validate(plain)).toBe(false);
    const r = runCli(['tools', 'specs/paragon-actionkit.yaml', '--format', 'anthropic', '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--strict applies to --format openai only');
  });
});
