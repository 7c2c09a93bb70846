/**
 * Request body types outside the official list (docs/conformance.md row D14): aliases of the
 * official types (`form`, `multipart`, MIME types, other cases), a multipart field map, octet-stream
 * types and unknown types. Each is served as what its author meant (a real URL-encoded form, a real
 * multipart body, bytes as is) or, for an unknown type, as the reference engine does (the JSON text
 * of the data); each is a warning at its line naming the official form, an error under `--strict`;
 * `capstan fix` rewrites each into that official form, after which the file passes `--strict` and
 * the upstream receives the same fields and the caller the same answer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSpec, type Diagnostic } from '@capstan/spec';
import { fixFile } from '@capstan/authoring';
import { runCliAsync } from '../../helpers/cli.js';
import { tempSpec } from '../../helpers/tmp.js';
import { json, startUpstream, type Seen, type Upstream } from '../../helpers/upstream.js';
import { serveInProcess } from '../../rest/inprocess.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

type Fields = Record<string, unknown>;
type Sent = 'form' | 'multipart' | 'json' | 'text' | 'xml' | 'octet';

/** One consumed operation: its body as written, how it is sent, and the finding it gives (none when official). */
interface Case {
  type: string;
  /** The `data:` value, as YAML lines under `data:` (or inline after it). */
  data: string;
  sent: Sent;
  /** The finding: its code, the key it points at, and the official form its message names. */
  finding?: { code: 'defacto-body-type' | 'defacto-body-parts-map'; at: 'type' | 'data'; names: string };
}

const FIELDS_MAP = `
                  name: '{{name}}'
                  note: 'n: {{note}}'
                  count: 5`;
const FIELDS = { name: 'Ann Lee', note: 'n: x&y=z', count: '5' };
const alias = (official: string) => ({ code: 'defacto-body-type' as const, at: 'type' as const, names: official });

