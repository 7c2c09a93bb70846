/**
 * `capstan fix`: every de-facto form with an official equivalent is rewritten, the rest of the
 * file is left byte for byte, the result passes `--strict` except for forms `fix` reports it
 * cannot rewrite, and the capability answers exactly as before (REST and MCP, real upstream).
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkSpec, hasErrors, loadSpec } from '@capstan/spec';
import { fixFile, NO_OFFICIAL_KINDS } from '@capstan/authoring';
import { runCliAsync } from '../helpers/cli.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { servedShape } from '../helpers/served-shape.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { SPECS } from '../rest/helpers.js';
import { describeSeedAnswers } from './served-answers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** Fixes a copy of `file` in `dir`; returns the copy, the fix result, and its strict errors after. */
function fixCopy(file: string, dir: string) {
  const copy = join(dir, file.split('/').pop()!);
  copyFileSync(file, copy);
  const result = fixFile(copy);
  writeFileSync(copy, result.text);
  // Capstan extensions (`x-capstan-*`) are kept on purpose: they are not de-facto forms to rewrite.
  const strictErrors = checkSpec(copy, { strict: true }).diagnostics.filter((d) => d.severity === 'error' && d.code !== 'capstan-extension');
  return { copy, result, strictErrors };
}

/**
 * After fix, a file fails `--strict` only with kept constructs that have no official form: each
 * strict error is a finding `fix` kept at that very line, of a documented kind, and nothing is
 * left that `fix` merely could not rewrite.
 */
function expectOnlyNoOfficialForm(file: string, outcome: ReturnType<typeof fixCopy>): void {
  for (const l of outcome.result.left) expect(l.kind, `${file}:${l.diagnostic.line}: ${l.diagnostic.code} not fixed: ${l.reason}`).toBeDefined();
  for (const d of outcome.strictErrors) {
    const kept = outcome.result.left.find((l) => l.diagnostic.code === d.code && l.diagnostic.line === d.line && l.noOfficialForm);
    expect(kept, `${file}:${d.line}: ${d.code} ${d.message}`).toBeDefined();
  }
  expect(outcome.strictErrors.length > 0, file).toBe(outcome.result.left.length > 0);
}

