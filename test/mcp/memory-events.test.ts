/**
 * The in-process event store of a session (packages/mcp/src/memory-events.ts): what `Last-Event-ID`
 * resumption reads. It keeps the newest 64 streams and replays a stream's events after an id,
 * skipping priming events.
 */
import { describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MemoryEventStore } from '../../packages/mcp/src/memory-events.js';

const answer = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { content: [] } });

async function replay(store: MemoryEventStore, after: string): Promise<Array<[string, JSONRPCMessage]>> {
  const sent: Array<[string, JSONRPCMessage]> = [];
  await store.replayEventsAfter(after, { send: async (eventId, message) => void sent.push([eventId, message]) });
  return sent;
}

describe('the in-process event store', () => {
  it('replays the events of a stream after an id, priming events left out, interleaved with other streams', async () => {
    const store = new MemoryEventStore();
    const priming = await store.storeEvent('a', {} as JSONRPCMessage);
    await store.storeEvent('b', answer(9));
    const first = await store.storeEvent('a', answer(1));
    const second = await store.storeEvent('a', answer(2));
    expect(await store.getStreamIdForEventId(priming)).toBe('a');
    expect(await replay(store, priming)).toEqual([[first, answer(1)], [second, answer(2)]]);
    expect(await replay(store, first)).toEqual([[second, answer(2)]]);
    expect(await replay(store, second)).toEqual([]);
  });

  it('keeps the newest 64 streams, a stream staying where it was opened', async () => {
    const store = new MemoryEventStore();
    const ids: string[] = [];
    for (let i = 0; i < 70; i++) ids.push(await store.storeEvent(`s${i}`, answer(i)));
    // More events of an old stream do not make it newer.
    const later = await store.storeEvent('s10', answer(100));
    for (let i = 0; i < 6; i++) expect(await store.getStreamIdForEventId(ids[i]!)).toBeUndefined();
    for (let i = 6; i < 70; i++) expect(await store.getStreamIdForEventId(ids[i]!)).toBe(`s${i}`);
    expect(await replay(store, ids[10]!)).toEqual([[later, answer(100)]]);
    await store.storeEvent('s70', answer(70));
    expect(await store.getStreamIdForEventId(ids[6]!)).toBeUndefined();
    expect(await store.getStreamIdForEventId(later)).toBe('s10');
  });

  it('stores nothing while muted and forgets everything when dropped', async () => {
    const store = new MemoryEventStore();
    store.muted = true;
    const muted = await store.storeEvent('m', answer(1));
    expect(await store.getStreamIdForEventId(muted)).toBeUndefined();
    store.muted = false;
    const kept = await store.storeEvent('k', answer(2));
    expect(await store.getStreamIdForEventId(kept)).toBe('k');
    await store.drop();
    expect(await store.getStreamIdForEventId(kept)).toBeUndefined();
  });
});
