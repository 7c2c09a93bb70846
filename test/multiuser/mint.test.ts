/**
 * The mint source in process: ES256 with a JWK key, claims from the caller's verified claims, a
 * missing claim refused with 403 naming it, and a bad key failing start-up without echoing it.
 */
import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type RestAdapterNode } from '@capstan/spec';
import { CredentialError, Executor } from '@capstan/runtime';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const SPEC = `naftiko: 1.0.0-alpha2
info:
  label: Org API
  description: An API that takes a token naming the user and the organisation.
capability:
  consumes:
    - type: http
      namespace: org
      baseUri: http://127.0.0.1:9
      authentication:
        type: bearer
        token: '{{ORG_TOKEN}}'
      resources:
        - name: projects
          path: /projects
          operations:
            - name: list-projects
              method: GET
  exposes:
    - type: rest
      namespace: org-rest
      port: 8080
      resources:
        - path: /projects
          name: projects
          operations:
            - method: GET
              name: list-projects
              call: org.list-projects
`;

let upstream: Upstream;
const graph = checkSpec(tempSpec(SPEC)).graph!;
const handler = (graph.adapters[0] as RestAdapterNode).resources[0]!.operations[0]!.handler;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { ok: true }));
});
afterAll(async () => {
  await upstream.close();
});

describe('mint source', () => {
  it('ES256 with a JWK key; claims come from the caller\'s verified claims', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const key = JSON.stringify(await exportJWK(privateKey));
    const exec = await Executor.create(graph, {
      env: { ORG_SIGNING_KEY: key },
      upstreams: { '*': upstream.url },
      credentials: { org: { source: 'mint', algorithm: 'ES256', key: '{{ORG_SIGNING_KEY}}', claims: { sub: '{{caller.sub}}', org: '{{caller.claims.org}}', scope: 'read' }, ttl: 60 } },
    });
    try {
      await exec.run(handler, { inputs: {}, context: { caller: { sub: 'alice', scheme: 'jwt', claims: { org: 'acme' } } } });
      const token = upstream.seen.at(-1)!.headers.authorization!.slice(7);
      const { payload, protectedHeader } = await jwtVerify(token, publicKey, { algorithms: ['ES256'] });
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload).toMatchObject({ sub: 'alice', org: 'acme', scope: 'read' });
      expect(payload.exp! - payload.iat!).toBe(60);
      const before = upstream.seen.length;
      const err = await exec.run(handler, { inputs: {}, context: { caller: { sub: 'bob', scheme: 'jwt', claims: {} } } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CredentialError);
      expect((err as CredentialError).status).toBe(403);
      expect((err as CredentialError).message).toBe('the token for `org` needs the claim `org`, and the caller `bob` has no value for it');
      expect(upstream.seen.length).toBe(before);
    } finally {
      await exec.close();
    }
  });

  it('a key that is not a private key fails start-up naming the API, never echoing the key', async () => {
    const secret = 'not-a-key-but-secret-text';
    const err = await Executor.create(graph, { env: { K: secret }, credentials: { org: { source: 'mint', key: '{{K}}' } } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('credentials of `org`: the signing key is not a RS256 private key in PKCS#8 PEM or JWK form');
    expect((err as Error).message).not.toContain(secret);
  });

  it('a bad setting fails start-up naming it', async () => {
    const err = await Executor.create(graph, { env: {}, credentials: { org: { source: 'mint', key: 'k', algorithm: 'HS256' } } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('credentials of `org`: `algorithm` must be RS256 or ES256');
  });
});