describe('capstan fix', () => {
  it('rewrites only the de-facto lines, keeping comments, flow maps, order and CRLF', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const before = crlf(`naftiko: 1.0.0-alpha2
# the capability
info:
  title: Weather   # shown in catalogs
  tags: [a, b]
capability:
  consumes:
  - type: http
    namespace: w
    baseUri: https://w.test
    resources:
    - name: r
      path: /r/{{city}}
      operations:
      - name: get
        method: GET
        inputParameters:
        - {name: city, in: path, type: string, required: true}
  exposes:
  - type: rest
    description: REST facade
    port: 8080
    namespace: w-rest
    resources:
    - path: /r/{city}
      operations:
      - method: GET
        call: w.get
        inputParameters:
        - name: city   # the city
          in: path
          type: string
        with: {city: w-rest.city}
        outputParameters:
        - type: object
          mapping: $.
`);
    const dir = tempSpecDir({ 'cap.yaml': before });
    const result = fixFile(join(dir, 'cap.yaml'));
    expect(result.left).toEqual([]);
    // Exactly these lines change; everything else is byte for byte the same.
    const expected = before
      .replace('  title: Weather   # shown in catalogs\r\n', '  label: Weather   # shown in catalogs\r\n  description: Weather.\r\n')
      .replace('{name: city, in: path, type: string, required: true}', '{name: city, in: path}')
      .replace('    description: REST facade\r\n', '')
      .replace('        - name: city   # the city\r\n', '        - name: city   # the city\r\n          description: The city path parameter.\r\n')
      .replace('        outputParameters:\r\n        - type: object\r\n          mapping: $.\r\n', '');
    expect(expected).not.toBe(before);
    expect(result.text).toBe(expected);

    writeFileSync(join(dir, 'cap.yaml'), result.text);
    expect(checkSpec(join(dir, 'cap.yaml'), { strict: true }).diagnostics).toEqual([]);
  });

  it('writes the official form of each category that has one, and serves the same: named outputs, auth spellings, ignored constructs, assumed defaults', () => {
    const before = `naftiko: 1.0.0-alpha2
info: {label: Shop, description: Shop items.}
binds:
- namespace: env
  keys: {SHOP_TOKEN: SHOP_TOKEN}
capability:
  consumes:
  - type: http
    namespace: shop
    baseUri: https://shop.test
    authentication:
      type: header
      header: X-Auth-Token
      value: '{{SHOP_TOKEN}}'
    resources:
    - name: items
      operations:
      - name: list-items
        inputParameters:
        - {name: q, in: query}
      - name: list-items
        method: POST
  exposes:
  - type: http
    namespace: old
    port: 8081
  - type: rest
    port: 8080
    namespace: shop-rest
    resources:
    - path: /items
      operations:
      - method: GET
        call: shop.list-items
        with: {q: shop-rest.q, extra: shop-rest.q}
        inputParameters:
        - {name: q, in: query, type: string, description: Query., required: false}
        outputParameters:
        - name: first   # the first item
          type: string
          mapping: $[0].name
        - name: all
          type: array
          mapping: $[*].name
          items: {type: string, mapping: $}
      - method: GET
        call: shop.list-items
  - type: mcp
    transport: stdio
    port: 9090
    namespace: shop-mcp
    tools:
    - name: list-items
      hints:
      call: shop.list-items
      inputParameters:
      - {name: q, type: string, description: Query.}
`;
    const dir = tempSpecDir({ 'cap.yaml': before });
    const file = join(dir, 'cap.yaml');
    const result = fixFile(file);
    expect(result.left).toEqual([]);
    expect(result.fixed.map((d) => d.code)).toEqual(expect.arrayContaining(['defacto-consumed-auth-scheme', 'unknown-adapter-type', 'duplicate-route', 'duplicate-operation', 'wrong-type', 'bad-value', 'missing-key', 'defacto-output-name', 'defacto-rest-input-required']));
    // Several named outputs → one object output, each under its name with its own lines and comment.
    expect(result.text).toContain(`        outputParameters:
        - type: object
          properties:
            first:
              type: string
              mapping: $[0].name
            all:
              type: array
              mapping: $[*].name
              items: {type: string, mapping: $}
`);
    // The auth spelling becomes the official apikey object; ignored constructs become comments.
    expect(result.text).toContain(`    authentication:
      type: apikey
      key: X-Auth-Token
      value: "{{SHOP_TOKEN}}"
      placement: header
`);
    expect(result.text).toMatch(/# adapter type Capstan does not serve, skipped \(capstan fix\): - type: http/);
    expect(result.text).toMatch(/# shadowed by an earlier one of the same name, never used \(capstan fix\): - name: list-items/);
    expect(result.text).toMatch(/# shadowed by an earlier one of the same name, never used \(capstan fix\): - method: GET/);
    expect(result.text).toMatch(/# a stdio MCP server listens on no port, ignored \(capstan fix\): port: 9090/);
    // A `with` entry nothing reads goes (a flow map loses the entry).
    expect(result.text).toContain('        with: {q: shop-rest.q}\n');
    // Assumed defaults written out; a tool description from its name.
    expect(result.text).toMatch(/- name: items\n\s+path: ""\n/);
    expect(result.text).toMatch(/- name: list-items\n\s+method: GET\n/);
    expect(result.text).toMatch(/- name: list-items\n\s+description: list items\.\n/);
    const graphBefore = checkSpec(file).graph!;
    writeFileSync(file, result.text);
    expect(checkSpec(file, { strict: true }).diagnostics).toEqual([]);
    expect(servedShape(checkSpec(file).graph!)).toEqual(servedShape(graphBefore));
  });

  it('keeps a construct Capstan reads even where the schema calls it a wrong value, and says it has no official form', () => {
    const text = `naftiko: 1.0.0-alpha2
info: {label: Shop, description: Shop items.}
capability:
  consumes:
  - {type: http, namespace: shop, baseUri: https://shop.test, resources: [{name: items, path: /items, operations: [{name: head-items, method: HEAD}]}]}
  exposes:
  - type: mcp
    port: 9090
    namespace: shop-mcp
    tools:
    - {name: head-items, description: Head., call: shop.head-items, hints: {readOnly: f}, with: {note: hello}, outputParameters: [{type: string, value: '{{note}}'}]}
`;
    const dir = tempSpecDir({ 'cap.yaml': text });
    const result = fixFile(join(dir, 'cap.yaml'));
    expect(result.text).toBe(text);
    // A `with` entry only an output template reads stays too.
    expect(result.left.map((l) => [l.diagnostic.code, l.kind])).toEqual([['bad-value', 'value-read'], ['wrong-type', 'value-read'], ['unknown-with-key', 'with-key-for-templates']]);
  });

  it('rewrites schema findings into what Capstan does today: unknown key → comment, loose input → `with`, derived `in`', () => {
    const before = `naftiko: 1.0.0-alpha2
info:
  label: Shop
  description: Shop items.
capability:
  consumes:
  - type: http
    namespace: shop
    baseUri: https://shop.test
    resources:
    - name: items
      path: /items/{{itemId}}
      operations:
      - name: get-item
        method: GET
        path: /ignored   # not read
        inputParameters:
        - name: limit
          in: query
  exposes:
  - type: rest
    port: 8080
    namespace: shop-rest
    resources:
    - path: /items/{itemid}
      operations:
      - method: GET
        call: shop.get-item
        inputParameters:
        - name: itemid
          in: path
          type: string
          description: The item.
        - name: limit
          type: string
          description: How many.
`;
    const dir = tempSpecDir({ 'cap.yaml': before });
    const file = join(dir, 'cap.yaml');
    const result = fixFile(file);
    expect(result.left).toEqual([]);
    expect(result.fixed.map((d) => d.code).sort()).toEqual(['input-case-mismatch', 'missing-key', 'unknown-key']);
    expect(result.text).toBe(before
      .replace('        path: /ignored   # not read\n', '        # unknown key, ignored (capstan fix): path: /ignored   # not read\n')
      .replace('        call: shop.get-item\n', '        call: shop.get-item\n        with: { itemId: shop-rest.itemid }\n')
      .replace('        - name: limit\n          type: string\n', '        - name: limit\n          in: query\n          type: string\n'));
    const graphBefore = checkSpec(file).graph!;
    writeFileSync(file, result.text);
    expect(checkSpec(file, { strict: true }).diagnostics).toEqual([]);
    expect(servedShape(checkSpec(file).graph!)).toEqual(servedShape(graphBefore));
  });

  it('every bundled spec passes --strict after fix, except constructs with no official form (each reported with its kind)', () => {
    const dir = tempSpecDir({});
    for (const file of readdirSync(SPECS).filter((f) => f.endsWith('.yaml'))) {
      const outcome = fixCopy(join(SPECS, file), dir);
      expect(outcome.result.fixed.length, file).toBeGreaterThan(0);
      // No official form: a nested free-form output (Composio's `data` and `headers`), and a
      // consumed `required: true` that makes the REST input feeding it required.
      for (const l of outcome.result.left) expect(['unshaped-output', 'consumed-required']).toContain(l.kind);
      expectOnlyNoOfficialForm(file, outcome);
    }
    expect(fixCopy(join(SPECS, 'paragon-proxy.yaml'), dir).strictErrors).toEqual([]);
    for (const d of fixCopy(join(SPECS, 'paragon-actionkit.yaml'), dir).strictErrors) expect(['defacto-consumed-input-extras', 'defacto-output-mapping-without-shape']).toContain(d.code);
  });

  it('--dry-run writes nothing; the CLI exits 0 when all is fixed, 3 when only constructs with no official form are left, 1 when a finding is not fixed', async () => {
    const dir = tempSpecDir({});
    const file = join(dir, 'proxy.yaml');
    copyFileSync(join(SPECS, 'paragon-proxy.yaml'), file);
    const dry = await runCliAsync(['fix', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would fix \d+, left 0/);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(SPECS, 'paragon-proxy.yaml'), 'utf8'));
    expect((await runCliAsync(['fix', file])).code).toBe(0);
    expect((await runCliAsync(['validate', '--strict', file])).code).toBe(0);
    const composio = join(dir, 'composio.yaml');
    copyFileSync(join(SPECS, 'composio-proxy.yaml'), composio);
    const partial = await runCliAsync(['fix', composio]);
    expect(partial.code).toBe(3);
    // One line per kept construct: where, its kind, what, why.
    const kept = partial.stdout.split('\n').filter((l) => l.includes('no official form ['));
    expect(kept.length).toBeGreaterThan(0);
    for (const line of kept) expect(line).toMatch(/^\S+composio\.yaml:\d+:\d+: no official form \[(unshaped-output|consumed-required)\] .+: .+/);
    // A finding fix does not rewrite here (a de-facto form in an imported consumes file) exits 1.
    const shared = `naftiko: 1.0.0-alpha2
info: {label: Shared, description: Shared.}
consumes:
- namespace: w
  type: http
  baseUri: https://w.test
  resources:
  - {name: r, path: /r, operations: [{name: get, method: GET, inputParameters: [{name: q, in: query, type: string}]}]}
`;
    const main = `naftiko: 1.0.0-alpha2
info: {label: Main, description: Main.}
capability:
  consumes:
  - {location: ./shared.yaml, import: w}
  exposes:
  - type: mcp
    port: 9000
    namespace: m
    tools:
    - {name: get, description: Get., call: w.get, inputParameters: [{name: q, type: string, description: Q.}]}
`;
    const importing = tempSpecDir({ 'shared.yaml': shared, 'cap.yaml': main });
    const failed = await runCliAsync(['fix', join(importing, 'cap.yaml')]);
    expect(failed.stdout).toMatch(/shared\.yaml:8:\d+: not fixed \[defacto-consumed-input-extras\] .*run `capstan fix` on that file/);
    expect(failed.code).toBe(1);
  });
});

describe.skipIf(!HAVE_SHARED)('capstan fix on the corpus (../shared/corpus)', () => {
  it('every corpus file that loads: after fix it passes --strict or fails only with documented constructs that have no official form, and serves the same', () => {
    const corpus = join(SHARED_DIR, 'corpus/files');
    const dir = tempSpecDir({});
    const files = readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f) && !hasErrors(checkSpec(join(corpus, f)).diagnostics));
    const documented = readFileSync(join(import.meta.dirname, '../../docs/authoring.md'), 'utf8');
    let strictBefore = 0;
    const passing: string[] = [];
    const filesByKind: Record<string, number> = {};
    for (const file of files) {
      const path = join(corpus, file);
      const before = checkSpec(path);
      if (!hasErrors(checkSpec(path, { strict: true }).diagnostics)) strictBefore++;
      const outcome = fixCopy(path, dir);
      const after = checkSpec(outcome.copy);
      expect(hasErrors(after.diagnostics), file).toBe(false);
      // Same served API (OpenAPI, tool definitions) and the same requests and answer mapping.
      expect(servedShape(after.graph!), file).toEqual(servedShape(before.graph!));
      expectOnlyNoOfficialForm(file, outcome);
      if (outcome.strictErrors.length === 0) passing.push(file);
      for (const kind of new Set(outcome.result.left.map((l) => l.kind!))) filesByKind[kind] = (filesByKind[kind] ?? 0) + 1;
    }
    // Every kind kept is one the authoring docs list, with what the author can do.
    for (const kind of Object.keys(filesByKind)) expect(documented, kind).toContain(`| \`${kind}\` |`);
    console.log([
      `[fix corpus] ${files.length} files load; pass --strict: ${strictBefore} before fix, ${passing.length} after; ${files.length - passing.length} keep only constructs with no official form`,
      `[fix corpus] files keeping each kind: ${JSON.stringify(Object.fromEntries(Object.entries(filesByKind).sort((a, b) => b[1] - a[1])))}`,
    ].join('\n'));
    expect(files.length).toBeGreaterThanOrEqual(100);
    expect(passing.length).toBeGreaterThanOrEqual(24);
  });

  it('every kind of construct kept has a row in the authoring docs', () => {
    const documented = readFileSync(join(import.meta.dirname, '../../docs/authoring.md'), 'utf8');
    for (const kind of Object.keys(NO_OFFICIAL_KINDS)) expect(documented, kind).toContain(`| \`${kind}\` |`);
  });
});

describeSeedAnswers('capstan fix keeps answers unchanged end to end (the seeds)', (file) => fixFile(file).text);
