/**
 * Keys the official schema does not declare where they stand but Capstan reads there
 * (packages/spec/src/read-keys.ts): each is reported as a de-facto form of its own, saying what
 * Capstan does with it and naming the official form, never "Capstan ignores this key"; `--strict`
 * keeps it an error. Per key: the finding, and proof that Capstan really reads it. Keys Capstan
 * does ignore keep the unknown-key message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, READ_KEYS, type CapabilityGraph, type Diagnostic, type McpAdapterNode, type RestAdapterNode } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { mcpToolDefinition } from '@capstan/mcp';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { tempSpec } from '../helpers/tmp.js';

/** A capability with one consumed operation, a REST operation and MCP tools; `extra` lines land at the marked places. */
function capability(parts: { consumes?: string; consumedOp?: string; consumedOutputs?: string; restOp?: string; restOutputs?: string; mcp?: string; tools?: string } = {}): string {
  return `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: Ships of the fleet
capability:
  consumes:
    - type: http
      namespace: registry
      baseUri: http://127.0.0.1:9/api
${parts.consumes ?? ''}      resources:
        - name: ships
          path: /ships
          operations:
            - name: list-ships
              method: GET
${parts.consumedOp ?? ''}${parts.consumedOutputs ?? ''}  exposes:
    - type: rest
      namespace: fleet-rest
      port: 8080
      resources:
        - path: /ships
          name: ships
          operations:
            - method: GET
              name: list-ships
${parts.restOp ?? ''}              call: registry.list-ships
${parts.restOutputs ?? ''}    - type: mcp
      namespace: fleet-tools
      port: 3001
${parts.mcp ?? ''}      tools:
        - name: list-ships
          description: List ships
          call: registry.list-ships
${parts.tools ?? ''}`;
}

/** The findings of a variant, in the default mode and under --strict. */
function findings(yaml: string): { lenient: Diagnostic[]; strict: Diagnostic[]; graph: CapabilityGraph | undefined } {
  const file = tempSpec(yaml);
  const lenient = checkSpec(file);
  return { lenient: lenient.diagnostics, strict: checkSpec(file, { strict: true }).diagnostics, graph: lenient.graph };
}

/** Expects exactly one finding about `key`: a `defacto-<code>` warning that says Capstan reads it (error under --strict); returns the graph. */
function expectRead(yaml: string, key: string, code: string, others: string[] = []): CapabilityGraph {
  const { lenient, strict, graph } = findings(yaml);
  expect(lenient.map((d) => `${d.severity} ${d.code}`).sort()).toEqual([`warning defacto-${code}`, ...others.map((o) => `warning ${o}`)].sort());
  const found = lenient.find((d) => d.code === `defacto-${code}`)!;
  expect(found.message).toContain(`\`${key}\` on `);
  expect(found.message).toContain('Capstan reads it: ');
  expect(found.message).not.toMatch(/ignores/);
  expect(found.fix).toMatch(/^keep it for Capstan; the official form: /);
  expect(found.path!.at(-1)).toBe(key);
  expect(strict.find((d) => d.code === `defacto-${code}`)?.severity).toBe('error');
  expect(graph).toBeDefined();
  return graph!;
}

const rest = (g: CapabilityGraph) => g.adapters.find((a): a is RestAdapterNode => a.type === 'rest')!;
const mcp = (g: CapabilityGraph) => g.adapters.find((a): a is McpAdapterNode => a.type === 'mcp')!;

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream((_req, res) => json(res, 200, { name: 'Northern Star', flag: 'NO', crew: { a: { name: 'Ann', rank: 1 }, b: { name: 'Bo', rank: 2 } } }));
});
afterAll(async () => {
  await upstream.close();
});

/** Runs the REST operation's handler (or the first tool's) against the upstream. */
async function answer(graph: CapabilityGraph, which: 'rest' | 'tool'): Promise<unknown> {
  const exec = await Executor.create(graph, { env: {}, upstreams: { registry: `${upstream.url}/api` } });
  try {
    const handler = which === 'rest' ? rest(graph).resources[0]!.operations[0]!.handler : mcp(graph).tools[0]!.handler;
    const result = await exec.run(handler, { inputs: {} });
    return result.kind === 'json' ? result.value : undefined;
  } finally {
    await exec.close();
  }
}

