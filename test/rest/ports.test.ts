/**
 * REST adapters of several capability files naming the same port share one server; a
 * method+path claimed twice on one port stops `capstan run` before anything listens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempSpecDir } from '../helpers/tmp.js';
import { childEnv, runCliAsync } from '../helpers/cli.js';
import { refused, send } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { closedPort, json, startUpstream, type Upstream } from '../helpers/upstream.js';

/** A capability with one REST adapter on `port`; `resources` are [method, path, operation] triples. */
function capability(ns: string, port: number, resources: Array<[string, string, string]>, auth = ''): string {
  const byPath = new Map<string, Array<[string, string]>>();
  for (const [method, path, op] of resources) byPath.set(path, [...(byPath.get(path) ?? []), [method, op]]);
  return `naftiko: 1.0.0-alpha2
info:
  label: Shared port ${ns}
  description: One of the capabilities sharing a port.
${auth ? `binds:
- namespace: env
  description: Inbound token.
  keys:
    SHARED_TOKEN: SHARED_TOKEN
` : ''}capability:
  consumes:
  - type: http
    namespace: up-${ns}
    baseUri: http://127.0.0.1:9
    resources:
${resources.map(([method, , op]) => `    - name: ${op}
      path: /${op}
      operations:
      - name: ${op}
        method: ${method}`).join('\n')}
  exposes:
  - type: rest
    namespace: ${ns}
    port: ${port}
${auth ? `    authentication:\n      type: bearer\n      token: '{{SHARED_TOKEN}}'\n` : ''}    resources:
${[...byPath].map(([path, ops]) => `    - path: ${path}
      name: ${ops[0]![1]}-res
      operations:
${ops.map(([method, op]) => `      - method: ${method}
        name: ${op}
        call: up-${ns}.${op}`).join('\n')}`).join('\n')}
`;
}

describe('two capability files on one port', () => {
  let upstream: Upstream;
  let run: CapstanRun;
  let port: number;
  let base: string;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => json(res, 200, { method: req.method, url: req.url }));
    port = await closedPort();
    const dir = tempSpecDir({
      'alpha.yaml': capability('alpha-rest', port, [['GET', '/things', 'list-things'], ['GET', '/alpha/status', 'alpha-status']]),
      'beta.yaml': capability('beta-rest', port, [['POST', '/things', 'create-thing'], ['GET', '/beta/{id}', 'get-beta']], 'bearer'),
    });
    run = await startCapstan([join(dir, 'alpha.yaml'), join(dir, 'beta.yaml')], {
      namespaces: ['alpha-rest', 'beta-rest'],
      ports: { 'alpha-rest': 'spec', 'beta-rest': 'spec' },
      upstream: upstream.url,
      env: { SHARED_TOKEN: 'shared-token-6d2a' },
    });
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await run?.stop();
    await upstream?.close();
  });

  it('prints the same URL for both adapters', () => {
    expect(run.rest['alpha-rest']).toBe(base);
    expect(run.rest['beta-rest']).toBe(base);
  });

  it("serves each file's routes with its own upstream and its own authentication", async () => {
    const alpha = await fetch(`${base}/alpha/status`);
    expect(alpha.status).toBe(200);
    expect(await alpha.json()).toEqual({ method: 'GET', url: '/alpha-status' });

    const anonymous = await fetch(`${base}/beta/7`);
    expect(anonymous.status).toBe(401);
    const beta = await fetch(`${base}/beta/7`, { headers: { authorization: 'Bearer shared-token-6d2a' } });
    expect(beta.status).toBe(200);
    expect(await beta.json()).toEqual({ method: 'GET', url: '/get-beta' });
  });

  it('serves different methods of one path from different files; 405 and OPTIONS list both', async () => {
    const list = await fetch(`${base}/things`);
    expect(await list.json()).toEqual({ method: 'GET', url: '/list-things' });
    expect((await send(`${base}/things`, 'POST', {})).status).toBe(401);
    const created = await send(`${base}/things`, 'POST', {}, { authorization: 'Bearer shared-token-6d2a' });
    expect(await created.json()).toEqual({ method: 'POST', url: '/create-thing' });

    const del = await fetch(`${base}/things`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    const options = await fetch(`${base}/things`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('serves one /openapi.json describing both', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/alpha/status', '/beta/{id}', '/things']);
    expect(Object.keys(doc.paths['/things']).sort()).toEqual(['get', 'post']);
    // Only beta's operations need its bearer token.
    expect(doc.paths['/things'].get.security).toEqual([]);
    expect(doc.paths['/things'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' } });
    expect(doc.security).toBeUndefined();
  });
});

describe('a route claimed twice on one port', () => {
  it('exits 1 naming both files and routes, with nothing left listening', async () => {
    const port = await closedPort();
    const other = await closedPort();
    const dir = tempSpecDir({
      'first.yaml': capability('first-rest', port, [['GET', '/ships/{imo}', 'get-ship'], ['POST', '/ships', 'add-ship']]),
      'second.yaml': capability('second-rest', port, [['GET', '/ships/{{id}}', 'fetch-ship']]),
      'third.yaml': capability('third-rest', other, [['GET', '/ok', 'ok']]),
    });
    const first = join(dir, 'first.yaml');
    const second = join(dir, 'second.yaml');
    const started = Date.now();
    const result = await runCliAsync(['run', first, second, join(dir, 'third.yaml'), '--host', '127.0.0.1', '--log-level', 'warn'], { env: childEnv() });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/^rest /m);
    expect(result.stderr).toContain(`route collision on port ${port}`);
    expect(result.stderr).toContain(`GET /ships/{{id}} of \`second-rest\` (${second})`);
    expect(result.stderr).toContain(`GET /ships/{imo} of \`first-rest\` (${first})`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await refused(port)).toBe(true);
    expect(await refused(other)).toBe(true);
  });
});
