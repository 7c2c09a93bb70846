// Generates large capability files for the validation and cold-start benchmarks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A capability with `operations` consumed operations, each exposed as a REST operation and an MCP tool. */
export function largeCapability(operations, { index = 0, restPort = 8080, mcpPort = 9090, address } = {}) {
  // `address` (optional) pins both adapters to one interface, e.g. 127.0.0.1 for the benchmark.
  const bind = address ? `\n      address: ${address}` : '';
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
      namespace: api-${index}${bind}
      port: ${restPort}
      resources:
${rest.join('\n')}
    - type: mcp
      namespace: tools-${index}${bind}
      port: ${mcpPort}
      tools:
${tools.join('\n')}
`;
}

/**
 * Writes `count` capability files into `dir` with `operations` operations in all, spread evenly
 * (so 200 files and 5,000 operations give 25 each). Capability i serves REST on `basePort + i`
 * and MCP on `basePort + count + i`. Returns the file paths.
 */
export function capabilityFolder(dir, { count = 200, operations = 5000, basePort = 20000, address } = {}) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < count; i++) {
    const ops = Math.floor(operations / count) + (i < operations % count ? 1 : 0);
    const file = join(dir, `capability-${String(i).padStart(3, '0')}.yaml`);
    writeFileSync(file, largeCapability(ops, { index: i, restPort: basePort + i, mcpPort: basePort + count + i, ...(address ? { address } : {}) }));
    files.push(file);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , out = 'bench/.generated', count = '1000'] = process.argv;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `capability-${count}.yaml`), largeCapability(Number(count)));
  console.log(join(out, `capability-${count}.yaml`));
}
