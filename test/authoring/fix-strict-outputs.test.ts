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
import { json, sendBody, startUpstream, type Upstream } from '../helpers/upstream.js';
import { SPECS } from '../rest/helpers.js';
import { fixStrict, minimalCapability, type StrictOutcome } from './strict-fixture.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

type Obj = Record<string, any>;

/** The upstream answer every test file maps. */
const ANSWER = { data: { id: 7, name: 'Alpha', nested: { deep: true } }, list: ['x', 3, { k: 'v' }], note: 'a long note of many words', byId: { a: { name: 'A', size: 1 }, b: { name: 'B', size: 2 } } };
/** What the upstream answers to a request with `?as=text`. */
const TEXT = 'plain words, not JSON';
/** What the upstream answers to a request with `?as=bytes` (a PDF that is also text). */
const BYTES = '%PDF-1.4 not really';

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

/** The fixed file's outcome for a kind: rewritten, official, loadable; returns the kind's change texts. */
function expectRewritten(outcome: StrictOutcome, kind: string, alongside: string[] = []): string[] {
  expect(outcome.result.left).toEqual([]);
  expect(outcome.result.altered.length).toBeGreaterThan(0);
  for (const a of outcome.result.altered) expect([kind, ...alongside]).toContain(a.kind);
  expect(outcome.strictErrors).toEqual([]);
  expect(outcome.loadErrors).toBe(false);
  return outcome.result.altered.filter((a) => a.kind === kind).map((a) => a.change);
}

let upstream: Upstream;
const runs: CapstanRun[] = [];
beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url?.includes('as=text')) return sendBody(res, 200, TEXT);
    if (req.url?.includes('as=bytes')) return sendBody(res, 200, BYTES, 'application/pdf');
    return json(res, 200, ANSWER);
  });
});
afterAll(async () => {
  await Promise.all(runs.map((r) => r.stop()));
  await upstream.close();
});

