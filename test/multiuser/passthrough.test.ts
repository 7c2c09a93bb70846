/**
 * Pass-through and the request context inside a capability file: one consumed API opts in
 * (`x-capstan-credentials: {source: passthrough}`) and gets the caller's own Authorization; the
 * other keeps the gateway's token and never sees the caller's. The caller comes from a forwarded
 * identity header, honoured only from trusted networks. `{{caller.sub}}` renders the verified
 * identity and nothing a caller sends can stand in for it. `--strict` reports the extension.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type RestAdapterNode } from '@capstan/spec';
import { Executor } from '@capstan/runtime';
import { runCli } from '../helpers/cli.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Two upstreams
  description: One upstream takes the caller's own token, the other the gateway's.
binds:
  - namespace: env
    keys:
      OWN_TOKEN: OWN_TOKEN
      SHARED_TOKEN: SHARED_TOKEN
capability:
  consumes:
    - type: http
      namespace: own
      baseUri: http://127.0.0.1:9
      authentication:
        type: bearer
        token: '{{OWN_TOKEN}}'
        x-capstan-credentials:
          source: passthrough
      resources:
        - name: me
          path: /me
          operations:
            - name: get-me
              method: GET
    - type: http
      namespace: shared
      baseUri: http://127.0.0.1:9
      authentication:
        type: bearer
        token: '{{SHARED_TOKEN}}'
      resources:
        - name: audit
          path: /audit
          operations:
            - name: get-audit
              method: GET
              inputParameters:
                - name: x-acting-user
                  in: header
                  value: '{{caller.sub}}'
  exposes:
    - type: rest
      namespace: two-rest
      port: 8080
      resources:
        - path: /me
          name: me
          operations:
            - method: GET
              name: get-me
              call: own.get-me
        - path: /audit
          name: audit
          operations:
            - method: GET
              name: get-audit
              call: shared.get-audit
`;

const SHARED_TOKEN = 'gateway-shared-token';
let dir: string;
let upstream: Upstream;
let run: CapstanRun;

const credentials = (networks: string) => `identity:\n  forwarded:\n    header: x-forwarded-user\n    trustedNetworks: [${networks}]\n`;

describe('pass-through to the opted-in upstream only', () => {
  beforeAll(async () => {
    dir = tempSpecDir({ 'two.yaml': SPEC, 'trusted.yaml': credentials('127.0.0.0/8, "::1/128"'), 'untrusted.yaml': credentials('10.0.0.0/8') });
    upstream = await startUpstream((req, res) => json(res, 200, { url: req.url }));
    // OWN_TOKEN is not set: the pass-through replaces it.
    run = await startCapstan([join(dir, 'two.yaml')], { namespaces: ['two-rest'], upstream: upstream.url, env: { SHARED_TOKEN }, args: ['--credentials', join(dir, 'trusted.yaml')] });
  });

  afterAll(async () => {
    await run?.stop();
    await upstream?.close();
  });

  const call = (path: string, headers: Record<string, string>) => fetch(`${run.rest['two-rest']}${path}`, { headers });

  it('the caller\'s Authorization reaches the opted-in upstream as is, and only that one', async () => {
    const headers = { authorization: 'Bearer users-own-token', 'x-forwarded-user': 'alice' };
    expect((await call('/me', headers)).status).toBe(200);
    expect((await call('/audit', headers)).status).toBe(200);
    const [own, shared] = upstream.seen.slice(-2);
    expect(own!.url).toBe('/me');
    expect(own!.headers.authorization).toBe('Bearer users-own-token');
    expect(shared!.url).toBe('/audit');
    expect(shared!.headers.authorization).toBe(`Bearer ${SHARED_TOKEN}`);
    expect(JSON.stringify(shared!.headers)).not.toContain('users-own-token');
    expect(shared!.headers['x-acting-user']).toBe('alice');
  });

  it('a caller without the header to pass gets 401 naming it, and the upstream is not called', async () => {
    const before = upstream.seen.length;
    const res = await call('/me', { 'x-forwarded-user': 'alice' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toBe("`own` is called with the caller's own `authorization` header, and the request has none");
    expect(upstream.seen.length).toBe(before);
  });

  it('a forwarded identity header from an untrusted network is refused', async () => {
    const other = await startCapstan([join(dir, 'two.yaml')], { namespaces: ['two-rest'], upstream: upstream.url, env: { SHARED_TOKEN }, args: ['--credentials', join(dir, 'untrusted.yaml')] });
    try {
      const res = await fetch(`${other.rest['two-rest']}/audit`, { headers: { 'x-forwarded-user': 'alice' } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toBe('the `x-forwarded-user` identity header is honoured only from trusted networks');
    } finally {
      await other.stop();
    }
  });

  it('{{caller.sub}} is the verified identity only: inputs named like the context cannot stand in for it', async () => {
    const graph = checkSpec(join(dir, 'two.yaml')).graph!;
    const handler = (graph.adapters[0] as RestAdapterNode).resources[1]!.operations[0]!.handler;
    const exec = await Executor.create(graph, { env: { SHARED_TOKEN }, upstreams: { '*': upstream.url } });
    try {
      await exec.run(handler, { inputs: { caller: { sub: 'mallory' }, 'caller.sub': 'mallory' } });
      expect(upstream.seen.at(-1)!.headers['x-acting-user']).toBe('');
      await exec.run(handler, { inputs: { caller: { sub: 'mallory' } }, context: { caller: { sub: 'bob', scheme: 'jwt', claims: {} } } });
      expect(upstream.seen.at(-1)!.headers['x-acting-user']).toBe('bob');
    } finally {
      await exec.close();
    }
  });

  it('validate accepts the extension with a warning; --strict reports it as an error', () => {
    const lenient = runCli(['validate', join(dir, 'two.yaml')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout + lenient.stderr).toMatch(/x-capstan-credentials` is a Capstan extension/);
    const strict = runCli(['validate', '--strict', join(dir, 'two.yaml')]);
    expect(strict.code).not.toBe(0);
    expect(strict.stdout + strict.stderr).toMatch(/two\.yaml:\d+:\d+.*\n?.*x-capstan-credentials/);
  });
});
