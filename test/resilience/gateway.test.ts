/**
 * Resilience through `capstan run`: per-client inbound rate limits with `RateLimit-*` headers
 * (in-process and shared by two gateways through a real Redis), `Cache-Control` on REST
 * answers, and the breaker's 503 problem naming the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempSpec } from '../helpers/tmp.js';
import { problemOf, raw } from '../helpers/http.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { HAVE_REDIS, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const SPEC = (limit: string) => `naftiko: "1.0.0-alpha2"
info:
  label: Resilience
  description: Resilience through the gateway
capability:
  consumes:
    - namespace: up
      type: http
      baseUri: "http://upstream.invalid/base"
      resources:
        - name: items
          path: "/items"
          operations:
            - name: list
              method: GET
    - namespace: flaky
      type: http
      baseUri: "http://upstream.invalid/base"
      resiliency:
        retry:
          attempts: 0
        circuitBreaker:
          minimumNumberOfCalls: 2
          waitDurationInOpenState: 60000
      resources:
        - name: down
          path: "/down"
          operations:
            - name: get
              method: GET
  aggregates:
    - label: Catalog
      namespace: catalog
      functions:
        - name: list-items
          description: Lists items
          semantics:
            safe: true
            cacheable: true
          call: up.list
  exposes:
    - type: rest
      port: 3001
      namespace: api
${limit}      resources:
        - path: /items
          operations:
            - method: GET
              ref: catalog.list-items
        - path: /fresh
          operations:
            - method: GET
              call: up.list
              cacheControl:
                maxAge: 5
                visibility: private
        - path: /down
          operations:
            - method: GET
              call: flaky.get
`;

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream((req, res) => (req.url.includes('/down') ? json(res, 503, { down: true }) : json(res, 200, [{ id: 1 }])));
});
afterAll(async () => upstream?.close());

const start = (limit: string, args: string[] = []) =>
  startCapstan([tempSpec(SPEC(limit))], { namespaces: ['api'], upstream: `${upstream.url}/base`, args });

describe('through capstan run', () => {
  let gateway: CapstanRun;
  beforeAll(async () => {
    gateway = await start('      x-capstan-rateLimit:\n        max: 4\n        timeWindow: 60000\n');
  });
  afterAll(async () => gateway?.stop());

  it('Cache-Control: derived from semantics.cacheable, declared with cacheControl, absent otherwise and on errors', async () => {
    const items = await raw(gateway.rest.api!, 'GET', '/items', { headers: { authorization: 'Bearer cache-test' } });
    expect(items.status).toBe(200);
    expect(items.headers['cache-control']).toBe('public, max-age=60');
    const fresh = await raw(gateway.rest.api!, 'GET', '/fresh', { headers: { authorization: 'Bearer cache-test' } });
    expect(fresh.headers['cache-control']).toBe('private, max-age=5');
  });

  it('the open breaker answers 503 problem+json naming the upstream, with Retry-After', async () => {
    const headers = { authorization: 'Bearer breaker-test' };
    for (let i = 0; i < 2; i++) expect((await raw(gateway.rest.api!, 'GET', '/down', { headers })).status).toBe(503);
    const before = upstream.seen.length;
    const open = await raw(gateway.rest.api!, 'GET', '/down', { headers });
    expect(open.status).toBe(503);
    const p = problemOf(open);
    expect(p.type).toBe('https://capstan.dev/problems/upstream-circuit-open');
    expect(p.upstream).toEqual({ namespace: 'flaky', operation: 'get' });
    expect(p.detail).toMatch(/circuit breaker for flaky/);
    expect(open.headers['retry-after']).toBe('60');
    expect(open.headers['cache-control']).toBeUndefined();
    expect(upstream.seen.length).toBe(before);
  });

  it('inbound limit per client: RateLimit-* headers, then 429 problem with Retry-After; another client is not affected', async () => {
    const alice = { authorization: 'Bearer alice-token' };
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await raw(gateway.rest.api!, 'GET', '/fresh', { headers: alice }));
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers[0]!.headers['ratelimit-limit']).toBe('4');
    expect(answers[0]!.headers['ratelimit-remaining']).toBe('3');
    const refused = answers[4]!;
    expect(refused.status).toBe(429);
    expect(problemOf(refused).type).toBe('https://capstan.dev/problems/rate-limited');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const bob = await raw(gateway.rest.api!, 'GET', '/fresh', { headers: { authorization: 'Bearer bob-token' } });
    expect(bob.status).toBe(200);
  });
});

describe.skipIf(!HAVE_REDIS)('inbound limit shared through Redis (redis-server on a random port)', () => {
  let redis: RedisServer;
  const gateways: CapstanRun[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    for (let i = 0; i < 2; i++) gateways.push(await start('', ['--rate-limit', '3/60s', '--rate-limit-redis', redis.url]));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await redis?.stop();
  });

  it('two gateways count one client together', async () => {
    const headers = { 'x-forwarded-for': 'ignored', authorization: 'Bearer shared-client' };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await raw(gateways[i % 2]!.rest.api!, 'GET', '/fresh', { headers })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
