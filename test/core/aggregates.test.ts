/** Aggregates: `ref` resolution and inheritance, semantics → hints, and running a function from REST and MCP units. */
import { describe, expect, it } from 'vitest';
import { checkSpec, type McpAdapterNode, type RestAdapterNode } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { tempSpec } from '../helpers/tmp.js';

const SPEC = (toolRef: string, toolExtra = '') => `naftiko: 1.0.0-alpha2
info:
  label: Aggregates
  description: Shared functions
capability:
  aggregates:
    - label: Greeter
      namespace: greeter
      functions:
        - name: greet
          description: Greets someone
          semantics:
            safe: true
            idempotent: true
          inputParameters:
            - name: who
              type: string
              description: Who to greet
          outputParameters:
            - name: greeting
              type: string
              value: "hello {{who}}"
  exposes:
    - type: mcp
      namespace: tools
      port: 3001
      tools:
        - ref: ${toolRef}
${toolExtra}    - type: rest
      namespace: api
      port: 3002
      resources:
        - path: /greet/{who}
          operations:
            - method: GET
              ref: greeter.greet
`;

describe('aggregates', () => {
  it('reports an unknown ref at the ref, with the closest function', () => {
    const errors = checkSpec(tempSpec(SPEC('greeter.gret'))).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 28, column: 16, code: 'unknown-ref', message: '`ref: greeter.gret` names no aggregate function — did you mean `greeter.greet`?', fix: 'write `ref: greeter.greet`' });
  });

  it('lets a tool inherit name, description and inputs, and derives hints from semantics', () => {
    const graph = checkSpec(tempSpec(SPEC('greeter.greet'))).graph!;
    const tool = (graph.adapters[0] as McpAdapterNode).tools[0]!;
    expect(tool).toMatchObject({ name: 'greet', description: 'Greets someone', hints: { readOnly: true, destructive: false, idempotent: true } });
    expect(tool.inputParameters).toEqual([{ name: 'who', type: 'string', description: 'Who to greet', required: true }]);
  });

  it('lets explicit hints override derived ones field by field', () => {
    const graph = checkSpec(tempSpec(SPEC('greeter.greet', '          hints:\n            destructive: true\n'))).graph!;
    expect((graph.adapters[0] as McpAdapterNode).tools[0]!.hints).toEqual({ readOnly: true, destructive: true, idempotent: true });
  });

  it('runs the same function from an MCP tool and a REST operation', async () => {
    const graph = checkSpec(tempSpec(SPEC('greeter.greet'))).graph!;
    const executor = await Executor.create(graph, { env: {} });
    try {
      const tool = (graph.adapters[0] as McpAdapterNode).tools[0]!;
      const op = (graph.adapters[1] as RestAdapterNode).resources[0]!.operations[0]!;
      expect(await executor.run(tool.handler, { inputs: { who: 'Ada' } })).toEqual({ kind: 'json', status: 200, value: { greeting: 'hello Ada' } });
      expect(await executor.run(op.handler, { inputs: { who: 'Bob' } })).toEqual({ kind: 'json', status: 200, value: { greeting: 'hello Bob' } });
    } finally {
      await executor.close();
    }
  });
});
