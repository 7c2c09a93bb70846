/** `create`: a minimal capability that validates under `--strict` and lints clean, to edit from. */
import { schemaModeline } from '@capstan/spec';
import { stringify } from 'yaml';
import { kebab, upperSnake } from './openapi/names.js';

/** The YAML of a new capability called `name`. */
export function scaffoldCapability(name: string): string {
  const ns = kebab(name) || 'my-capability';
  const token = `${upperSnake(ns)}_TOKEN`;
  const doc = {
    naftiko: '1.0.0-alpha2',
    info: { label: name, description: `${name}: describe in one sentence what this capability lets people and agents do.`, tags: [ns] },
    binds: [{ namespace: 'env', description: 'Secrets read from the process environment.', keys: { [token]: token } }],
    capability: {
      consumes: [{
        type: 'http',
        namespace: ns,
        description: 'The HTTP API this capability calls; set baseUri to its real address.',
        baseUri: `https://api.${ns}.test`,
        authentication: { type: 'bearer', token: `{{${token}}}` },
        resources: [{ name: 'items', path: '/items/{{id}}', operations: [{ name: 'get-item', label: 'Get item', method: 'GET', inputParameters: [{ name: 'id', in: 'path' }] }] }],
      }],
      exposes: [
        {
          type: 'rest', namespace: `${ns}-rest`, port: 8080,
          resources: [{
            path: '/items/{id}', name: 'items', description: 'One item of the API.',
            operations: [{
              method: 'GET', name: 'get-item', description: 'Returns one item by its id.',
              inputParameters: [{ name: 'id', in: 'path', type: 'string', description: 'Id of the item.' }],
              call: `${ns}.get-item`, with: { id: `${ns}-rest.id` },
              outputParameters: [{ type: 'object', mapping: '$', properties: { id: { type: 'string', mapping: '$.id' }, name: { type: 'string', mapping: '$.name' } } }],
            }],
          }],
        },
        {
          type: 'mcp', namespace: `${ns}-mcp`, port: 9090, description: `Tools of ${name} for AI agents.`,
          tools: [{
            name: 'get-item', description: 'Returns the id and name of one item, looked up by its id.',
            hints: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
            call: `${ns}.get-item`, with: { id: `${ns}-mcp.id` },
            inputParameters: [{ name: 'id', type: 'string', description: 'Id of the item.' }],
            outputParameters: [{ type: 'object', mapping: '$', properties: { id: { type: 'string', mapping: '$.id' }, name: { type: 'string', mapping: '$.name' } } }],
          }],
        },
      ],
    },
  };
  return `${schemaModeline('alpha2')}\n${stringify(doc, { lineWidth: 0 })}`;
}
