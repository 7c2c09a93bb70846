/** Response conversion by outputRawFormat, with small fixtures served by a local upstream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '@capstan/runtime';
import type { CapabilityGraph } from '@capstan/spec';
import { sendBody, startUpstream, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

const FIXTURES: Record<string, [string, string | Buffer]> = {};
let server: Upstream;
let graph: CapabilityGraph;
let exec: Executor;

/** Avro/protobuf varint of an unsigned number. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const avroString = (s: string): number[] => [...varint(zigzag(Buffer.byteLength(s))), ...Buffer.from(s)];
const pbString = (field: number, s: string): number[] => [(field << 3) | 2, ...varint(Buffer.byteLength(s)), ...Buffer.from(s)];

FIXTURES.json = ['application/json', '{"a":{"b":[1,2]}}'];
FIXTURES.xml = [
  'application/xml',
  `<?xml version="1.0" encoding="UTF-8"?>
<vessels xmlns:x="urn:x">
  <vessel code="V1"><name>Alpha</name><tonnage>100</tonnage></vessel>
  <vessel code="V2"><name>Beta &amp; Co</name><x:tonnage>200</x:tonnage><note lang="en">mixed</note><empty/></vessel>
</vessels>`,
];
FIXTURES['xml-single'] = ['application/xml', '<vessels><vessel><name>Solo</name></vessel></vessels>'];
FIXTURES.yaml = ['application/yaml', 'a: 1\nb:\n  - x\n  - y\n'];
FIXTURES.csv = ['text/csv', 'name,tonnage\nAlpha,100\n"Beta, B",200\n'];
FIXTURES.tsv = ['text/tab-separated-values', 'name\ttonnage\nAlpha\t100\n'];
FIXTURES.psv = ['text/plain', 'name|tonnage\nAlpha|100\nBeta\n'];
FIXTURES.html = [
  'text/html',
  `<html><body>
  <table id="first"><thead><tr><th>Name</th><th>Flag</th></tr></thead>
    <tbody><tr><td>Alpha</td><td> NO </td></tr><tr><td>Beta</td></tr></tbody></table>
  <div class="wrap"><table><tr><th>Port</th></tr><tr><td>Oslo</td></tr></table></div>
  <table><tr><th></th></tr><tr><td>skipped</td></tr></table>
</body></html>`,
];
FIXTURES.markdown = [
  'text/markdown',
  `---
title: Fleet
version: 2
---
# Overview
Intro **bold** text.

- one
- two

## Ships
| Name | Tonnage |
|------|---------|
| Alpha | 100 |
| Beta |  |

After table.
# Appendix
End.
`,
];
FIXTURES.avro = ['application/avro', Buffer.from([...avroString('Ever Given'), ...varint(zigzag(220940)), 1])];
FIXTURES.protobuf = ['application/x-protobuf', Buffer.from([...pbString(1, 'Ever Given'), 0x10, ...varint(220940), 0x18, 1, ...pbString(4, 'big'), ...pbString(4, 'slow')])];
FIXTURES['bad-json'] = ['application/json', '{"a": '];
FIXTURES['bad-xml'] = ['application/xml', '<a><b></a>'];

const OPS: Array<[string, string, string?]> = [
  ['json', 'json'],
  ['xml', 'xml'],
  ['xml-single', 'xml'],
  ['yaml', 'yaml'],
  ['csv', 'csv'],
  ['tsv', 'tsv'],
  ['psv', 'psv'],
  ['html', 'html'],
  ['html-selected', 'html', 'div.wrap'],
  ['markdown', 'markdown'],
  ['markdown-prefix', 'markdown', 'Sh'],
  ['avro', 'avro', 'schemas/ship.avsc'],
  ['protobuf', 'protobuf', 'schemas/ship.proto'],
  ['bad-json', 'json'],
  ['bad-xml', 'xml'],
];

beforeAll(async () => {
  server = await startUpstream((req, res) => {
    const name = req.url.split('/').pop()!.replace(/-selected|-prefix/, '');
    const [type, body] = FIXTURES[name]!;
    sendBody(res, 200, body, type);
  });
  const resources = OPS.map(
    ([name, format, schema]) => `        - name: r-${name}
          path: "/f/${name}"
          operations:
            - name: ${name}
              method: GET
              outputRawFormat: ${format}
${schema ? `              outputSchema: "${schema}"\n` : ''}`,
  ).join('');
  const tools = OPS.map(([name]) => `        - name: t-${name}\n          description: d\n          call: up.${name}\n          outputParameters:\n            - type: object\n              mapping: "$."\n`).join('');
  graph = graphOf(capability({ resources, tools }), {
    'schemas/ship.avsc': JSON.stringify({ type: 'record', name: 'Ship', fields: [{ name: 'name', type: 'string' }, { name: 'tonnage', type: 'long' }, { name: 'active', type: 'boolean' }] }),
    'schemas/ship.proto': 'syntax = "proto3";\npackage fleet;\nmessage Ship {\n  string name = 1;\n  int64 tonnage = 2;\n  bool active = 3;\n  repeated string tags = 4;\n  string owner = 5;\n}\n',
  }).graph;
  exec = await executorFor(graph, server);
});
afterAll(async () => {
  await exec.close();
  await server.close();
});

async function value(name: string): Promise<unknown> {
  const result = await exec.run(handlerOf(graph, `t-${name}`), { inputs: {} });
  if (result.kind !== 'json') throw new Error(`expected json, got ${result.kind}`);
  return result.value;
}

describe('formats', () => {
  it('json', async () => {
    expect(await value('json')).toEqual({ a: { b: [1, 2] } });
  });

  it('xml: root dropped, repeats → arrays, strings, attributes as fields, mixed text under ""', async () => {
    expect(await value('xml')).toEqual({
      vessel: [
        { code: 'V1', name: 'Alpha', tonnage: '100' },
        { code: 'V2', name: 'Beta & Co', tonnage: '200', note: { lang: 'en', '': 'mixed' }, empty: '' },
      ],
    });
    expect(await value('xml-single')).toEqual({ vessel: { name: 'Solo' } });
  });

  it('yaml', async () => {
    expect(await value('yaml')).toEqual({ a: 1, b: ['x', 'y'] });
  });

  it('csv, tsv, psv: rows keyed by header, values strings', async () => {
    expect(await value('csv')).toEqual([{ name: 'Alpha', tonnage: '100' }, { name: 'Beta, B', tonnage: '200' }]);
    expect(await value('tsv')).toEqual([{ name: 'Alpha', tonnage: '100' }]);
    expect(await value('psv')).toEqual([{ name: 'Alpha', tonnage: '100' }, { name: 'Beta' }]);
  });

  it('html: every table, or those under a CSS selector', async () => {
    expect(await value('html')).toEqual({
      tables: [
        [{ Name: 'Alpha', Flag: 'NO' }, { Name: 'Beta', Flag: '' }],
        [{ Port: 'Oslo' }],
      ],
    });
    expect(await value('html-selected')).toEqual({ tables: [[{ Port: 'Oslo' }]] });
  });

  it('markdown: front matter, GFM tables, sections; a heading prefix filters sections', async () => {
    expect(await value('markdown')).toEqual({
      frontMatter: { title: 'Fleet', version: 2 },
      tables: [[{ Name: 'Alpha', Tonnage: '100' }, { Name: 'Beta', Tonnage: '' }]],
      sections: [
        { heading: 'Overview', level: 1, content: 'Intro bold text.\none\ntwo' },
        { heading: 'Ships', level: 2, content: 'After table.' },
        { heading: 'Appendix', level: 1, content: 'End.' },
      ],
    });
    expect(((await value('markdown-prefix')) as { sections: unknown }).sections).toEqual([{ heading: 'Ships', level: 2, content: 'After table.' }]);
  });

  it('avro with the schema file next to the capability', async () => {
    expect(await value('avro')).toEqual({ name: 'Ever Given', tonnage: 220940, active: true });
  });

  it('protobuf with the first message of the .proto', async () => {
    expect(await value('protobuf')).toEqual({ name: 'Ever Given', tonnage: '220940', active: true, tags: ['big', 'slow'], owner: '' });
  });

  it('an unparsable answer is UpstreamError bad-format naming the format', async () => {
    await expect(exec.run(handlerOf(graph, 't-bad-json'), { inputs: {} })).rejects.toMatchObject({ name: 'UpstreamError', kind: 'bad-format', namespace: 'up', operation: 'bad-json', message: expect.stringContaining('not valid json') });
    await expect(exec.run(handlerOf(graph, 't-bad-xml'), { inputs: {} })).rejects.toMatchObject({ kind: 'bad-format', message: expect.stringContaining('not valid xml') });
  });
});
