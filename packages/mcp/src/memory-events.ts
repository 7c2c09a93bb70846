/**
 * In-process event store of one session (no Redis): a client that lost a stream reconnects with
 * `Last-Event-ID` to this process and gets what it missed; the SDK transport sends what comes
 * later itself. Bounded: the newest `MAX_EVENTS` events of the newest `MAX_STREAMS` streams.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { parseEventId, type SessionEventStore } from './session-sharing.js';

const MAX_STREAMS = 64;
const MAX_EVENTS = 256;

export class MemoryEventStore implements SessionEventStore {
  muted = false;
  private readonly streams = new Map<string, Array<{ position: number; message: JSONRPCMessage }>>();
  private next = 1;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const position = this.next++;
    if (this.muted) return `${streamId}/${position}`;
    let events = this.streams.get(streamId);
    if (!events) {
      events = [];
      this.streams.set(streamId, events);
      if (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value!);
    }
    events.push({ position, message });
    if (events.length > MAX_EVENTS) events.shift();
    return `${streamId}/${position}`;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const parsed = parseEventId(eventId);
    return parsed && this.streams.has(parsed.stream) ? parsed.stream : undefined;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) throw new Error(`malformed event id ${lastEventId}`);
    const after = Number(parsed.position);
    for (const event of this.streams.get(parsed.stream) ?? []) {
      if (event.position <= after || Object.keys(event.message).length === 0) continue;
      await send(`${parsed.stream}/${event.position}`, event.message);
    }
    return parsed.stream;
  }

  relayOf(): undefined {
    return undefined;
  }

  async drop(): Promise<void> {
    this.streams.clear();
  }
}