describe('keys Capstan reads outside the official schema', () => {
  it('the fixture itself has no finding', () => {
    expect(findings(capability()).lenient).toEqual([]);
  });

  it('output-name: `name` on outputs keys the answer when there are several', async () => {
    const graph = expectRead(capability({ restOutputs: `              outputParameters:
                - name: ship
                  type: string
                  mapping: $.name
                - name: flag
                  type: string
                  mapping: $.flag
` }), 'name', 'output-name', ['defacto-output-name']);
    expect(await answer(graph, 'rest')).toEqual({ ship: 'Northern Star', flag: 'NO' });
  });

  it('output-description: `description` on an output describes the field in the tool output schema', () => {
    const graph = expectRead(capability({ tools: `          outputParameters:
            - type: object
              properties:
                ship:
                  type: string
                  mapping: $.name
                  description: The ship's name
` }), 'description', 'output-description');
    expect(mcpToolDefinition(mcp(graph).tools[0]!).outputSchema!.properties!.ship).toEqual({ type: ['string', 'null'], description: "The ship's name" });
  });

  it('output-mapping: `mapping` on an orchestrated output maps the last step\'s answer', async () => {
    const graph = expectRead(capability({ tools: `        - name: ship-name
          description: The ship's name, from a step
          steps:
            - type: call
              name: fetch
              call: registry.list-ships
          outputParameters:
            - name: ship
              type: string
              mapping: $.name
` }), 'mapping', 'output-mapping');
    const tool = mcp(graph).tools.find((t) => t.name === 'ship-name')!;
    const exec = await Executor.create(graph, { env: {}, upstreams: { registry: `${upstream.url}/api` } });
    try {
      const result = await exec.run(tool.handler, { inputs: {} });
      expect(result.kind === 'json' && result.value).toBe('Northern Star');
    } finally {
      await exec.close();
    }
  });

  it('output-values: `values` maps every entry of the object found', async () => {
    const graph = expectRead(capability({ restOutputs: `              outputParameters:
                - type: object
                  mapping: $.crew
                  values:
                    type: string
                    mapping: $.name
` }), 'values', 'output-values', ['defacto-output-mapping-without-shape']);
    expect(await answer(graph, 'rest')).toEqual({ a: 'Ann', b: 'Bo' });
  });

  it('output-max-length: `maxLength` cuts strings', async () => {
    const graph = expectRead(capability({ restOutputs: `              outputParameters:
                - type: string
                  mapping: $.name
                  maxLength: 8
` }), 'maxLength', 'output-max-length');
    expect(await answer(graph, 'rest')).toBe('Northern');
  });

  it('consumed-output-mapping: `mapping` on a consumed output is read as its `value`', () => {
    const graph = expectRead(capability({ consumedOutputs: `              outputParameters:
                - name: ship-name
                  type: string
                  mapping: $.name
` }), 'mapping', 'consumed-output-mapping');
    expect(graph.consumes.get('registry')!.operations.get('list-ships')!.outputParameters).toEqual([{ name: 'ship-name', type: 'string', mapping: '$.name' }]);
    // (the schema's missing `value` is part of the finding: `mapping` stands for it)
  });

  it('beta5 keys in an alpha2 document: tunnel, maxBinarySize, outputMediaType, ttlMs, cacheScope, responseBinary, responses', () => {
    const tunnel = expectRead(capability({ consumes: '      tunnel:\n        type: overlay\n        service: registry.internal\n' }), 'tunnel', 'beta5-key');
    expect(tunnel.consumes.get('registry')!.tunnel).toMatchObject({ type: 'overlay', service: 'registry.internal' });
    const op = expectRead(capability({ consumedOp: '              outputMediaType: application/pdf\n' }), 'outputMediaType', 'beta5-key');
    expect(op.consumes.get('registry')!.operations.get('list-ships')!.outputMediaType).toBe('application/pdf');
    const size = expectRead(capability({ consumedOp: '              maxBinarySize: 5MiB\n' }), 'maxBinarySize', 'beta5-key');
    expect(size.consumes.get('registry')!.operations.get('list-ships')!.maxBinaryBytes).toBe(5 * 1024 ** 2);
    const adapterSize = expectRead(capability({ mcp: '      maxBinarySize: 1KiB\n' }), 'maxBinarySize', 'beta5-key');
    expect(mcp(adapterSize).maxBinaryBytes).toBe(1024);
    const ttl = expectRead(capability({ mcp: '      ttlMs: 5000\n' }), 'ttlMs', 'beta5-key');
    expect(mcp(ttl).cacheHints).toEqual({ ttlMs: 5000, cacheScope: 'private' });
    const scope = expectRead(capability({ mcp: '      cacheScope: public\n' }), 'cacheScope', 'beta5-key');
    expect(mcp(scope).cacheHints).toEqual({ ttlMs: 0, cacheScope: 'public' });
    const binary = expectRead(capability({ restOp: '              responseBinary:\n                mediaType: image/png\n' }), 'responseBinary', 'beta5-key');
    expect(rest(binary).resources[0]!.operations[0]!.binaryMediaType).toBe('image/png');
    const responses = expectRead(capability({ restOp: "              responses:\n                '200':\n                  content:\n                    application/pdf:\n                      binary: true\n" }), 'responses', 'beta5-key');
    expect(rest(responses).resources[0]!.operations[0]!.binaryMediaType).toBe('application/pdf');
  });

  it('every entry of the table is proved above (a new entry needs its test)', () => {
    expect([...new Set(READ_KEYS.map((r) => `${r.code}:${r.key}`))].sort()).toEqual([
      'beta5-key:cacheScope', 'beta5-key:maxBinarySize', 'beta5-key:outputMediaType', 'beta5-key:responseBinary', 'beta5-key:responses', 'beta5-key:ttlMs', 'beta5-key:tunnel',
      'consumed-output-mapping:mapping', 'output-description:description', 'output-mapping:mapping', 'output-max-length:maxLength', 'output-name:name', 'output-values:values',
    ]);
  });
});

