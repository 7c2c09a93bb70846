/**
 * `capstan fix --strict` for the findings plain `fix` leaves as "not fixed" (no construct kind):
 * a value of the wrong type, a value outside its list, a consumed operation declared twice or
 * left unnamed. They reach `fix` unfixed in files that do not load (no compiled graph to check a
 * removal against), such as a file whose operations carry an `id` instead of a `name`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec, hasErrors } from '@capstan/spec';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { runCliAsync } from '../helpers/cli.js';
import { startCapstan } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { recordingUpstreamHooks } from './served-answers.js';
import { fixStrict, minimalCapability } from './strict-fixture.js';

/** Operations written with `id` (which no `call` reaches: the file does not load) and values outside the schema. */
const idOperations = minimalCapability(`    - name: count-things
      description: Count the things.
      call: api.count-things
      with:
        flag: agent.flag
      hints:
        readOnly: true
        destructive: fa
      inputParameters:
      - name: flag
        type: b
        description: A flag.`, [
  'name: list-things\n        method: GET',
  'id: get-thing\n        method: GET',
  'id: count-things\n        method: GET\n        inputParameters:\n        - {name: flag, in: query}',
  'name: list-things\n        method: POST',
  'me',
].join('\n      - '));

describe('capstan fix --strict: findings fix leaves as not fixed', () => {
  it('the original does not load: its calls name operations by an `id` Capstan does not read', () => {
    const file = join(tempSpecDir({ 'cap.yaml': idOperations }), 'cap.yaml');
    expect(checkSpec(file).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['unknown-call-target']);
  });

  it('each is rewritten into the nearest official form, with what it changes; the file then loads', () => {
    const outcome = fixStrict(idOperations);
    const text = readFileSync(outcome.file, 'utf8');
    const altered = Object.fromEntries(outcome.result.altered.map((a) => [`${a.diagnostic.code}@${a.diagnostic.line}`, a.change]));
    // Unnamed operations (a missing `name`, and all but the first a duplicate of ``): each named
    // from the `id` the author wrote, so the call reaches it.
    expect(altered['missing-key@19']).toMatch(/had no name .*it is now `count-things` \(from its `id`\), so `call: api\.count-things` reaches it/);
    expect(text).toMatch(/# unknown key, ignored \(capstan fix\): id: count-things\n {6}- method: GET\n {8}name: count-things\n/);
    // duplicate-operation, named: the shadowed one becomes a strict-removal comment.
    expect(altered['duplicate-operation@22']).toMatch(/^none: every `call: api\.list-things` reached the earlier operation/);
    expect(text).toContain('      # capstan fix --strict removed (duplicate-operation): - name: list-things\n      #     method: POST\n');
    // wrong-type: a list item that is not a mapping, and a hint that is not a boolean, become comments.
    expect(altered['wrong-type@24']).toMatch(/^none: Capstan skipped this list item/);
    expect(text).toContain('      # capstan fix --strict removed (wrong-type): - me\n');
    expect(altered['wrong-type@37']).toMatch(/^none served: an MCP client sees a `destructiveHint` only for a boolean/);
    expect(text).toContain('        # capstan fix --strict removed (wrong-type): destructive: fa\n');
    // bad-value: an unknown input type is `string`, as the reference engine reads it.
    expect(altered['bad-value@40']).toMatch(/the served schema says `string` instead of `b`, a type JSON Schema does not know; calls to the tool, which failed \("schema is invalid"\), now reach the upstream/);
    expect(text).toContain('        type: string\n        description: A flag.');
    expect(outcome.loadErrors).toBe(false);
    expect(altered['missing-key@17']).toMatch(/it is now `get-thing` \(from its `id`\)/);
    expect(text).toMatch(/# unknown key, ignored \(capstan fix\): id: get-thing\n {6}- method: GET\n {8}name: get-thing\n/);
    expect(outcome.result.left).toEqual([]);
    expect(outcome.strictErrors).toEqual([]);
  });

  it('the CLI prints one `changed [code]` line for each, and exits 0 when nothing is left', async () => {
    const file = join(tempSpecDir({ 'cap.yaml': idOperations }), 'cap.yaml');
    const run = await runCliAsync(['fix', '--strict', '--dry-run', file]);
    expect(run.stdout).toMatch(/cap\.yaml:19:\d+: changed \[required-key\] .+: the operation had no name/);
    expect(run.stdout).toMatch(/cap\.yaml:22:\d+: changed \[duplicate-operation\] .+: none: every `call: api\.list-things` reached the earlier operation/);
    expect(run.stdout).toMatch(/cap\.yaml:37:\d+: changed \[wrong-type\] `destructive` must be a boolean: none served/);
    expect(run.stdout).toMatch(/cap\.yaml:40:\d+: changed \[bad-value\] `type` must be one of .+: the served schema says `string`/);
    expect(run.stdout).toMatch(/changed 6, left 0/);
    expect(run.code).toBe(0);
  });
});

describe('capstan fix --strict: value-read values with no specific form', () => {
  it('an unknown input type in a file that loads (value-read) becomes `string`, as when fix leaves it', () => {
    const outcome = fixStrict(minimalCapability(`    - name: get-things
      description: Get the things.
      call: api.get
      inputParameters:
      - name: flag
        type: b
        description: A flag.`));
    expect(outcome.result.altered.map((a) => [a.kind, a.change])).toEqual([['value-read', expect.stringMatching(/^the served schema says `string` instead of `b`/)]]);
    expect(outcome.result.left).toEqual([]);
    expect(outcome.strictErrors).toEqual([]);
    expect(outcome.loadErrors).toBe(false);
  });
});

describe('capstan fix --strict: a finding no rewrite can make official', () => {
  it('a capability of keys Capstan ignores serves nothing, and no official capability does: it is left, and the CLI exits 1', async () => {
    const file = join(tempSpecDir({ 'cap.yaml': 'naftiko: 1.0.0-alpha2\ninfo:\n  label: Test\n  description: Test capability.\ncapability:\n  workflow:\n    name: w\n' }), 'cap.yaml');
    const run = await runCliAsync(['fix', '--strict', file]);
    expect(run.stdout).toMatch(/cap\.yaml:1:1: not fixed \[missing-key\] missing required key `capability`: .*`--strict` cannot rewrite it/);
    expect(run.code).toBe(1);
    expect((await runCliAsync(['validate', '--strict', file])).code).toBe(1);
  });
});

describe('capstan fix --strict on not-fixed findings: what is served (real upstream, MCP client)', () => {
  const { upstream, runs } = recordingUpstreamHooks();

  it('the hint is absent before and after; the input type becomes `string`, and a call that failed on the unknown type reaches the upstream', async () => {
    // The original as it would load (its operations named as their `id`s say): what Capstan served for these values.
    const dir = tempSpecDir({ 'before.yaml': idOperations.replace(/- id: /g, '- name: ') });
    const after = join(dir, 'after.yaml');
    writeFileSync(after, readFileSync(fixStrict(idOperations).file, 'utf8'));
    expect(hasErrors(checkSpec(join(dir, 'before.yaml')).diagnostics)).toBe(false);
    const served = [];
    for (const file of [join(dir, 'before.yaml'), after]) {
      const run = await startCapstan([file], { namespaces: ['agent'], upstream: upstream().url });
      runs.push(run);
      const client = new Client({ name: 'fix-strict-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp.agent!)));
      const [tool] = (await client.listTools()).tools;
      const answer = await client.callTool({ name: 'count-things', arguments: { flag: 'x' } }).catch((err: Error) => err.message);
      await client.close();
      served.push({ annotations: tool!.annotations, type: (tool!.inputSchema.properties as Record<string, { type: string }>).flag!.type, answer });
    }
    expect(served[0]!.annotations).toEqual({ readOnlyHint: true });
    expect(served[1]!.annotations).toEqual(served[0]!.annotations);
    expect([served[0]!.type, served[1]!.type]).toEqual(['b', 'string']);
    // Before: the SDK refuses the input schema, so the call fails; after: it reaches the upstream.
    expect(served[0]!.answer).toMatch(/schema is invalid/);
    expect(JSON.parse((served[1]!.answer as { content: Array<{ text: string }> }).content[0]!.text)).toMatchObject({ method: 'GET', url: '/things?flag=x' });
  });
});
