/**
 * `capstan fix`: every de-facto form with an official equivalent is rewritten, the rest of the
 * file is left byte for byte, the result passes `--strict` except for forms `fix` reports it
 * cannot rewrite, and the capability answers exactly as before (REST and MCP, real upstream).
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSpec, hasErrors, loadSpec } from '@capstan/spec';
import { fixFile } from '@capstan/authoring';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { runCliAsync } from '../helpers/cli.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { servedShape } from '../helpers/served-shape.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { SECRETS, SPECS } from '../rest/helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

type Obj = Record<string, any>;

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

/** Strict errors after the fix are exactly the findings `fix` reported it could not rewrite. */
function expectOnlyReportedLeft(outcome: ReturnType<typeof fixCopy>): void {
  // Every strict error is a kind fix reported (strict validation gives one error per root cause,
  // so several kept forms of one node may show as one).
  const left = new Set(outcome.result.left.map((l) => l.diagnostic.code));
  for (const d of outcome.strictErrors) expect(left.has(d.code), `${d.line}: ${d.message}`).toBe(true);
  expect(outcome.strictErrors.length > 0).toBe(left.size > 0);
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

  it('every bundled spec passes --strict after fix, except forms it reports it cannot rewrite', () => {
    const dir = tempSpecDir({});
    for (const file of readdirSync(SPECS).filter((f) => f.endsWith('.yaml'))) {
      const outcome = fixCopy(join(SPECS, file), dir);
      expect(outcome.result.fixed.length, file).toBeGreaterThan(0);
      expectOnlyReportedLeft(outcome);
      // No official form: a nested free-form output (Composio's `data` and `headers`), and a
      // consumed `required: true` that makes the REST input feeding it required.
      for (const l of outcome.result.left) expect(l.reason).toMatch(/needs the shape of the upstream answer|`required: true` is kept/);
    }
    expect(fixCopy(join(SPECS, 'paragon-proxy.yaml'), dir).strictErrors).toEqual([]);
    for (const d of fixCopy(join(SPECS, 'paragon-actionkit.yaml'), dir).strictErrors) expect(['defacto-consumed-input-extras', 'defacto-output-mapping-without-shape']).toContain(d.code);
  });

  it('--dry-run writes nothing; the CLI exits 1 when something is left, 0 when all is fixed', async () => {
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
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('not fixed: ');
  });
});

/**
 * Categories `fix` leaves although an official form could serve the same: it does not write them
 * yet (each is reported per finding with why). Anything else left must have no official form.
 */
const NOT_WRITTEN_YET = new Set([
  'unknown-key', // several named outputs → one `type: object` output with `properties`; a tool output's `mapping` Capstan reads
  'defacto-output-name', // the same two, reported as the keys Capstan reads (read-keys.ts)
  'defacto-output-mapping',
  'wrong-type', // a mapping `body` → its JSON text; `readOnly: f` and similar typos
  'duplicate-route', // a second `METHOD path` that is never served
  'duplicate-operation', // a second operation of one name that no call reaches
  'unknown-adapter-type', // an adapter Capstan skips
  'bad-value', // a `transport` or method Capstan reads loosely
  'input-case-mismatch', // a path parameter named with other case or separators than its placeholder
  'unknown-input-ref', // a tool `with` naming an input the tool does not declare
  'missing-key', // keys whose default is not derived (e.g. `in` on a resource-level input)
]);

