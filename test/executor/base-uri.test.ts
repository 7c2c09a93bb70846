/**
 * Templated base URIs: `{{VAR}}` from binds rendered once at start-up, `{x}`/`{{x}}` from
 * parameters per request under the origin guard (a parameter fills a host label, a port or a path
 * segment, never the scheme, the domain, or `/ @ ? # :` and dot segments), and `--upstream`
 * overrides. Hostile values are refused before anything is sent: a canary upstream that a
 * hostile value would reach without the guard must see no connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Executor, InputError } from '@capstan/runtime';
import { prepareBase, resolveBase } from '@capstan/runtime/internals';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { capability, graphOf, handlerOf } from './helpers.js';

const servers: Upstream[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(): Promise<Upstream> {
  const s = await startUpstream();
  servers.push(s);
  return s;
}

/** A capability whose consumed API has `baseUri`; the tool `get` calls GET /things/{id}. */
function graphWith(baseUri: string) {
  const binds = 'binds:\n  - namespace: env\n    keys:\n      UP_HOST: UP_HOST_VAR\n';
  const resources = '        - name: things\n          path: "/things/{id}"\n          operations:\n            - name: get\n              method: GET\n';
  return graphOf(capability({ binds, baseUri, resources, tools: '        - name: get\n          description: d\n          call: up.get\n' })).graph;
}

async function call(baseUri: string, inputs: Record<string, unknown>, env: Record<string, string> = {}, upstreams?: Record<string, string>) {
  const graph = graphWith(baseUri);
  const exec = await Executor.create(graph, { env: { UP_HOST_VAR: 'unused.example', ...env }, ...(upstreams ? { upstreams } : {}) });
  try {
    return await exec.run(handlerOf(graph, 'get'), { inputs });
  } finally {
    await exec.close();
  }
}

describe('templated baseUri', () => {
  it('binds fill the base once at start-up; a parameter of the same name cannot change it', async () => {
    const up = await server();
    const host = new URL(up.url).host;
    const result = await call('http://{{UP_HOST}}/api', { id: '1', UP_HOST: 'evil.example:1' }, { UP_HOST_VAR: host });
    expect(result.status).toBe(200);
    expect(up.seen.map((s) => s.url)).toEqual(['/api/things/1']);
    const graph = graphWith('http://{{env.UP_HOST}}/api');
    expect(prepareBase(graph.consumes.get('up')!, undefined, { env: { UP_HOST: host } })).toMatchObject({ kind: 'fixed' });
  });

  it('parameters fill a host label, the port and a path segment, per request', async () => {
    const up = await server();
    const port = new URL(up.url).port;
    for (const version of ['v1', 'v2']) {
      const result = await call('http://127.{net}.0.1:{port}/api/{version}', { id: 'a b', net: '0', port, version });
      expect(result.status).toBe(200);
    }
    expect(up.seen.map((s) => s.url)).toEqual(['/api/v1/things/a%20b', '/api/v2/things/a%20b']);
  });

  it('hostile parameter values are refused before any connection (a canary would be reached without the guard)', async () => {
    const up = await server();
    const canary = await server();
    const port = new URL(up.url).port;
    const canaryPort = new URL(canary.url).port;
    const hostile: Array<[string, Record<string, string>]> = [
      ['net', { net: `0.0.1:${canaryPort}/x?` }],
      ['net', { net: `0.0.1:${canaryPort}#` }],
      ['net', { net: `x@127.0.0.1:${canaryPort}/` }],
      ['net', { net: '0.0.1%3a1' }],
      ['net', { net: '..' }],
      ['net', { net: '' }],
      ['port', { port: `${canaryPort}/` }],
      ['port', { port: `${port}@127.0.0.1:${canaryPort}` }],
      ['version', { version: `../..` }],
      ['version', { version: `x/../../y` }],
      ['version', { version: '%2e%2e' }],
      ['version', { version: 'http://127.0.0.1' }],
    ];
    for (const [name, values] of hostile) {
      const inputs = { id: '1', net: '0', port, version: 'v1', ...values };
      const err = await call('http://127.{net}.0.1:{port}/api/{version}', inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(values)).toBeInstanceOf(InputError);
      expect((err as InputError).errors.map((e) => e.name)).toEqual([name]);
    }
    expect(up.seen).toHaveLength(0);
    expect(canary.opened()).toBe(0);
  });

  it('the guard holds for any value: the URL keeps its scheme, literal domain and base path', () => {
    const api = graphWith('https://{tenant}.example.com/api/{version}').consumes.get('up')!;
    const base = prepareBase(api, undefined, {});
    const values = ['a', 'A-1', 'evil.com', 'evil.com/', 'x@y', 'x:1', 'x?', 'x#', '%2e', '.', '', ' ', 'a\nb', 'ａ', 'xn--e1a', '..', 'a/b', '%2F', '@', 'http:'];
    for (const tenant of values) {
      for (const version of values) {
        let url: URL | undefined;
        try {
          url = resolveBase(base, [{ tenant, version }], 'get');
        } catch (err) {
          expect(err, `${tenant} ${version}`).toBeInstanceOf(InputError);
          continue;
        }
        expect(url.protocol).toBe('https:');
        expect(url.hostname).toMatch(/^[a-z0-9-]+\.example\.com$/);
        expect(url.pathname).toMatch(/^\/api\/[^/]+$/);
        expect(url.username + url.password + url.search + url.hash).toBe('');
      }
    }
  });

  it('a scheme or domain a parameter would choose is refused at start-up', async () => {
    for (const baseUri of ['{scheme}://api.example.com', 'https://{tenant}.com', 'https://api.{domain}', 'https://{host}', 'https://api.example.com:{port}x']) {
      const graph = graphWith(baseUri);
      await expect(Executor.create(graph, { env: { UP_HOST_VAR: 'x' } }), baseUri).rejects.toThrow(/upstream base URI for `up`/);
    }
  });

  it('--upstream overrides a templated base (its placeholders no longer apply)', async () => {
    const up = await server();
    const result = await call('https://{tenant}.salesforce.com/services/data/v63.0', { id: '7' }, {}, { up: `${up.url}/mock` });
    expect(result.status).toBe(200);
    expect(up.seen.map((s) => s.url)).toEqual(['/mock/things/7']);
  });
});
