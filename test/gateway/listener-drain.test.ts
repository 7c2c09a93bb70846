/**
 * The HTTP listener's bookkeeping of answers in flight (what a drain and a reload wait for), on a
 * real socket: every answered request gives its slot back, a drain waits only for answers still
 * in flight (not for streams marked long-lived), and a remount hands back the old app only once
 * its own requests are answered.
 */
import type { ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, HttpListener, markLongLived } from '@capstan/http';
import { sleep } from '../helpers/wait.js';

type Held = Array<() => void>;

/** An app whose `/hold` answers when the test releases it, `/stream` stays open (long-lived), `/now` answers at once. */
function app(label: string, held: Held) {
  const a = createHttpServer();
  a.get('/now', async () => ({ label }));
  a.get('/hold', (_req, reply) => {
    held.push(() => void reply.send({ label, held: true }));
  });
  a.get('/stream', (_req, reply) => {
    markLongLived(reply.raw as ServerResponse);
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.write(': open\n\n');
    reply.hijack();
  });
  return a;
}

const listeners: HttpListener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close(0)));
});

async function serve(held: Held, label = 'first'): Promise<{ listener: HttpListener; base: string }> {
  const listener = new HttpListener();
  listeners.push(listener);
  await listener.mount(app(label, held));
  const port = await listener.listen('127.0.0.1', 0);
  return { listener, base: `http://127.0.0.1:${port}` };
}

describe('HttpListener: answers in flight', () => {
  it('gives every answered request its slot back: a drain after 400 requests (16 at a time, kept alive) does not wait', async () => {
    const { listener, base } = await serve([]);
    const agent = new Agent({ connections: 16 });
    let next = 0;
    const worker = async () => {
      while (next < 400) {
        next++;
        const res = await request(`${base}/now`, { dispatcher: agent });
        expect(res.statusCode).toBe(200);
        expect(await res.body.json()).toEqual({ label: 'first' });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const started = Date.now();
    await listener.close(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    await agent.close();
  });

  it('a drain waits for an answer in flight, which ends its connection, and not for a long-lived stream', async () => {
    const held: Held = [];
    const { listener, base } = await serve(held);
    const agent = new Agent();
    const stream = await request(`${base}/stream`, { dispatcher: agent });
    expect(stream.statusCode).toBe(200);
    const pending = request(`${base}/hold`, { dispatcher: agent });
    while (held.length < 1) await sleep(5);
    let drained = false;
    const closing = listener.close(10_000).then(() => (drained = true));
    await sleep(150);
    expect(drained).toBe(false);
    held[0]!();
    const res = await pending;
    const answered = Date.now();
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(await res.body.json()).toEqual({ label: 'first', held: true });
    await closing;
    expect(drained).toBe(true);
    expect(Date.now() - answered).toBeLessThan(2_000);
    await stream.body.text().catch(() => undefined);
    await agent.destroy();
  });

  it('a drain with nothing in flight but a stream ends at once', async () => {
    const { listener, base } = await serve([]);
    const agent = new Agent();
    const stream = await request(`${base}/stream`, { dispatcher: agent });
    expect(stream.statusCode).toBe(200);
    const started = Date.now();
    await listener.close(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    await stream.body.text().catch(() => undefined);
    await agent.destroy();
  });

  it('a remount answers new requests on the new app and hands the old one back once its requests are answered', async () => {
    const held: Held = [];
    const { listener, base } = await serve(held);
    const agent = new Agent();
    const pending = [request(`${base}/hold`, { dispatcher: agent }), request(`${base}/hold`, { dispatcher: agent })];
    while (held.length < 2) await sleep(5);
    const second = app('second', []);
    let handedBack: unknown;
    const mounting = listener.mount(second).then((old) => (handedBack = old));
    const now = await request(`${base}/now`, { dispatcher: agent });
    expect(await now.body.json()).toEqual({ label: 'second' });
    held[0]!();
    expect(await (await pending[0]!).body.json()).toEqual({ label: 'first', held: true });
    await sleep(100);
    expect(handedBack).toBeUndefined();
    held[1]!();
    expect(await (await pending[1]!).body.json()).toEqual({ label: 'first', held: true });
    const old = await mounting;
    expect(old).toBeDefined();
    expect(old).not.toBe(second);
    await old!.close();
    await agent.close();
  });
});
