/**
 * OpenAI function tools in strict mode (`strict: true`): every object schema closes its
 * properties (`additionalProperties: false`) and lists all of them as required, an optional
 * input becomes nullable instead, and free-form values that strict mode cannot describe (an
 * object without declared properties, an array of anything) are asked for as JSON text.
 */
import type { JsonSchema, OpenAiToolDefinition, ToolInputSchema } from './schema.js';

/** An OpenAI function tool marked strict. */
export interface StrictOpenAiToolDefinition {
  type: 'function';
  function: { name: string; description: string; strict: true; parameters: JsonSchema };
}

const FREE_FORM_NOTE = 'Send it as JSON text: strict mode cannot describe free-form values.';

function withNull(type: JsonSchema['type']): string[] {
  const types = Array.isArray(type) ? type : type ? [type] : ['string'];
  return types.includes('null') ? types : [...types, 'null'];
}

/** One schema in strict form; `optional` makes it nullable. */
function strictSchema(schema: JsonSchema, optional: boolean): JsonSchema {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const description = schema.description;
  const freeForm = (type === 'object' && !Object.keys(schema.properties ?? {}).length) || (type === 'array' && !(schema.items && schema.items.type));
  if (freeForm) {
    const text = [description, FREE_FORM_NOTE].filter(Boolean).join(' ');
    return { type: optional ? ['string', 'null'] : 'string', description: text };
  }
  let out: JsonSchema;
  if (type === 'object') out = strictObject(schema);
  else if (type === 'array') out = { type: 'array', items: strictSchema(schema.items!, false) };
  else out = { type: type ?? 'string', ...(schema.pattern ? { pattern: schema.pattern } : {}), ...(Array.isArray(schema.enum) ? { enum: schema.enum } : {}) };
  if (optional) out.type = withNull(out.type);
  // A nullable input with an enum: the model sends null for "left out", which the enum must list.
  if (optional && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  if (description) out.description = description;
  return out;
}

function strictObject(schema: JsonSchema): JsonSchema {
  const required = new Set(schema.required ?? []);
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, s]) => [name, strictSchema(s, !required.has(name))]));
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/** The tools of an adapter in OpenAI strict-mode form. */
export function strictOpenAiTools(tools: readonly OpenAiToolDefinition[]): StrictOpenAiToolDefinition[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.function.name, description: t.function.description, strict: true, parameters: strictObject(t.function.parameters as ToolInputSchema) },
  }));
}
