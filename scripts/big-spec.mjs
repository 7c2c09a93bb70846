/**
 * A capability of the shape the largest real files have (1.8 MB: 1,158 consumed operations,
 * 1,158 REST operations and 1,158 MCP tools), written the way those files are, with their
 * de-facto forms (typed consumed inputs, `description` on the REST adapter, `type: object`
 * outputs mapped whole, `rest.x`/`tools.x` references, `snake_case` names, lower-case methods),
 * so the default mode loads it with warnings. Used by the validation-time test and the bench.
 */

/** The YAML text of a capability with `count` operations in each section. */
export function bigSpecText(count = 1158, upstream = 'https://api.example.test/v2') {
  const out = [
    'naftiko: 1.0.0-alpha2',
    'info:',
    '  title: Large generated capability',
    '  description: A generated capability shaped like the largest published ones, with their de-facto forms.',
    'capability:',
    '  consumes:',
    '    - type: http',
    '      namespace: big-api',
    `      baseUri: ${upstream}`,
    '      description: Every operation of a large upstream API.',
    '      resources:',
  ];
  for (let i = 0; i < count; i++) {
    out.push(
      `        - name: items-${i}`,
      `          path: /collections-${i % 37}/items-${i}/{{item_id}}`,
      '          operations:',
      `            - name: get_item_${i}`,
      '              method: get',
      `              description: Reads one item of collection ${i % 37}, with its metadata, links and current state.`,
      '              inputParameters:',
      '                - name: item_id',
      '                  in: path',
      '                  type: string',
      '                  required: true',
      '                  description: Identifier of the item.',
      '                - name: expand',
      '                  in: query',
      '                  type: string',
      '                  description: Related records to embed in the answer.',
    );
  }
  out.push(
    '  exposes:',
    '    - type: rest',
    '      namespace: big-rest',
    '      port: 8080',
    '      description: REST surface over every upstream operation.',
    '      resources:',
  );
  for (let i = 0; i < count; i++) {
    out.push(
      `        - path: /v1/collections-${i % 37}/items-${i}/{item_id}`,
      `          name: items-${i}`,
      `          description: REST surface for item ${i}.`,
      '          operations:',
      '            - method: GET',
      `              name: get-item-${i}`,
      `              description: Get item ${i} with its metadata.`,
      `              call: big-api.get_item_${i}`,
      '              with:',
      '                item_id: rest.item_id',
      '                expand: rest.expand',
      '              outputParameters:',
      '                - type: object',
      '                  mapping: $.',
    );
  }
  out.push('    - type: mcp', '      namespace: big-mcp', '      port: 9090', '      description: MCP tools over every upstream operation.', '      tools:');
  for (let i = 0; i < count; i++) {
    out.push(
      `        - name: get-item-${i}`,
      `          description: Get item ${i} of collection ${i % 37} with its metadata, links and current state.`,
      '          hints:',
      '            readOnly: true',
      '          inputParameters:',
      '            - name: item_id',
      '              type: string',
      '            - name: expand',
      '              type: string',
      '              required: false',
      `          call: big-api.get_item_${i}`,
      '          with:',
      '            item_id: tools.item_id',
      '            expand: tools.expand',
      '          outputParameters:',
      '            - type: object',
      '              mapping: $.',
    );
  }
  return `${out.join('\n')}\n`;
}
