/**
 * `capstan fix --strict` for the output kinds: `unshaped-output`, `output-description`,
 * `output-max-length`, `output-values`, `unnamed-outputs`, `answer-format`. Each: a small file
 * that trips it is rewritten, reported with what changes, passes `--strict` and loads; where the
 * change text claims the answers stay the same (or names a difference), the file is served
 * before and after against a real upstream and called over REST and MCP.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSpec, type CapabilityGraph } from '@capstan/spec';
import { fixFile } from '@capstan/authoring';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { servedShape } from '../helpers/served-shape.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { SPECS } from '../rest/helpers.js';
import { fixStrict, minimalCapability, type StrictOutcome } from './strict-fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

type Obj = Record<string, any>;

/** The upstream answer every test file maps. */
const ANSWER = { data: { id: 7, name: 'Alpha', nested: { deep: true } }, list: ['x', 3, { k: 'v' }], note: 'a long note of many words' };

/** A capability serving one REST operation and one MCP tool over `GET /thing`, both with `outputs` (YAML indented 8). */
const served = (outputs: string, consumedOperation?: string): string =>
  minimalCapability(`    - name: get-thing
      description: Get the thing.
      call: api.get
      outputParameters:
${outputs}`, consumedOperation).replace(
    '  - type: mcp\n',
    `  - type: rest
    port: 9001
    namespace: web
    resources:
    - path: /thing
      name: thing
      description: The thing.
      operations:
      - method: GET
        name: get-thing
        description: Get the thing.
        call: api.get
        outputParameters:
${outputs.replace(/^/gm, '  ')}
  - type: mcp
`,
  );

const graphOf = (file: string): CapabilityGraph => checkSpec(file).graph!;

/** What the fixed file's outcome must be for a kind: rewritten, reported, official, loadable. */
function expectRewritten(outcome: StrictOutcome, kind: string, change: RegExp): void {
  expect(outcome.result.left).toEqual([]);
  expect(outcome.result.altered.length).toBeGreaterThan(0);
  for (const a of outcome.result.altered) {
    expect(a.kind).toBe(kind);
    expect(a.change).toMatch(change);
  }
  expect(outcome.strictErrors).toEqual([]);
  expect(outcome.loadErrors).toBe(false);
}

let upstream: Upstream;
const runs: CapstanRun[] = [];
beforeAll(async () => {
  upstream = await startUpstream((_req, res) => json(res, 200, ANSWER));
});
afterAll(async () => {
  await Promise.all(runs.map((r) => r.stop()));
  await upstream.close();
});

/** What a served file answers: the REST body and the MCP tool's result and definition. */
async function answers(file: string): Promise<Obj> {
  const run = await startCapstan([file], { namespaces: ['web', 'agent'], upstream: upstream.url });
  runs.push(run);
  const rest = await fetch(`${run.rest.web}/thing`);
  const client = new Client({ name: 'fix-strict-outputs', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
  try {
    const [tool] = (await client.listTools()).tools;
    const result = await client.callTool({ name: 'get-thing', arguments: {} });
    return { rest: [rest.status, await rest.json()], mcp: { isError: result.isError ?? false, content: result.content, structured: result.structuredContent }, outputSchema: tool?.outputSchema };
  } finally {
    await client.close();
    await run.stop();
  }
}

/** Serves `text` as written and after `fix --strict`; returns both answers and the outcome. */
async function beforeAndAfter(text: string): Promise<{ outcome: StrictOutcome; before: Obj; after: Obj; original: string }> {
  const original = join(tempSpecDir({ 'cap.yaml': text }), 'cap.yaml');
  const outcome = fixStrict(text);
  const [before, after] = await Promise.all([answers(original), answers(outcome.file)]);
  return { outcome, before, after, original };
}

describe('capstan fix --strict: outputs', () => {
  it('unshaped-output: `properties: {}` / `items: {type: object, properties: {}}` are written, and the file serves exactly the same (answers, OpenAPI, MCP output schema)', async () => {
    const text = served(`      - type: object
        properties:
          list:
            type: array
            mapping: $.list   # kept comment
          data:
            type: object
            mapping: $.data
          first:
            type: object
            properties:
              name: { type: string, mapping: $.data.name }
`);
    const { outcome, before, after, original } = await beforeAndAfter(text);
    expectRewritten(outcome, 'unshaped-output', /^nothing Capstan serves changes: /);
    expect(outcome.result.altered).toHaveLength(4);
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed).toContain('            mapping: $.data\n            properties: {}\n');
    expect(fixed).toContain('            mapping: $.list   # kept comment\n            items: { type: object, properties: {} }\n');
    expect(servedShape(graphOf(outcome.file))).toEqual(servedShape(graphOf(original)));
    expect(before.rest).toEqual([200, { list: ANSWER.list, data: ANSWER.data, first: { name: 'Alpha' } }]);
    expect(after).toEqual(before);
  });

  it('unshaped-output on the Composio seed: its `data` and `headers` objects get `properties: {}` and every output serves as before', () => {
    const dir = tempSpecDir({});
    const copy = join(dir, 'composio-proxy.yaml');
    copyFileSync(join(SPECS, 'composio-proxy.yaml'), copy);
    const result = fixFile(copy, { strict: true });
    writeFileSync(copy, result.text);
    const unshaped = result.altered.filter((a) => a.kind === 'unshaped-output');
    expect(unshaped).toHaveLength(4);
    expect(result.left.filter((l) => l.kind === 'unshaped-output')).toEqual([]);
    expect(checkSpec(copy, { strict: true }).diagnostics.filter((d) => /output-mapping-without-shape/.test(d.code))).toEqual([]);
    const outputs = (graph: CapabilityGraph) => JSON.stringify(graph.adapters.map((a) => (a.type === 'mcp' ? a.tools.map((t) => t.handler) : a.type === 'rest' ? a.resources.flatMap((r) => r.operations.map((o) => o.handler)) : [])).flat().map((h) => ('outputs' in h ? h.outputs : [])));
    expect(outputs(graphOf(copy))).toEqual(outputs(graphOf(join(SPECS, 'composio-proxy.yaml'))));
  });
});