/** What a served file answers: the REST body and the MCP tool's result and definition. */
async function answers(file: string): Promise<Obj> {
  const run = await startCapstan([file], { namespaces: ['web', 'agent'], upstream: upstream.url });
  runs.push(run);
  const res = await fetch(`${run.rest.web}/thing`);
  const rest = [res.status, await res.text()];
  const openapi = ((await (await fetch(`${run.rest.web}/openapi.json`)).json()) as Obj).paths['/thing'].get.responses['200'];
  const client = new Client({ name: 'fix-strict-outputs', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
  try {
    const [tool] = (await client.listTools()).tools;
    const result = await client.callTool({ name: 'get-thing', arguments: {} });
    return { rest, openapi, mcp: { isError: result.isError ?? false, content: result.content, structured: result.structuredContent }, outputSchema: tool?.outputSchema };
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
    for (const change of expectRewritten(outcome, 'unshaped-output')) expect(change).toMatch(/^nothing Capstan serves changes: /);
    expect(outcome.result.altered).toHaveLength(4);
    const fixed = readFileSync(outcome.file, 'utf8');
    expect(fixed).toContain('            mapping: $.data\n            properties: {}\n');
    expect(fixed).toContain('            mapping: $.list   # kept comment\n            items: { type: object, properties: {} }\n');
    expect(servedShape(graphOf(outcome.file))).toEqual(servedShape(graphOf(original)));
    expect(before.rest).toEqual([200, JSON.stringify({ list: ANSWER.list, data: ANSWER.data, first: { name: 'Alpha' } })]);
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
  it('output-description: commented out as a strict removal; the MCP output schema loses the text, the answers stay', async () => {
    const { outcome, before, after } = await beforeAndAfter(served(`      - type: object
        properties:
          id:
            type: number
            mapping: $.data.id
            description: The thing's id.
`));
    const changes = expectRewritten(outcome, 'output-description');
    expect(changes).toContain("the MCP output schema of `get-thing` no longer describes this field (\"The thing's id.\"); put the text in the tool's `description` to keep it in front of agents");
    expect(changes.filter((c) => c.startsWith('nothing Capstan serves changes'))).toHaveLength(1); // the REST operation's
    expect(readFileSync(outcome.file, 'utf8')).toContain("            # capstan fix --strict removed (output-description): description: The thing's id.");
    expect(before.outputSchema.properties.id.description).toBe("The thing's id.");
    expect(after.outputSchema.properties.id).not.toHaveProperty('description');
    expect({ ...after, outputSchema: undefined }).toEqual({ ...before, outputSchema: undefined });
  });

  it('output-max-length: commented out; string values are no longer cut', async () => {
    const { outcome, before, after } = await beforeAndAfter(served(`      - type: object
        properties:
          note:
            type: string
            mapping: $.note
            maxLength: 6
`));
    for (const change of expectRewritten(outcome, 'output-max-length')) expect(change).toMatch(/^string values of this output are no longer cut to 6 characters/);
    expect(before.rest).toEqual([200, JSON.stringify({ note: 'a long' })]);
    expect(after.rest).toEqual([200, JSON.stringify({ note: ANSWER.note })]);
    expect(after.mcp.structured).toEqual({ note: ANSWER.note });
  });

  it('output-values: commented out and `properties: {}` written; each entry of the mapped object passes whole', async () => {
    const { outcome, before, after } = await beforeAndAfter(served(`      - type: object
        properties:
          sizes:
            type: object
            mapping: $.byId
            values:
              type: number
              mapping: $.size
`));
    // The output, left without fields, is also `unshaped-output`: that rewrite writes `properties: {}`.
    const changes = expectRewritten(outcome, 'output-values', ['unshaped-output']);
    expect(changes).toHaveLength(2);
    for (const change of changes) expect(change).toMatch(/^each entry of the object at `\$\.byId` now passes whole instead of being shaped by `values`/);
    expect(readFileSync(outcome.file, 'utf8')).toContain('            mapping: $.byId\n            properties: {}\n            # capstan fix --strict removed (output-values): values:\n');
    expect(before.rest).toEqual([200, JSON.stringify({ sizes: { a: 1, b: 2 } })]);
    expect(after.rest).toEqual([200, JSON.stringify({ sizes: ANSWER.byId })]);
  });

  it('answer-format: `text` commented out (JSON, the default); mapped outputs now refuse a text body, an answer nothing maps passes as before', async () => {
    const textOperation = '{ name: get, method: GET, outputRawFormat: text, inputParameters: [{ name: as, in: query, value: text }] }';
    const mapped = await beforeAndAfter(served(`      - type: object
        properties:
          words:
            type: string
            mapping: $
`, textOperation));
    expect(expectRewritten(mapped.outcome, 'answer-format')).toEqual(['the answer is read as JSON, the default: where 2 exposed unit(s) map it, a body that is not JSON now answers 502 (bad-format) instead of being read as one string']);
    expect(mapped.before.rest).toEqual([200, JSON.stringify({ words: TEXT })]);
    expect(mapped.after.rest[0]).toBe(502);
    expect(mapped.after.mcp.isError).toBe(true);
    const unmapped = await beforeAndAfter(served('', textOperation).replace(/\n *outputParameters:\n/g, '\n'));
    expect(expectRewritten(unmapped.outcome, 'answer-format')[0]).toMatch(/^nothing Capstan serves changes: no exposed output maps this answer/);
    expect(unmapped.before.rest).toEqual([200, TEXT]);
    expect(unmapped.after).toEqual(unmapped.before);
  });

  it('unnamed-outputs: names of outputs not all named are commented out (the first that resolves still answers); an earlier output of a name used twice goes (the same values)', async () => {
    const mixed = await beforeAndAfter(served(`      - type: string
        mapping: $.missing
      - name: note
        type: string
        mapping: $.note
`));
    for (const change of expectRewritten(mixed.outcome, 'unnamed-outputs')) expect(change).toMatch(/^the answers stay the same .* calls this output `value1` instead of `note`$/);
    expect(mixed.before.rest).toEqual([200, JSON.stringify(ANSWER.note)]);
    expect({ ...mixed.after, openapi: undefined }).toEqual({ ...mixed.before, openapi: undefined });
    expect(Object.keys(mixed.before.openapi.content['application/json'].schema.properties)).toEqual(['value', 'note']);
    expect(Object.keys(mixed.after.openapi.content['application/json'].schema.properties)).toEqual(['value', 'value1']);
    const twice = await beforeAndAfter(served(`      - name: v
        type: string
        mapping: $.note
      - name: id
        type: number
        mapping: $.data.id
      - name: v
        type: string
        mapping: $.data.name
`));
    for (const change of expectRewritten(twice.outcome, 'unnamed-outputs')) expect(change).toMatch(/^the same values: this output of name `v` was shadowed/);
    expect(JSON.parse(twice.before.rest[1])).toEqual({ v: 'Alpha', id: 7 });
    expect(JSON.parse(twice.after.rest[1])).toEqual(JSON.parse(twice.before.rest[1]));
    expect(twice.after.mcp.structured).toEqual(twice.before.mcp.structured);
    expect(twice.after.outputSchema).toEqual(twice.before.outputSchema);
  });
  it('answer-format: `binary` commented out; the bytes still pass through over REST, as text over MCP, and OpenAPI no longer says `format: binary`', async () => {
    const { outcome, before, after } = await beforeAndAfter(served('', '{ name: get, method: GET, outputRawFormat: binary, inputParameters: [{ name: as, in: query, value: bytes }] }').replace(/\n *outputParameters:\n/g, '\n'));
    expect(expectRewritten(outcome, 'answer-format')[0]).toMatch(/^the answer is no longer binary .*as text rather than a binary block over MCP, without `format: binary` in OpenAPI$/);
    expect(before.rest).toEqual([200, BYTES]);
    expect(after.rest).toEqual([200, BYTES]);
    expect(JSON.stringify(before.openapi)).toContain('"format":"binary"');
    expect(JSON.stringify(after.openapi)).not.toContain('binary');
    expect(before.mcp.content[0].type).not.toBe('text');
    expect(after.mcp.content).toEqual([{ type: 'text', text: BYTES }]);
  });
});
