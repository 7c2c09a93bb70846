/**
 * The store source in process: Redis entries (hash or string) when a real `redis-server` is on
 * PATH, an unreachable Redis as a 502-kind upstream error, and per-caller secrets redacted from
 * an upstream error body.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type Handler, type RestAdapterNode } from '@capstan/spec';
import { CredentialError, Executor, UpstreamError } from '@capstan/runtime';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Keyed API
  description: An API that takes one key per user.
capability:
  consumes:
    - type: http
      namespace: keyed
      baseUri: http://127.0.0.1:9
      authentication:
        type: apikey
        key: x-api-key
        value: '{{UNUSED}}'
        placement: header
      resources:
        - name: whoami
          path: /whoami
          operations:
            - name: whoami
              method: GET
  exposes:
    - type: rest
      namespace: keyed-rest
      port: 8080
      resources:
        - path: /whoami
          name: whoami
          operations:
            - method: GET
              name: whoami
              call: keyed.whoami
`;

const HAVE_REDIS = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0;
let upstream: Upstream;
let handler: Handler;
const graph = checkSpec(tempSpec(SPEC)).graph!;
handler = (graph.adapters[0] as RestAdapterNode).resources[0]!.operations[0]!.handler;
const alice = { caller: { sub: 'alice', scheme: 'jwt', claims: {} } };

async function executor(store: string): Promise<Executor> {
  return Executor.create(graph, { env: {}, upstreams: { '*': upstream.url }, credentials: { keyed: { source: 'store', store, prefix: 'keys:' } } });
}

beforeAll(async () => {
  upstream = await startUpstream((req, res) => (req.headers['x-api-key'] === 'bad-key' ? json(res, 401, { error: `key ${String(req.headers['x-api-key'])} is revoked` }) : json(res, 200, { key: req.headers['x-api-key'] })));
});
afterAll(async () => {
  await upstream.close();
});

describe('store source', () => {
  it('an unreachable Redis is an upstream error naming the store, not another credential', async () => {
    const exec = await executor('redis://127.0.0.1:1/0');
    try {
      const err = await exec.run(handler, { inputs: {}, context: alice }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).message).toBe('the credential store redis://127.0.0.1:1/0 of `keyed` could not be reached');
    } finally {
      await exec.close();
    }
  });

  describe.skipIf(!HAVE_REDIS)('with a real redis-server (skipped: no redis-server on PATH)', () => {
    let server: ChildProcess;
    let port: number;
    const cli = (...args: string[]) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
    beforeAll(async () => {
      port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const p = (probe.address() as { port: number }).port;
          probe.close(() => resolve(p));
        });
      });
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      for (let i = 0; i < 50 && cli('ping').stdout.trim() !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 100));
      cli('hset', 'keys:alice', 'token', 'alice-key');
      cli('set', 'keys:bob', 'bad-key');
    });
    afterAll(() => {
      server?.kill();
    });

    it('reads a hash or a string entry per caller; a caller without one is refused 403', async () => {
      const exec = await executor(`redis://127.0.0.1:${port}`);
      try {
        const ok = await exec.run(handler, { inputs: {}, context: alice });
        expect(ok.kind === 'raw' ? JSON.parse(ok.body.toString()) : undefined).toEqual({ key: 'alice-key' });
        const bob = await exec.run(handler, { inputs: {}, context: { caller: { sub: 'bob', scheme: 'jwt', claims: {} } } });
        expect(bob.status).toBe(401);
        const carol = await exec.run(handler, { inputs: {}, context: { caller: { sub: 'carol', scheme: 'jwt', claims: {} } } }).catch((e: unknown) => e);
        expect(carol).toBeInstanceOf(CredentialError);
        expect((carol as CredentialError).status).toBe(403);
      } finally {
        await exec.close();
      }
    });
  });

  it('a caller\'s own secret is redacted from the upstream\'s error body', async () => {
    const dir = tempSpec('bob: bad-key\nalice: alice-key\n', 'keys.yaml');
    const exec = await executor(`file:${dir}`);
    try {
      const res = await exec.run(handler, { inputs: {}, context: { caller: { sub: 'bob', scheme: 'jwt', claims: {} } } });
      expect(res.status).toBe(401);
      expect(res.kind === 'raw' ? res.body.toString() : '').toBe('{"error":"key *** is revoked"}');
      expect(upstream.seen.at(-1)!.headers['x-api-key']).toBe('bad-key');
      const ok = await exec.run(handler, { inputs: {}, context: alice });
      expect(ok.kind === 'raw' ? JSON.parse(ok.body.toString()) : undefined).toEqual({ key: 'alice-key' });
      const none = await exec.run(handler, { inputs: {} }).catch((e: unknown) => e);
      expect((none as CredentialError).status).toBe(401);
    } finally {
      await exec.close();
    }
  });
});
