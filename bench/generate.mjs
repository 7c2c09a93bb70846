// Generates large capability files for the validation and cold-start benchmarks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A capability with `operations` consumed operations, each exposed as a REST operation and an MCP tool. */
export function largeCapability(operations, { index = 0, restPort = 8080, mcpPort = 9090 } = {}) {
  const ops = [];
  const rest = [];
  const tools = [];
  for (let i = 0; i < operations; i++) {
    ops.push(`          - name: get-item-${i}
            method: GET
            inputParameters:
              - name: limit
                in: query
            outputParameters:
              - name: items
                type: array
                value: $.items`);
    rest.push(`        - path: /items-${i}/{{id}}
          name: items-${i}
          operations:
            - method: GET
              name: get-item-${i}
              inputParameters:
                - name: id
                  in: path
                  type: string
                  description: Item id
              call: upstream-${index}.get-item-${i}
              with:
                id: api-${index}.id
              outputParameters:
                - type: array
                  mapping: $.items
                  items:
                    type: object
                    properties:
                      id:
                        type: string
                        mapping: $.id
                      name:
                        type: string
                        mapping: $.name`);
    tools.push(`        - name: get-item-${i}
          description: Get item ${i}
          hints:
            readOnly: true
          inputParameters:
            - name: id
              type: string
              description: Item id
          call: upstream-${index}.get-item-${i}
          with:
            id: tools-${index}.id
          outputParameters:
            - type: object
              properties:
                id:
                  type: string
                  mapping: $.id`);
  }
  return `naftiko: 1.0.0-alpha2
info:
  label: Generated ${index}
  description: A generated capability with ${operations} operations
capability:
  consumes:
    - type: http
      namespace: upstream-${index}
      baseUri: http://127.0.0.1:1
      resources:
        - name: items
          path: /items/{{id}}
          operations:
${ops.join('\n')}
  exposes:
    - type: rest
      namespace: api-${index}
      port: ${restPort}
      resources:
${rest.join('\n')}
    - type: mcp
      namespace: tools-${index}
      port: ${mcpPort}
      tools:
${tools.join('\n')}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , out = 'bench/.generated', count = '1000'] = process.argv;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `capability-${count}.yaml`), largeCapability(Number(count)));
  console.log(join(out, `capability-${count}.yaml`));
}
