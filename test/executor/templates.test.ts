/** Mustache semantics, JSONPath shape and digest challenge parsing, tested directly. */
import { describe, expect, it } from 'vitest';
import { DigestSession, pickDigestChallenge } from '@capstan/runtime/internals';
import { parseAuthHeader } from '@capstan/runtime';
import { jsonPath } from '@capstan/runtime';
import { render, singleTag } from '@capstan/runtime/internals';
import { buildTarget, finalUrl, type UrlMemo } from '@capstan/runtime/internals';

describe('mustache', () => {
  const params = { name: 'Ana', 'voyage-id': 'V-1', 'a.b': 'exact', a: { b: 'dotted' }, list: ['x', 'y'], obj: { k: 1 }, html: '<b>&"', n: 0, t: false, nul: null };
  const steps = { 'get-ship': { imo: 'IMO-9' }, name: 'step-shadowed' };
  const binds = { TOKEN: 'tok', env: { TOKEN: 'tok' }, name: 'bind-shadowed' };
  const scope = [params, steps, binds];

  it('engine rules: missing → "", arrays and objects → JSON, no HTML escaping', () => {
    expect(render('hello {{name}}/{{missing}}', scope)).toBe('hello Ana/');
    expect(render('{{list}} {{obj}} {{html}} {{n}} {{t}} [{{nul}}]', scope)).toBe('["x","y"] {"k":1} <b>&" 0 false []');
  });

  it('exact key first, then dotted lookup; params over step outputs over binds', () => {
    expect(render('{{voyage-id}} {{a.b}} {{get-ship.imo}} {{env.TOKEN}} {{TOKEN}} {{name}}', scope)).toBe('V-1 exact IMO-9 tok tok Ana');
    expect(render('{{name}}', [{}, steps, binds])).toBe('step-shadowed');
    expect(render('{{name}}', [{}, {}, binds])).toBe('bind-shadowed');
  });

  it('an empty map is not special; JSONPath-looking names render empty', () => {
    expect(render('/ships/{{imo}}', [{}])).toBe('/ships/');
    expect(render('x{{$.foo}}y', scope)).toBe('xy');
  });

  it('sections, inverted sections and triple mustaches work', () => {
    expect(render('{{#list}}[{{.}}]{{/list}}{{^missing}}none{{/missing}}{{{html}}}', scope)).toBe('[x][y]none<b>&"');
    expect(render('{{#obj}}{{k}}-{{name}}{{/obj}}', scope)).toBe('1-Ana');
  });

  it('does not read inherited properties', () => {
    expect(render('[{{constructor}}][{{toString}}][{{__proto__}}]', scope)).toBe('[][][]');
  });

  it('json mode escapes inside strings and writes null outside them', () => {
    const s = [{ q: 'say "hi"\n', arr: [1], miss: undefined, num: '5' }];
    expect(render('{"a": "{{q}}", "b": {{arr}}, "c": {{miss}}, "d": "{{miss}}", "e": {{num}}, "f": "{{{q}}}"}', s, 'json')).toBe('{"a": "say \\"hi\\"\\n", "b": [1], "c": null, "d": "", "e": 5, "f": "say "hi"\n"}');
    expect(render('{"k": "a\\"{{q}}"}', s, 'json')).toBe('{"k": "a\\"say \\"hi\\"\\n"}');
  });

  it('form mode URL-encodes values', () => {
    expect(render('a={{v}}&b=2', [{ v: 'x y&z=1' }], 'form')).toBe('a=x+y%26z%3D1&b=2');
  });

  it('reports a malformed template', () => {
    expect(() => render('{{#open}}x', scope)).toThrow(/invalid template/);
  });

  it('recognises a lone tag', () => {
    expect(singleTag('{{ crewIds }}')).toBe('crewIds');
    expect(singleTag('x{{a}}')).toBeUndefined();
    expect(singleTag('{{#a}}')).toBeUndefined();
  });
});

