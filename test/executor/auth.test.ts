/** Consumed authentication: bearer, basic, apikey (header, query, default) and a real digest exchange. */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startUpstream, type Seen, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

let server: Upstream | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const RESOURCES = `        - name: r
          path: "/secure"
          operations:
            - name: op
              method: POST
              body: '{"n": {{n}}}'
`;
const TOOLS = `        - name: t
          description: d
          call: up.op
`;

function authGraph(auth: string) {
  return graphOf(
    capability({
      binds: `binds:
  - namespace: creds
    keys:
      USER: USER_VAR
      PASS: PASS_VAR
`,
      resources: RESOURCES,
      tools: TOOLS,
      consumesExtra: `      authentication:\n${auth}`,
    }),
  ).graph;
}

const ENV = { USER_VAR: 'ana', PASS_VAR: 'pä:ss' };

describe('simple credentials', () => {
  it('bearer', async () => {
    server = await startUpstream();
    const graph = authGraph('        type: bearer\n        token: "{{PASS}}"\n');
    const exec = await executorFor(graph, server, { env: ENV });
    await exec.run(handlerOf(graph, 't'), { inputs: { n: 1 } });
    await exec.close();
    expect(server.seen[0]!.headers.authorization).toBe('Bearer pä:ss');
  });

  it('basic (UTF-8, colon in the password)', async () => {
    server = await startUpstream();
    const graph = authGraph('        type: basic\n        username: "{{USER}}"\n        password: "{{creds.PASS}}"\n');
    const exec = await executorFor(graph, server, { env: ENV });
    await exec.run(handlerOf(graph, 't'), { inputs: { n: 1 } });
    await exec.close();
    expect(server.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ana:pä:ss', 'utf8').toString('base64')}`);
  });

  it('apikey in a header, by default in a header, and in the query (encoded)', async () => {
    server = await startUpstream();
    for (const [auth, check] of [
      ['        type: apikey\n        key: X-Api-Key\n        value: "{{USER}}-key"\n        placement: header\n', (s: Seen) => expect(s.headers['x-api-key']).toBe('ana-key')],
      ['        type: apikey\n        key: X-Api-Key\n        value: "{{USER}}-key"\n', (s: Seen) => expect(s.headers['x-api-key']).toBe('ana-key')],
      ['        type: apikey\n        key: api_key\n        value: "{{PASS}}"\n        placement: query\n', (s: Seen) => expect(s.url).toBe('/base/secure?api_key=p%C3%A4%3Ass')],
    ] as const) {
      const graph = authGraph(auth);
      const exec = await executorFor(graph, server, { env: ENV });
      await exec.run(handlerOf(graph, 't'), { inputs: { n: 1 } });
      await exec.close();
      check(server.seen.at(-1)!);
    }
  });
});

/** A server that demands HTTP Digest (RFC 7616) and verifies every answer itself. */
async function digestServer(algorithm: 'MD5' | 'SHA-256', user: string, pass: string) {
  const realm = 'capstan-test';
  const nonce = `n-${Math.random().toString(16).slice(2)}`;
  const opaque = 'op4que';
  const hash = (s: string) => createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(s).digest('hex');
  const accepted: Array<{ nc: string; cnonce: string }> = [];
  let challenges = 0;
  const srv = await startUpstream((req, res) => {
    const header = String(req.headers.authorization ?? '');
    const fields: Record<string, string> = {};
    for (const m of header.replace(/^Digest\s+/, '').matchAll(/(\w+)=("((?:[^"\\]|\\.)*)"|[^,\s]+)/g)) fields[m[1]!] = m[3] ?? m[2]!;
    const ha1 = hash(`${user}:${realm}:${pass}`);
    const ha2 = hash(`${req.method}:${fields.uri}`);
    const expected = hash(`${ha1}:${nonce}:${fields.nc}:${fields.cnonce}:auth:${ha2}`);
    const ok =
      header.startsWith('Digest ') &&
      fields.username === user &&
      fields.realm === realm &&
      fields.nonce === nonce &&
      fields.uri === req.url &&
      fields.qop === 'auth' &&
      fields.opaque === opaque &&
      fields.algorithm === algorithm &&
      fields.response === expected &&
      !accepted.some((a) => a.nc === fields.nc);
    if (!ok) {
      challenges++;
      res.writeHead(401, { 'www-authenticate': `Digest realm="${realm}", qop="auth,auth-int", nonce="${nonce}", opaque="${opaque}", algorithm=${algorithm}`, 'content-type': 'text/plain' });
      res.end('unauthorized');
      return;
    }
    accepted.push({ nc: fields.nc!, cnonce: fields.cnonce! });
    json(res, 200, { ok: true, body: req.body.toString() });
  });
  return { srv, accepted, challenges: () => challenges };
}

describe('digest', () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`answers a real ${algorithm} challenge, then reuses the nonce with nc counting`, async () => {
      const d = await digestServer(algorithm, 'ana', 'pä:ss');
      server = d.srv;
      const graph = authGraph('        type: digest\n        username: "{{USER}}"\n        password: "{{PASS}}"\n');
      const exec = await executorFor(graph, server, { env: ENV });
      try {
        const first = await exec.run(handlerOf(graph, 't'), { inputs: { n: 1 } });
        expect(first.kind).toBe('raw');
        expect(first.kind === 'raw' && JSON.parse(first.body.toString())).toEqual({ ok: true, body: '{"n": 1}' });
        expect(first.status).toBe(200);
        const second = await exec.run(handlerOf(graph, 't'), { inputs: { n: 2 } });
        expect(second.status).toBe(200);
        // One challenge, then two accepted answers with increasing nonce counts.
        expect(d.challenges()).toBe(1);
        expect(d.accepted.map((a) => a.nc)).toEqual(['00000001', '00000002']);
        expect(d.accepted[0]!.cnonce).not.toBe(d.accepted[1]!.cnonce);
        // The body was sent both times the first call needed (challenge, then answer).
        expect(server.seen.map((s) => s.body.toString())).toEqual(['{"n": 1}', '{"n": 1}', '{"n": 2}']);
      } finally {
        await exec.close();
      }
    });
  }

  it('wrong credentials end with the upstream 401 (one retry only)', async () => {
    const d = await digestServer('SHA-256', 'ana', 'right');
    server = d.srv;
    const graph = authGraph('        type: digest\n        username: "{{USER}}"\n        password: "{{PASS}}"\n');
    const exec = await executorFor(graph, server, { env: ENV });
    try {
      const result = await exec.run(handlerOf(graph, 't'), { inputs: { n: 1 } });
      expect(result.status).toBe(401);
      expect(server.seen.length).toBe(2);
    } finally {
      await exec.close();
    }
  });
});
