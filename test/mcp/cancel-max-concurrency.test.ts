/**
 * A cancelled MCP call gives its `--max-concurrency` slot back: with one slot in the whole gateway,
 * the SDK client aborts a tools/call the upstream holds open (its `notifications/cancelled` must
 * get through although the slot is taken: MCP POSTs take a slot only for a message that carries a
 * request), the upstream request is closed, and the next call is answered instead of refused with
 * 503. A call sent while the slot is held is still refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { heldYaml, startHeldUpstream, type HeldUpstream } from './held-upstream.js';

let held: HeldUpstream;
let gw: CapstanRun;

beforeAll(async () => {
  held = await startHeldUpstream();
  gw = await startCapstan([tempSpec(heldYaml())], { namespaces: ['held-tools', 'held-rest'], upstream: held.upstream.url, timeoutMs: 20_000, args: ['--max-concurrency', '1'] });
});

afterAll(async () => {
  await held?.close();
  await gw?.stop().catch(() => undefined);
});

describe('--max-concurrency 1 and a cancelled MCP call', () => {
  it('Streamable HTTP: the SDK client aborts a held tools/call; the upstream request is closed and the next call is answered', async () => {
    const client = new Client({ name: 'cancel-limit', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.mcp['held-tools']!)));
    try {
      const abort = new AbortController();
      const n = 'limit-1';
      const call = client.callTool({ name: 'hold', arguments: { n } }, undefined, { signal: abort.signal, timeout: 60_000 });
      call.catch(() => undefined);
      await held.arrived(n);
      // The one slot is held: another call is refused at once.
      const refused = await fetch(gw.rest['held-rest']! + '/quick');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      abort.abort('the user gave up');
      await expect(call).rejects.toThrow();
      expect(await held.closedWithin(n), 'the upstream request of the cancelled call is still open').toBe(true);
      const quick = await client.callTool({ name: 'quick', arguments: {} });
      expect(quick.isError).toBeFalsy();
      expect(JSON.parse((quick.content as Array<{ text: string }>)[0]!.text)).toEqual({ quick: true });
    } finally {
      await client.close();
    }
  });
});
