/**
 * One upstream connection pool per origin for the whole process: executors of different
 * capabilities calling the same upstream share its keep-alive connections; a pool stays open
 * while one executor still uses it and closes with the last one; different pool settings get
 * pools of their own.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Executor } from '@capstan/runtime';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

/** A loopback upstream that counts the TCP connections it accepted and those still open. */
async function countingUpstream(): Promise<{ url: string; opened(): number; open(): number; close(): Promise<void> }> {
  let opened = 0;
  let open = 0;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  server.on('connection', (socket) => {
    opened++;
    open++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/base`,
    opened: () => opened,
    open: () => open,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A capability whose one tool `t` calls GET /<label> on the upstream. */
const capabilityYaml = (label: string) => capability({
  resources: `        - { name: r, path: "/${label}", operations: [{ name: op, method: GET }] }\n`,
  tools: '        - { name: t, description: d, call: up.op }\n',
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Lets a keep-alive connection go back to its pool (undici frees it a moment after the answer). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 25));

async function executors(url: string, count: number, options = {}): Promise<Array<{ exec: Executor; call: () => Promise<unknown> }>> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const { graph } = graphOf(capabilityYaml(`cap-${i}`));
    const exec = await executorFor(graph, url, options);
    cleanups.push(() => exec.close());
    out.push({ exec, call: async () => {
      await exec.run(handlerOf(graph, 't'), { inputs: {} });
      await settle();
    } });
  }
  return out;
}

describe('upstream pools shared across capabilities', () => {
  it('executors of different capabilities reuse one keep-alive connection to the same origin', async () => {
    const up = await countingUpstream();
    cleanups.push(up.close);
    const caps = await executors(up.url, 6);
    for (const c of caps) await c.call();
    for (const c of caps) await c.call();
    // Six capabilities, one connection (each with a pool of its own would open six).
    expect(up.opened()).toBe(1);
  });

  it('different pool settings (timeouts) get pools of their own', async () => {
    const up = await countingUpstream();
    cleanups.push(up.close);
    const [a] = await executors(up.url, 1);
    const [b] = await executors(up.url, 1, { timeouts: { headersMs: 7_000 } });
    await a!.call();
    await b!.call();
    expect(up.opened()).toBe(2);
  });

  it('the pool stays open while one executor uses it and closes with the last one', async () => {
    const up = await countingUpstream();
    cleanups.push(up.close);
    const [a, b] = await executors(up.url, 2);
    await a!.call();
    await b!.call();
    await a!.exec.close();
    await b!.call();
    expect(up.opened()).toBe(1);
    expect(up.open()).toBe(1);
    await b!.exec.close();
    await expect.poll(() => up.open(), { timeout: 2_000 }).toBe(0);
  });
});
