/**
 * How Capstan reads a request body `type` outside the official list (packages/spec/src/body-forms.ts):
 * the alias table by category, the data-shape rule (an alias whose data does not fit its official
 * type is read as the engine reads it, JSON), the compiled request, and `fix` on a consumes file
 * (root `consumes` list) where a `Content-Type` parameter is declared at another level.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSpec, readBodyForm, type ConsumedOperation } from '@capstan/spec';
import { fixFile } from '@capstan/authoring';
import { tempSpec } from '../helpers/tmp.js';

const MAP = { a: '{{a}}', n: 5 };

describe('body forms: the alias table', () => {
  it.each([
    ['form', 'formUrlEncoded'], ['URLEncoded', 'formUrlEncoded'], ['form_urlencoded', 'formUrlEncoded'], ['x-www-form-urlencoded', 'formUrlEncoded'],
    ['application/x-www-form-urlencoded; charset=utf-8', 'formUrlEncoded'], ['formurlencoded', 'formUrlEncoded'],
    ['multipart', 'multipartForm'], ['form-data', 'multipartForm'], ['multipart/form-data', 'multipartForm'], ['MULTIPARTFORM', 'multipartForm'],
    ['Json', 'json'], ['application/json', 'json'],
  ])('`%s` with a field map is read as %s', (type, official) => {
    const reading = readBodyForm(type, MAP);
    expect(reading.official).toBe(official);
    expect(reading.deviation).toBe(official === 'multipartForm' ? 'parts-map' : 'alias');
  });

  it.each([
    ['text/plain', 'text'], ['plain', 'text'], ['text/xml', 'xml'], ['application/xml', 'xml'], ['application/sparql-query', 'sparql'],
  ])('`%s` with string data is read as %s; with a map, as JSON', (type, official) => {
    expect(readBodyForm(type, 'x')).toEqual({ official, deviation: 'alias' });
    expect(readBodyForm(type, MAP)).toEqual({ official: 'json', deviation: 'unknown' });
  });

  it('octet-stream types with string data are raw bytes; with a map, JSON (the engine)', () => {
    for (const type of ['binary', 'octet-stream', 'application/octet-stream', 'Bytes']) expect(readBodyForm(type, '{{x}}')).toEqual({ official: 'raw', deviation: 'octet' });
    expect(readBodyForm('binary', { content: '{{x}}' })).toEqual({ official: 'json', deviation: 'unknown' });
  });

  it('an alias whose data does not fit is JSON; unknown and non-string types are JSON; official forms do not deviate', () => {
    expect(readBodyForm('form', [{ name: 'a', value: 'b' }])).toEqual({ official: 'json', deviation: 'unknown' });
    expect(readBodyForm('form', { nested: { a: 1 } })).toEqual({ official: 'json', deviation: 'unknown' });
    expect(readBodyForm('multipart', [{ name: 'a', value: 'b' }])).toEqual({ official: 'multipartForm', deviation: 'alias' });
    expect(readBodyForm('graphql', 'query { a }')).toEqual({ official: 'json', deviation: 'unknown' });
    expect(readBodyForm(7, MAP)).toEqual({ official: 'json', deviation: 'unknown' });
    expect(readBodyForm('formUrlEncoded', MAP)).toEqual({ official: 'formUrlEncoded' });
    expect(readBodyForm('multipartForm', [{ name: 'a', value: 'b' }])).toEqual({ official: 'multipartForm' });
    expect(readBodyForm('multipartForm', MAP)).toEqual({ official: 'multipartForm', deviation: 'parts-map' });
  });
});

/** A consumes file (root `consumes` list) with octet bodies: one on an API declaring `Content-Type`, one on an API that does not. */
const CONSUMES = `naftiko: 1.0.0-alpha2
info:
  label: Uploads
  description: Uploads.
consumes:
  - type: http
    namespace: typed
    baseUri: http://127.0.0.1:9
    inputParameters:
      - name: content-type
        in: header
        value: text/csv
    resources:
      - name: csv-files
        path: /csv
        operations:
          - name: put-csv
            method: PUT
            body:
              type: binary
              data: '{{content}}'
  - type: http
    namespace: plain
    baseUri: http://127.0.0.1:9
    resources:
      - name: files
        path: /files
        operations:
          - name: put-file
            method: PUT
            body: {type: octet-stream, data: '{{content}}'} # the upload
          - name: post-form
            method: POST
            body:
              type: form
              data: [a, b]
`;

const opOf = (file: string, ns: string, name: string): ConsumedOperation => checkSpec(file).graph!.consumes.get(ns)!.operations.get(name)!;

describe('body forms: compiled and fixed', () => {
  it('an octet body gets the Content-Type header parameter unless one is declared (any level, any case); a form alias with a list is JSON', () => {
    const file = tempSpec(CONSUMES);
    expect(opOf(file, 'typed', 'put-csv')).toMatchObject({ body: { kind: 'raw', template: '{{content}}' }, params: [] });
    expect(opOf(file, 'plain', 'put-file')).toMatchObject({ body: { kind: 'raw', template: '{{content}}' }, params: [{ name: 'Content-Type', in: 'header', value: 'application/octet-stream' }] });
    expect(opOf(file, 'plain', 'post-form').body).toEqual({ kind: 'json', data: ['a', 'b'] });
  });

  it('fix on a consumes file: the same compiled requests, and --strict has no finding left', () => {
    const file = tempSpec(CONSUMES);
    const before = ['typed', 'plain'].flatMap((ns) => [...checkSpec(file).graph!.consumes.get(ns)!.operations.values()].map(({ origin: _o, ...op }) => op));
    const result = fixFile(file);
    expect(result.left).toEqual([]);
    writeFileSync(file, result.text);
    expect(checkSpec(file, { strict: true }).diagnostics).toEqual([]);
    expect(result.text).toContain("          - name: put-csv\n            method: PUT\n            body: '{{content}}'\n");
    expect(result.text).toContain("            body: '{{content}}' # the upload\n");
    expect(result.text).toContain('              type: json\n              data: [a, b]');
    expect(result.text.match(/application\/octet-stream/g)).toHaveLength(1);
    const after = ['typed', 'plain'].flatMap((ns) => [...checkSpec(file).graph!.consumes.get(ns)!.operations.values()].map(({ origin: _o, ...op }) => op));
    expect(after).toEqual(before);
  });
});