const CASES: Case[] = [
  ...['form', 'urlencoded', 'form-urlencoded', 'x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'FormUrlEncoded'].map((type): Case => ({ type, data: FIELDS_MAP, sent: 'form', finding: alias('`formUrlEncoded`') })),
  { type: 'form', data: ` 'name={{name}}&fixed=1'`, sent: 'form', finding: alias('`formUrlEncoded`') },
  ...['multipart', 'form-data', 'multipart/form-data', 'Multipart_Form'].map((type): Case => ({ type, data: FIELDS_MAP, sent: 'multipart', finding: alias('`multipartForm`') })),
  { type: 'form-data', data: ` { name: '{{name}}', note: 'n: {{note}}', count: 5 }`, sent: 'multipart', finding: alias('`multipartForm`') },
  { type: 'multipartForm', data: FIELDS_MAP, sent: 'multipart', finding: { code: 'defacto-body-parts-map', at: 'data', names: 'list of parts' } },
  {
    type: 'multipart',
    data: `
                  - name: name
                    value: '{{name}}'
                  - name: file
                    value: 'hello {{note}}'
                    filename: a.txt
                    contentType: text/plain`,
    sent: 'multipart',
    finding: alias('`multipartForm`'),
  },
  { type: 'JSON', data: FIELDS_MAP, sent: 'json', finding: alias('`json`') },
  { type: 'application/json', data: FIELDS_MAP, sent: 'json', finding: alias('`json`') },
  { type: 'text/plain', data: ` 'Hi {{name}}'`, sent: 'text', finding: alias('`text`') },
  { type: 'text/xml', data: ` '<a>{{name}}</a>'`, sent: 'xml', finding: alias('`xml`') },
  { type: 'binary', data: ` 'bytes of {{name}}'`, sent: 'octet', finding: alias('plain string `body:`') },
  { type: 'binary', data: `\n                  content: '{{name}}'`, sent: 'json', finding: alias('`type: json`') },
  { type: 'graphql', data: FIELDS_MAP, sent: 'json', finding: alias('`type: json`') },
  { type: 'formUrlEncoded', data: `\n                  name: '{{name}}'`, sent: 'form' },
];

/** The capability: one consumed POST per case, each called by a REST GET `/op-<i>?name=&note=`. */
function capability(port: number): { text: string; at: Array<{ type: [number, number]; data: [number, number] }> } {
  const lines = [
    'naftiko: 1.0.0-alpha2',
    'info:',
    '  label: Bodies',
    '  description: Request bodies in every spelling.',
    'capability:',
    '  consumes:',
    '    - type: http',
    '      namespace: sink',
    `      baseUri: http://127.0.0.1:${port}`,
    '      resources:',
    '        - name: submit',
    '          path: /submit',
    '          operations:',
  ];
  const at = CASES.map((c, i) => {
    lines.push(`            - name: op-${i}`, '              method: POST', '              body:', `                type: ${c.type}`);
    const type: [number, number] = [lines.length, '                type: '.length + 1];
    const data: [number, number] = [lines.length + 1, '                '.length + 1];
    lines.push(...`                data:${c.data}`.split('\n'));
    return { type, data };
  });
  lines.push('  exposes:', '    - type: rest', '      namespace: bodies', '      port: 8080', '      resources:');
  CASES.forEach((c, i) => {
    lines.push(`        - path: /op-${i}`, `          name: op-${i}`, '          operations:', '            - method: GET', `              name: op-${i}`, '              inputParameters:');
    for (const input of ['name', 'note']) lines.push(`                - name: ${input}`, '                  in: query', '                  type: string', `                  description: The ${input}.`);
    // Only what the body reads: a `with` key nothing reads is a finding of its own.
    lines.push(`              call: sink.op-${i}`, '              with:', '                name: bodies.name', ...(c.data.includes('{{note}}') ? ['                note: bodies.note'] : []));
  });
  return { text: `${lines.join('\n')}\n`, at };
}

/** What the upstream received, read by its content type: form and multipart fields parsed, JSON parsed, text as is. */
async function received(req: Seen): Promise<{ contentType: string; fields: unknown }> {
  const full = String(req.headers['content-type'] ?? '');
  const contentType = full.split(';')[0]!.trim();
  if (contentType === 'application/x-www-form-urlencoded') return { contentType, fields: Object.fromEntries(new URLSearchParams(req.body)) };
  if (contentType === 'multipart/form-data') {
    const form = await new Response(req.body, { headers: { 'content-type': full } }).formData();
    const fields: Fields = {};
    for (const [name, value] of form) fields[name] = typeof value === 'string' ? value : { filename: value.name, type: value.type, text: await value.text() };
    return { contentType, fields };
  }
  if (contentType === 'application/json') return { contentType, fields: JSON.parse(req.body) as unknown };
  return { contentType, fields: req.body };
}

const EXPECTED: Record<Sent, (c: Case) => { contentType: string; fields: unknown }> = {
  form: (c) => ({ contentType: 'application/x-www-form-urlencoded', fields: c.data.includes('fixed=1') ? { name: 'Ann Lee', fixed: '1' } : c.data.includes('count') ? FIELDS : { name: 'Ann Lee' } }),
  multipart: (c) => ({ contentType: 'multipart/form-data', fields: c.data.includes('filename') ? { name: 'Ann Lee', file: { filename: 'a.txt', type: 'text/plain', text: 'hello x&y=z' } } : FIELDS }),
  json: (c) => ({ contentType: 'application/json', fields: c.data.includes('content:') ? { content: 'Ann Lee' } : { ...FIELDS, count: 5 } }),
  text: () => ({ contentType: 'text/plain', fields: 'Hi Ann Lee' }),
  xml: () => ({ contentType: 'application/xml', fields: '<a>Ann Lee</a>' }),
  octet: () => ({ contentType: 'application/octet-stream', fields: 'bytes of Ann Lee' }),
};

let upstream: Upstream;
let file: string;
let at: ReturnType<typeof capability>['at'];

beforeAll(async () => {
  // The upstream answers what it parsed, so the caller's answer shows it too.
  upstream = await startUpstream(async (req, res) => json(res, 200, await received(req)));
  const built = capability(upstream.port);
  at = built.at;
  file = tempSpec(built.text);
});
afterAll(async () => {
  await upstream.close();
});

/** Calls every case over REST; gives what the upstream received and what the caller got, per case. */
async function callAll(text: string): Promise<Array<{ upstream: { contentType: string; fields: unknown }; answer: unknown; raw: string }>> {
  const served = await serveInProcess([text]);
  try {
    const out = [];
    for (let i = 0; i < CASES.length; i++) {
      const before = upstream.seen.length;
      const res = await fetch(`${served.url}/op-${i}?name=${encodeURIComponent('Ann Lee')}&note=${encodeURIComponent('x&y=z')}`);
      expect(res.status, `op-${i}`).toBe(200);
      expect(upstream.seen.length, `op-${i}: one upstream request`).toBe(before + 1);
      const seen = upstream.seen.at(-1)!;
      out.push({ upstream: await received(seen), answer: await res.json(), raw: seen.body });
    }
    return out;
  } finally {
    await served.close();
  }
}

const bodyFindings = (ds: Diagnostic[]) => ds.filter((d) => d.code.startsWith('defacto-body'));

describe('request body types outside the official list', () => {
  it('default mode: one warning per deviating body, at its `type` (or multipart `data`), naming the official form; nothing else', () => {
    const { diagnostics, graph } = checkSpec(file);
    expect(graph).toBeDefined();
    expect(diagnostics.filter((d) => !d.code.startsWith('defacto-body'))).toEqual([]);
    const expected = CASES.flatMap((c, i) => (c.finding ? [{ code: c.finding.code, line: at[i]![c.finding.at][0], column: at[i]![c.finding.at][1] }] : []));
    expect(diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column }))).toEqual(expected);
    CASES.filter((c) => c.finding).forEach((c, k) => {
      expect(diagnostics[k]!.severity).toBe('warning');
      expect(`${diagnostics[k]!.message} ${diagnostics[k]!.fix}`, c.type).toContain(c.finding!.names);
    });
  });

  it('--strict: each is an error at file:line:col (validate exits 1)', async () => {
    const strict = checkSpec(file, { strict: true });
    expect(strict.graph).toBeUndefined();
    expect(strict.diagnostics.every((d) => d.severity === 'error' && d.code.startsWith('defacto-body'))).toBe(true);
    expect(strict.diagnostics.length).toBe(CASES.filter((c) => c.finding).length);
    const cli = await runCliAsync(['validate', '--strict', '--verbose', file]);
    expect(cli.code).toBe(1);
    expect(cli.stdout + cli.stderr).toContain(`${file}:${at[0]!.type[0]}:${at[0]!.type[1]}: error[defacto-body-type]: \`type: form\` is a de-facto spelling of the official \`formUrlEncoded\``);
    const lenient = await runCliAsync(['validate', file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout + lenient.stderr).toContain(`${file}:${at[0]!.type[0]}:${at[0]!.type[1]}: warning[defacto-body-type]`);
  });

  it('the upstream receives a real URL-encoded form, a real multipart body with each field, the bytes as is, or the JSON text of the data', async () => {
    const calls = await callAll(readFileSync(file, 'utf8'));
    CASES.forEach((c, i) => {
      expect(calls[i]!.upstream, `op-${i}: type ${c.type}`).toEqual(EXPECTED[c.sent](c));
      expect(calls[i]!.answer, `op-${i}: the answer passes through`).toEqual(calls[i]!.upstream);
    });
    // Really URL-encoded (not JSON text of the map), with a space as `+` and `&`/`=` escaped.
    expect(calls[0]!.raw).toBe('name=Ann+Lee&note=n%3A+x%26y%3Dz&count=5');
  });

  it('capstan fix writes each official form: then --strict has no finding, the upstream gets the same fields and the caller the same answer', async () => {
    const before = await callAll(readFileSync(file, 'utf8'));
    const result = fixFile(file);
    expect(result.left).toEqual([]);
    expect(result.fixed.map((d) => d.code)).toEqual(bodyFindings(checkSpec(file).diagnostics).map((d) => d.code));
    writeFileSync(file, result.text);
    expect(checkSpec(file, { strict: true }).diagnostics).toEqual([]);
    expect(result.text).toContain(`                type: formUrlEncoded\n                data:\n                  name: '{{name}}'\n                  note: 'n: {{note}}'\n                  count: "5"`);
    expect(result.text).toContain(`                type: multipartForm\n                data:\n                  - name: name\n                    value: '{{name}}'\n                  - name: note\n                    value: 'n: {{note}}'\n                  - name: count\n                    value: "5"`);
    expect(result.text).toContain(`              body: 'bytes of {{name}}'\n              inputParameters: [{ name: Content-Type, in: header, value: application/octet-stream }]`);
    expect(result.text).toContain('                type: json\n                data:\n                  content:');
    expect(result.text).toContain(`                type: multipartForm\n                data: [{ name: name, value: '{{name}}' }, { name: note, value: 'n: {{note}}' }, { name: count, value: "5" }]`);
    const after = await callAll(result.text);
    CASES.forEach((c, i) => {
      expect(after[i]!.upstream, `op-${i}: type ${c.type}`).toEqual(before[i]!.upstream);
      expect(after[i]!.answer, `op-${i}: type ${c.type}`).toEqual(before[i]!.answer);
    });
  });
});
