/**
 * One app on several listeners (`servePort`, ports.ts), on real sockets: each port answers only
 * its own routes and runs only its own hooks, and the app is handed back by a remount, or closed,
 * only by the last listener that has it mounted.
 */
import type { FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, HttpListener, servePort } from '@capstan/http';
import { sleep } from '../helpers/wait.js';

type Held = Array<() => void>;

/** An app serving ports `a` and `b`: `/now` on both (with the port's label), `/only-a` on `a`, `/hold` on `b`; port `a`'s scope adds an `x-port` header. */
function sharedApp(label: string, held: Held): { app: FastifyInstance; closed: () => boolean } {
  const app = createHttpServer();
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });
  servePort(app, 'a', (scope) => {
    scope.addHook('onRequest', (_req, reply, done) => {
      reply.header('x-port', 'a');
      done();
    });
    scope.get('/now', async () => ({ label, port: 'a' }));
    scope.get('/only-a', async () => ({ only: 'a' }));
  });
  servePort(app, 'b', (scope) => {
    scope.get('/now', async () => ({ label, port: 'b' }));
    scope.get('/hold', (_req, reply) => {
      held.push(() => void reply.send({ label, held: true }));
    });
  }, { kind: 'rest', adapter: 'b' });
  return { app, closed: () => closed };
}

const listeners: HttpListener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close(0)));
});

async function listen(app: FastifyInstance, port: string): Promise<{ listener: HttpListener; base: string }> {
  const listener = new HttpListener({ port });
  listeners.push(listener);
  await listener.mount(app);
  const bound = await listener.listen('127.0.0.1', 0);
  return { listener, base: `http://127.0.0.1:${bound}` };
}

async function get(url: string, dispatcher?: Agent): Promise<{ status: number; body: unknown; header?: string }> {
  const res = await request(url, dispatcher ? { dispatcher } : {});
  const header = res.headers['x-port'];
  return { status: res.statusCode, body: await res.body.json(), ...(typeof header === 'string' ? { header } : {}) };
}

describe('one app on several listeners', () => {
  it('routes each request to its port\'s routes and hooks only', async () => {
    const { app } = sharedApp('first', []);
    const a = await listen(app, 'a');
    const b = await listen(app, 'b');
    expect(await get(`${a.base}/now`)).toEqual({ status: 200, body: { label: 'first', port: 'a' }, header: 'a' });
    expect(await get(`${b.base}/now`)).toEqual({ status: 200, body: { label: 'first', port: 'b' } });
    expect((await get(`${a.base}/only-a`)).status).toBe(200);
    const crossed = await get(`${b.base}/only-a`);
    expect(crossed.status).toBe(404);
    expect(crossed.body).toMatchObject({ type: 'https://capstan.dev/problems/not-found' });
    expect((await get(`${a.base}/hold`)).status).toBe(404);
  });

  it('a remount hands the app back only from the last listener, once that one\'s own answers are done; closing one listener leaves the app serving the other', async () => {
    const held: Held = [];
    const first = sharedApp('first', held);
    const second = sharedApp('second', []);
    const a = await listen(first.app, 'a');
    const b = await listen(first.app, 'b');
    const agent = new Agent();
    const pending = request(`${b.base}/hold`, { dispatcher: agent });
    while (held.length < 1) await sleep(5);
    // a moves to the new app at once: b still has the old one.
    expect(await a.listener.mount(second.app)).toBeUndefined();
    expect((await get(`${a.base}/now`)).body).toEqual({ label: 'second', port: 'a' });
    let handedBack: FastifyInstance | undefined;
    const remountB = b.listener.mount(second.app).then((old) => (handedBack = old));
    expect((await get(`${b.base}/now`)).body).toEqual({ label: 'second', port: 'b' });
    await sleep(100);
    expect(handedBack).toBeUndefined();
    held[0]!();
    expect(await (await pending).body.json()).toEqual({ label: 'first', held: true });
    await remountB;
    expect(handedBack).toBe(first.app);
    await first.app.close();
    // Closing a leaves the app to b; closing b too closes it.
    await a.listener.close(0);
    expect(second.closed()).toBe(false);
    expect((await get(`${b.base}/now`, agent)).body).toEqual({ label: 'second', port: 'b' });
    await b.listener.close(0);
    expect(second.closed()).toBe(true);
    await agent.close();
  });
});