describe('keys Capstan does ignore keep the unknown-key message', () => {
  it('`mapping` on a tool input, `ttlMs` on a REST adapter, `values` on a mock output', () => {
    const variants: Array<[string, string]> = [
      [capability({ tools: '          inputParameters:\n            - name: imo\n              type: string\n              description: IMO number\n              mapping: $.imo\n' }), 'mapping'],
      [capability().replace('      port: 8080\n', '      port: 8080\n      ttlMs: 5000\n'), 'ttlMs'],
      [capability({ tools: '        - name: mock-ship\n          description: A fixed ship\n          outputParameters:\n            - name: ship\n              type: string\n              value: Northern Star\n              values:\n                type: string\n' }), 'values'],
    ];
    for (const [yaml, key] of variants) {
      const { lenient } = findings(yaml);
      const found = lenient.filter((d) => d.path?.at(-1) === key);
      expect(found.map((d) => d.code), key).toEqual(['unknown-key']);
      expect(found[0]!.message, key).toContain('Capstan ignores this key');
    }
  });

  it('`call` and `hints` on a skill tool: ignored (a skill tool needs `from` or `instruction`), and the message says where they belong', () => {
    const yaml = `${capability()}    - type: skill
      namespace: fleet-skills
      port: 3002
      skills:
        - name: fleet
          description: Fleet skills
          tools:
            - name: list-ships
              description: List ships
              from:
                sourceNamespace: fleet-tools
                action: list-ships
              call: registry.list-ships
              hints:
                readOnly: true
`;
    const { lenient, graph } = findings(yaml);
    const found = lenient.filter((d) => d.code === 'unknown-key');
    expect(found.map((d) => d.path!.at(-1))).toEqual(['call', 'hints']);
    for (const d of found) {
      expect(d.message).toContain('a skill tool does not call operations itself: it points at a REST operation or MCP tool that does (`from: {sourceNamespace, action}`)');
      expect(d.message).toContain('Capstan ignores this key');
      expect(d.fix).toMatch(/to a tool of an MCP adapter, and point the skill tool at it with `from`$/);
    }
    // Ignored indeed: the skill node keeps the raw tool, which the catalog serves by `from` alone.
    expect(graph).toBeDefined();
  });
});