describe('jsonpath', () => {
  const doc = { 'get-ship': { imo: 'I', 'a b': 1 }, list: [{ x: 1 }, { x: 2 }], empty: [] };
  it('definite paths give one value, indefinite ones arrays', () => {
    expect(jsonPath(doc, '$.get-ship.imo')).toBe('I');
    expect(jsonPath(doc, '$.get-ship.a b')).toBe(1);
    expect(jsonPath(doc, '$.list[1].x')).toBe(2);
    expect(jsonPath(doc, '$.list[*].x')).toEqual([1, 2]);
    expect(jsonPath(doc, '$..x')).toEqual([1, 2]);
    expect(jsonPath(doc, '$.list[?(@.x > 1)]')).toEqual([{ x: 2 }]);
    expect(jsonPath(doc, '$.list.length()')).toBe(2);
  });
  it('root, missing and empty', () => {
    expect(jsonPath(doc, '$')).toBe(doc);
    expect(jsonPath(doc, '$.')).toBe(doc);
    expect(jsonPath(doc, '$.nope')).toBeUndefined();
    expect(jsonPath(doc, '')).toBeUndefined();
    expect(jsonPath(null, '$.a')).toBeUndefined();
    // Safe evaluation refuses code: nothing is found.
    expect(jsonPath(doc, '$.list[?(@.constructor.constructor("return process")())]')).toBeUndefined();
  });
});

describe('digest challenge parsing', () => {
  it('reads several challenges and prefers SHA-256', () => {
    const header = 'Basic realm="x", Digest realm="r, with comma", nonce="abc", qop="auth", algorithm=MD5, Digest realm="r2", nonce="def", qop="auth-int,auth", algorithm=SHA-256, opaque="o\\"q"';
    expect(parseAuthHeader(header).map((c) => c.scheme)).toEqual(['Basic', 'Digest', 'Digest']);
    expect(pickDigestChallenge(header)).toEqual({ realm: 'r2', nonce: 'def', opaque: 'o"q', algorithm: 'SHA-256', qop: ['auth-int', 'auth'], stale: false });
    expect(pickDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toBeUndefined();
  });

  it('computes the RFC 7616 example (SHA-256) response shape and counts nonces', () => {
    const session = new DigestSession({ realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS', algorithm: 'SHA-256', qop: ['auth'], stale: false });
    const first = session.authorize('GET', '/dir/index.html', 'Mufasa', 'Circle of Life');
    const second = session.authorize('GET', '/dir/index.html', 'Mufasa', 'Circle of Life');
    expect(first).toMatch(/^Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf\/xlj9XXwfDPEoM4URrv\/xwf94BcCAzFZH4GiTo0v", uri="\/dir\/index.html", algorithm=SHA-256, response="[0-9a-f]{64}", qop=auth, nc=00000001, cnonce="[0-9a-f]{32}", opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"$/);
    expect(second).toContain('nc=00000002');
  });
});

describe('url building', () => {
  const values: Record<string, unknown> = { version: 'v1', apiPath: 'a/b?x=1', id: 'i d' };
  const url = (base: string, template: string, pairs: Array<[string, string]> = []) => {
    const b = new URL(base);
    const basePath = b.pathname.replace(/\/+$/, '');
    const target = buildTarget(basePath, template, (n) => values[n]);
    return finalUrl(b.origin, basePath, target, [...target.query, ...pairs], { namespace: 'n', operation: 'o' }).href;
  };
  it('adds the missing leading slash, keeps literal queries, merges trailing queries', () => {
    expect(url('http://h/base', '{version}/items/{{id}}')).toBe('http://h/base/v1/items/i%20d');
    expect(url('http://h', '{apiPath}', [['k', 'v w']])).toBe('http://h/a/b?x=1&k=v+w');
    expect(url('http://h/base/', '/search?fixed=1', [['q', 'z']])).toBe('http://h/base/search?fixed=1&q=z');
    expect(url('http://h/base', '')).toBe('http://h/base');
  });
  it('refuses a template that climbs out of the base path', () => {
    expect(() => url('http://h/base', '/../other')).toThrow(/leave the upstream/);
  });
  it('a memo hands back the URL it checked for the same text only', () => {
    const ids = { namespace: 'n', operation: 'o' };
    const memo: UrlMemo = {};
    const target = buildTarget('/base', '/items', () => undefined);
    const first = finalUrl('http://h', '/base', target, [], ids, memo);
    expect(finalUrl('http://h', '/base', target, [], ids, memo)).toBe(first);
    const other = finalUrl('http://h', '/base', target, [['k', 'v']], ids, memo);
    expect(other).not.toBe(first);
    expect(other.href).toBe('http://h/base/items?k=v');
    // The same text under another base path is checked again: outside it, refused.
    expect(() => finalUrl('http://h', '/other', target, [['k', 'v']], ids, memo)).toThrow(/leave the upstream/);
    const climbing = buildTarget('/base', '/../other', () => undefined);
    expect(() => finalUrl('http://h', '/base', climbing, [], ids, memo)).toThrow(/leave the upstream/);
    expect(() => finalUrl('http://h', '/base', climbing, [], ids, memo)).toThrow(/leave the upstream/);
  });
});
