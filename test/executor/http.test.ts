/** Transport behaviour: timeouts, unreachable upstreams, size cap, redirects, cancellation. */
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startHangingUpstream, startUpstream, type Reply, type Upstream } from '../helpers/upstream.js';
import { capability, executorFor, graphOf, handlerOf } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const { graph } = graphOf(
  capability({
    resources: `        - name: r
          path: "/x"
          operations:
            - name: op
              method: GET
`,
    tools: `        - name: t
          description: d
          call: up.op
        - name: mapped
          description: d
          call: up.op
          outputParameters:
            - type: string
              mapping: "$.a"
`,
  }),
);
const handler = handlerOf(graph, 't');

/** A TCP server that accepts connections and never answers (or answers only `partial`); its `/base` URL. */
async function hangingServer(partial?: string): Promise<string> {
  const up = await startHangingUpstream({ partial });
  cleanups.push(() => up.close());
  return `${up.url}/base`;
}

async function server(reply: Reply): Promise<Upstream> {
  const s = await startUpstream(reply);
  cleanups.push(() => s.close());
  return s;
}

describe('transport failures', () => {
  it('an upstream that accepts and never answers → timeout', async () => {
    const url = await hangingServer();
    const exec = await executorFor(graph, url, { timeouts: { headersMs: 300 } });
    cleanups.push(() => exec.close());
    const started = Date.now();
    await expect(exec.run(handler, { inputs: {} })).rejects.toMatchObject({ name: 'UpstreamError', kind: 'timeout', namespace: 'up', operation: 'op' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a body that stalls → timeout', async () => {
    const url = await hangingServer('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":');
    const exec = await executorFor(graph, url, { timeouts: { bodyMs: 300 } });
    cleanups.push(() => exec.close());
    await expect(exec.run(handler, { inputs: {} })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('a closed port → unavailable', async () => {
    const port = await closedPort();
    const exec = await executorFor(graph, `http://127.0.0.1:${port}/base`);
    cleanups.push(() => exec.close());
    await expect(exec.run(handler, { inputs: {} })).rejects.toMatchObject({ name: 'UpstreamError', kind: 'unavailable', namespace: 'up', operation: 'op' });
  });

  it('an answer over the size cap → too-large (declared length and chunked)', async () => {
    const s = await server((req, res) => {
      const big = Buffer.alloc(5_000, 'a');
      if (req.url.includes('chunked')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(big.subarray(0, 2_500));
        res.end(big.subarray(2_500));
      } else {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': big.length });
        res.end(big);
      }
    });
    const exec = await executorFor(graph, `${s.url}/base`, { maxResponseBytes: 1_000 });
    cleanups.push(() => exec.close());
    await expect(exec.run(handler, { inputs: {} })).rejects.toMatchObject({ kind: 'too-large', status: 200 });
    const exec2 = await executorFor(graph, `${s.url}/chunked`, { maxResponseBytes: 1_000 });
    cleanups.push(() => exec2.close());
    await expect(exec2.run(handler, { inputs: {} })).rejects.toMatchObject({ kind: 'too-large' });
  });

  it('a redirect is never followed: UpstreamError redirect, nothing sent to the Location', async () => {
    const elsewhere = await server((_req, res) => {
      res.end('followed!');
    });
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    const exec = await executorFor(graph, `${s.url}/base`);
    cleanups.push(() => exec.close());
    await expect(exec.run(handler, { inputs: {} })).rejects.toMatchObject({ name: 'UpstreamError', kind: 'redirect', status: 302 });
    await expect(exec.run(handlerOf(graph, 'mapped'), { inputs: {} })).rejects.toMatchObject({ kind: 'redirect' });
    expect(s.seen.length).toBe(2);
    expect(elsewhere.seen.length).toBe(0);
  });

  it('a caller abort cancels the call', async () => {
    const url = await hangingServer();
    const exec = await executorFor(graph, url);
    cleanups.push(() => exec.close());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(exec.run(handler, { inputs: {}, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps connections alive across calls', async () => {
    const ports = new Set<number>();
    const s = await server((_req, res) => {
      ports.add(res.socket!.remotePort!);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"a":"b"}');
    });
    const exec = await executorFor(graph, `${s.url}/base`);
    cleanups.push(() => exec.close());
    for (let i = 0; i < 6; i++) await exec.run(handler, { inputs: {} });
    // Sequential calls reuse pooled connections (undici may open a second one while the first is released).
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});
