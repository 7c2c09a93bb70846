/** Request bodies: the exact bytes and headers the upstream receives for each body type. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '@capstan/runtime';
import type { CapabilityGraph } from '@capstan/spec';
import { echoRequest, startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

let server: Upstream<Buffer>;
let graph: CapabilityGraph;
let exec: Executor;

const op = (name: string, body: string, params = ''): string => `            - name: ${name}
              method: POST
${params}              body:
${body}
`;

beforeAll(async () => {
  server = await startUpstream(echoRequest, { body: 'buffer' });
  const resources = `        - name: r
          path: "/submit"
          operations:
${op('raw', `                |
                  {
                    "shipImo": "{{shipImo}}",
                    "crewIds": {{crewIds}},
                    "cargoIds": {{cargoIds}},
                    "count": {{count}}
                  }`)}${op(
    'raw-xml',
    '                "<note>{{text}}</note>"',
    `              inputParameters:
                - name: Content-Type
                  in: header
                  value: "application/xml"
`,
  )}${op(
    'json-object',
    `                type: json
                data:
                  name: "{{name}}"
                  greeting: "hello {{name}}"
                  ids: "{{ids}}"
                  nested:
                    n: 1`,
  )}${op(
    'json-string',
    `                type: json
                data: '{"a": "{{a}}", "n": {{n}}}'`,
  )}${op(
    'text',
    `                type: text
                data: "Hi {{name}}, you owe {{amount}}"`,
  )}${op(
    'xml',
    `                type: xml
                data: "<a>{{name}}</a>"`,
  )}${op(
    'sparql',
    `                type: sparql
                data: "SELECT * WHERE { ?s ?p \\"{{name}}\\" }"`,
  )}${op(
    'form-object',
    `                type: formUrlEncoded
                data:
                  user: "{{name}}"
                  note: "a&b=c d"`,
  )}${op(
    'form-string',
    `                type: formUrlEncoded
                data: "user={{name}}&static=1"`,
  )}${op(
    'multipart',
    `                type: multipartForm
                data:
                  - name: title
                    value: "Report {{name}}"
                  - name: file
                    value: "col1,col2\\n1,2"
                    filename: report.csv
                    contentType: text/csv`,
  )}            - name: body-params
              method: PUT
              inputParameters:
                - name: shipImo
                  in: body
                - name: crew
                  in: body
            - name: whole-body
              method: PATCH
              inputParameters:
                - name: body
                  in: body
`;
  const names = ['raw', 'raw-xml', 'json-object', 'json-string', 'text', 'xml', 'sparql', 'form-object', 'form-string', 'multipart', 'body-params', 'whole-body'];
  const tools = names.map((n) => `        - name: t-${n}\n          description: d\n          call: up.${n}\n`).join('');
  graph = graphOf(capability({ resources, tools })).graph;
  exec = await executorFor(graph, server);
});
afterAll(async () => {
  await exec.close();
  await server.close();
});

async function sent(tool: string, inputs: Record<string, unknown>): Promise<Seen<Buffer>> {
  await exec.run(handlerOf(graph, `t-${tool}`), { inputs });
  return server.seen.at(-1)!;
}

describe('request bodies', () => {
  it('raw template: JSON content type, arrays as JSON, strings escaped, missing as null', async () => {
    const seen = await sent('raw', { shipImo: 'IMO "9"', crewIds: ['CREW-001', 'CREW-003'], count: 3 });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['content-length']).toBe(String(seen.body.length));
    expect(JSON.parse(seen.body.toString())).toEqual({ shipImo: 'IMO "9"', crewIds: ['CREW-001', 'CREW-003'], cargoIds: null, count: 3 });
  });

  it('raw template with a Content-Type header parameter is sent with that type, unescaped', async () => {
    const seen = await sent('raw-xml', { text: 'a "quoted" note' });
    expect(seen.headers['content-type']).toBe('application/xml');
    expect(seen.body.toString()).toBe('<note>a "quoted" note</note>');
  });

  it('json object data: leaves rendered, a lone tag keeps its type', async () => {
    const seen = await sent('json-object', { name: 'Ana', ids: [1, 2] });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.body.toString()).toBe('{"name":"Ana","greeting":"hello Ana","ids":[1,2],"nested":{"n":1}}');
  });

  it('json string data is sent as is (not re-quoted)', async () => {
    const seen = await sent('json-string', { a: 'x', n: 5 });
    expect(seen.body.toString()).toBe('{"a": "x", "n": 5}');
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('text, xml and sparql bodies carry their own content types', async () => {
    let seen = await sent('text', { name: 'Bo', amount: 12.5 });
    expect(seen.body.toString()).toBe('Hi Bo, you owe 12.5');
    expect(seen.headers['content-type']).toBe('text/plain; charset=utf-8');
    seen = await sent('xml', { name: 'Bo' });
    expect(seen.body.toString()).toBe('<a>Bo</a>');
    expect(seen.headers['content-type']).toBe('application/xml');
    seen = await sent('sparql', { name: 'Bo' });
    expect(seen.body.toString()).toBe('SELECT * WHERE { ?s ?p "Bo" }');
    expect(seen.headers['content-type']).toBe('application/sparql-query');
  });

  it('formUrlEncoded is really URL-encoded', async () => {
    let seen = await sent('form-object', { name: 'Ana María&co' });
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.body.toString()).toBe('user=Ana+Mar%C3%ADa%26co&note=a%26b%3Dc+d');
    seen = await sent('form-string', { name: 'x=1&y' });
    expect(seen.body.toString()).toBe('user=x%3D1%26y&static=1');
  });

  it('multipartForm is real multipart with a filename and a part content type', async () => {
    const seen = await sent('multipart', { name: 'Q1' });
    const type = String(seen.headers['content-type']);
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(type)?.[1];
    expect(boundary).toBeTruthy();
    const body = seen.body.toString();
    expect(seen.headers['content-length']).toBe(String(seen.body.length));
    expect(body).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nReport Q1\r\n`);
    expect(body).toContain(`Content-Disposition: form-data; name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\ncol1,col2\n1,2\r\n`);
    expect(body.trimEnd().endsWith(`--${boundary}--`)).toBe(true);
  });

  it('in: body parameters are merged into a JSON object; a lone `body` object is the whole body', async () => {
    let seen = await sent('body-params', { shipImo: 'IMO-1', crew: ['a'], ignored: 'x' });
    expect(seen.method).toBe('PUT');
    expect(seen.body.toString()).toBe('{"shipImo":"IMO-1","crew":["a"]}');
    expect(seen.headers['content-type']).toBe('application/json');
    seen = await sent('whole-body', { body: { any: { shape: [1] } } });
    expect(seen.method).toBe('PATCH');
    expect(seen.body.toString()).toBe('{"any":{"shape":[1]}}');
  });
});
