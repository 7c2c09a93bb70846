/** Caching of GET answers: hits, expiry, never across credentials, upstream Cache-Control obeyed. */
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/upstream.js';
import { sleep } from '../helpers/wait.js';
import { oneOperation, setUp, useCleanups } from './helpers.js';

const add = useCleanups();

/** A capability whose GET forwards the caller's `token` input as the bearer credential. */
const perCaller = () =>
  oneOperation({
    apiResiliency: 'cache:\n  ttl: 1\n',
    auth: 'type: bearer\ntoken: "{{token}}"\n',
  });

/** An upstream answering with a counter and the credential it saw. */
function counting(headers: Record<string, string> = {}) {
  let n = 0;
  return (req: { headers: Record<string, unknown> }, res: import('node:http').ServerResponse) => json(res, 200, { n: ++n, auth: req.headers.authorization }, headers);
}

const body = (r: { kind: string; body?: Buffer }) => JSON.parse(r.kind === 'raw' ? r.body!.toString() : '{}') as { n: number; auth: string };

describe('GET cache', () => {
  it('serves a hit without calling the upstream, and calls again after the TTL', async () => {
    const { graph } = perCaller();
    const { up, run } = await setUp(add, graph, counting());
    expect(body(await run({ token: 'alice-token' })).n).toBe(1);
    expect(body(await run({ token: 'alice-token' })).n).toBe(1);
    expect(up.seen).toHaveLength(1);
    await sleep(1_100);
    expect(body(await run({ token: 'alice-token' })).n).toBe(2);
    expect(up.seen).toHaveLength(2);
  });

  it('never serves one credential\'s answer to another', async () => {
    const { graph } = perCaller();
    const { up, run } = await setUp(add, graph, counting());
    const alice = body(await run({ token: 'alice-token' }));
    const bob = body(await run({ token: 'bob-token' }));
    expect(alice.auth).toBe('Bearer alice-token');
    expect(bob.auth).toBe('Bearer bob-token');
    expect(bob.n).toBe(2);
    expect(body(await run({ token: 'alice-token' }))).toEqual(alice);
    expect(up.seen).toHaveLength(2);
  });

  it('obeys the upstream: no-store and private answers are not kept', async () => {
    for (const control of ['no-store', 'private, max-age=60']) {
      const { graph } = perCaller();
      const { up, run } = await setUp(add, graph, counting({ 'cache-control': control }));
      await run({ token: 'alice-token' });
      await run({ token: 'alice-token' });
      expect(up.seen).toHaveLength(2);
    }
  });

  it('keeps nothing without a cache policy, and never keeps errors or POST answers', async () => {
    const none = await setUp(add, oneOperation({}).graph, counting());
    await none.run();
    await none.run();
    expect(none.up.seen).toHaveLength(2);
    const post = await setUp(add, oneOperation({ method: 'POST', apiResiliency: 'cache:\n  ttl: 60\n' }).graph, counting());
    await post.run();
    await post.run();
    expect(post.up.seen).toHaveLength(2);
    const failing = await setUp(add, oneOperation({ apiResiliency: 'retry:\n  attempts: 0\ncache:\n  ttl: 60\n' }).graph, (_req, res) => json(res, 500, {}));
    await failing.run();
    await failing.run();
    expect(failing.up.seen).toHaveLength(2);
  });
});