describe.skipIf(!HAVE_SHARED)('capstan fix on the corpus (../shared/corpus)', () => {
  it('every corpus file that loads: after fix it passes --strict or keeps only what has no official form, and serves the same', () => {
    const corpus = join(SHARED_DIR, 'corpus/files');
    const dir = tempSpecDir({});
    const files = readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f) && !hasErrors(checkSpec(join(corpus, f)).diagnostics));
    let strictBefore = 0;
    const passing: string[] = [];
    const kept: string[] = [];
    const notWritten: string[] = [];
    const remaining: Record<string, number> = {};
    for (const file of files) {
      const path = join(corpus, file);
      const before = checkSpec(path);
      if (!hasErrors(checkSpec(path, { strict: true }).diagnostics)) strictBefore++;
      const outcome = fixCopy(path, dir);
      const after = checkSpec(outcome.copy);
      expect(hasErrors(after.diagnostics), file).toBe(false);
      // Same served API (OpenAPI, tool definitions) and the same requests and answer mapping.
      expect(servedShape(after.graph!), file).toEqual(servedShape(before.graph!));
      expectOnlyReportedLeft(outcome);
      if (outcome.strictErrors.length === 0) {
        passing.push(file);
        continue;
      }
      for (const d of outcome.strictErrors) remaining[d.code] = (remaining[d.code] ?? 0) + 1;
      const why = (left: typeof outcome.result.left) => [...new Set(left.map((l) => `${l.diagnostic.code}: ${l.reason}`))].join('\n    ');
      const unwritten = outcome.result.left.filter((l) => !l.noOfficialForm);
      for (const l of unwritten) expect(NOT_WRITTEN_YET.has(l.diagnostic.code), `${file}: ${l.diagnostic.code} ${l.reason}`).toBe(true);
      (unwritten.length ? notWritten : kept).push(`${file}\n    ${why(unwritten.length ? unwritten : outcome.result.left)}`);
    }
    console.log([
      `[fix corpus] ${files.length} files load; pass --strict: ${strictBefore} before fix, ${passing.length} after`,
      `[fix corpus] strict errors left after fix, by code: ${JSON.stringify(Object.fromEntries(Object.entries(remaining).sort((a, b) => b[1] - a[1])))}`,
      `[fix corpus] ${kept.length} files keep only forms with no official equivalent:`, ...kept.map((k) => `  ${k}`),
      `[fix corpus] ${notWritten.length} files keep forms fix does not write yet:`, ...notWritten.map((k) => `  ${k}`),
    ].join('\n'));
    expect(files.length).toBeGreaterThanOrEqual(100);
    expect(passing.length).toBeGreaterThanOrEqual(22);
  });
});

/** Arguments for a tool from its input schema: a fixed value per declared type. */
function sampleArgs(schema: Obj): Obj {
  const byType: Obj = { string: 'v1', number: 3, integer: 3, boolean: true, array: ['a'], object: { k: 'v' } };
  return Object.fromEntries(Object.entries<Obj>(schema.properties ?? {}).map(([k, p]) => [k, byType[String(p.type)] ?? 'v1']));
}

describe('capstan fix keeps answers unchanged end to end (the seeds)', () => {
  const dir = tempSpecDir({});
  let upstream: Upstream;
  const runs: CapstanRun[] = [];

  beforeAll(async () => {
    // A deterministic upstream: what it received, minus per-request noise (request ids, ports).
    upstream = await startUpstream((req, res) => json(res, 200, { method: req.method, url: req.url, body: req.body, auth: req.headers.authorization ?? req.headers['x-api-key'] ?? null, data: { n: 1 }, status: 200, headers: { a: 'b' } }));
  });
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.stop()));
    await upstream?.close();
  });

  for (const spec of ['paragon-proxy.yaml', 'paragon-actionkit.yaml', 'composio-proxy.yaml']) {
    it(`${spec}: every REST operation and MCP tool answers the same before and after`, async () => {
      const original = join(SPECS, spec);
      const fixed = join(dir, spec);
      copyFileSync(original, fixed);
      writeFileSync(fixed, fixFile(fixed).text);
      const graph = checkSpec(original).graph!;
      const namespaces = graph.adapters.filter((a) => a.type === 'rest' || a.type === 'mcp').map((a) => a.namespace);
      const [before, after] = await Promise.all([original, fixed].map((f) => startCapstan([f], { namespaces, upstream: upstream.url, env: { ...SECRETS } })));
      runs.push(before!, after!);
      const answers = async (run: CapstanRun) => {
        const out: unknown[] = [];
        for (const ns of namespaces.filter((n) => run.rest[n])) {
          const doc = (await (await fetch(`${run.rest[ns]}/openapi.json`)).json()) as Obj;
          for (const [path, item] of Object.entries<Obj>(doc.paths)) {
            for (const method of Object.keys(item)) {
              const url = `${run.rest[ns]}${path.replace(/\{[^}]+\}/g, 'p1')}`;
              const res = await fetch(url, { method: method.toUpperCase(), ...(method === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tool: 't', parameters: { a: 1 } }) }) });
              // A problem's request id differs per request; everything else must be equal.
              out.push([method, path, res.status, (await res.text()).replace(/"requestId":"[^"]*"/g, '')]);
            }
          }
        }
        for (const ns of namespaces.filter((n) => run.mcp[n])) {
          const client = new Client({ name: 'fix-test', version: '1.0.0' });
          await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp[ns]!)));
          for (const tool of (await client.listTools()).tools) {
            const result = await client.callTool({ name: tool.name, arguments: sampleArgs(tool.inputSchema) });
            out.push([tool.name, result.isError ?? false, result.content]);
          }
          await client.close();
        }
        return out;
      };
      const a = await answers(before!);
      expect(a.length).toBeGreaterThan(0);
      expect(await answers(after!)).toEqual(a);
    });
  }
});
