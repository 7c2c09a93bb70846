/** Capstan's extension keys: run in the default mode, each reported by `--strict` at its line. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { tempSpecDir } from '../helpers/tmp.js';
import { indent } from './helpers.js';

const SPEC = `naftiko: "1.0.0-alpha2"
info:
  label: Extensions
  description: Every extension key once
capability:
  resiliency:
    retry:
      attempts: 1
  consumes:
    - namespace: up
      type: http
      baseUri: "http://127.0.0.1:9/base"
      resiliency:
        circuitBreaker: {}
      authentication:
${indent('type: oauth2\nauthorizationServerUri: "https://auth.example.com"\nresource: "https://api.example.com"\nx-capstan-clientId: "id"\nx-capstan-clientSecret: "secret"\n', 8)}      resources:
        - name: r
          path: /r
          resiliency:
            cache:
              ttl: 5
          operations:
            - name: get
              method: GET
              resiliency:
                rateLimiter:
                  limitForPeriod: 5
  exposes:
    - type: rest
      port: 3001
      namespace: api
      x-capstan-rateLimit:
        max: 10
      resources:
        - path: /r
          operations:
            - method: GET
              call: up.get
              cacheControl:
                maxAge: 5
`;

describe('Capstan extensions', () => {
  const file = join(tempSpecDir({ 'cap.yaml': SPEC }), 'cap.yaml');

  it('the default mode runs them: no finding, policies cascaded into the graph', () => {
    const result = checkSpec(file);
    expect(result.diagnostics).toEqual([]);
    const op = result.graph!.consumes.get('up')!.operations.get('get')!;
    expect(op.resiliency).toEqual({ retry: { attempts: 1 }, circuitBreaker: {}, rateLimiter: { limitForPeriod: 5 }, cache: { ttl: 5 } });
  });

  it('--strict reports each one as capstan-extension at its key', () => {
    const found = checkSpec(file, { strict: true }).diagnostics.filter((d) => d.code === 'capstan-extension');
    expect(found.map((d) => `${d.line} ${d.message.split('`')[1]}`)).toEqual([
      '6 resiliency', '13 resiliency', '19 x-capstan-clientId', '20 x-capstan-clientSecret', '24 resiliency', '30 resiliency', '37 x-capstan-rateLimit', '44 cacheControl',
    ]);
    expect(found.every((d) => d.severity === 'error')).toBe(true);
  });
});
