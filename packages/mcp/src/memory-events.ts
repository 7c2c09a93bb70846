/**
 * In-process event store of one session (no Redis): a client that lost a stream reconnects with
 * `Last-Event-ID` to this process and gets what it missed; the SDK transport sends what comes
 * later itself. Bounded: the newest `MAX_EVENTS` events of the newest `MAX_STREAMS` streams.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { parseEventId, type SessionEventStore } from './session-sharing.js';

const MAX_STREAMS = 64;
const MAX_EVENTS = 256;

/** One stream's events, oldest first. */
interface StreamEvents {
  stream: string;
  events: Array<{ position: number; message: JSONRPCMessage }>;
}

export class MemoryEventStore implements SessionEventStore {
  muted = false;
  /**
   * The newest streams in a ring, the oldest overwritten first (every request of a session opens
   * a stream; a `Map` churned at that rate keeps old entries alive across scavenges, see
   * `in-flight.ts`). Found by a scan, newest first: a request's events come in a row.
   */
  private readonly ring: Array<StreamEvents | undefined> = new Array<StreamEvents | undefined>(MAX_STREAMS).fill(undefined);
  private newest = 0;
  private next = 1;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    return this.store(streamId, message, true);
  }

  /**
   * `storeEvent` for the first event of a stream its caller just created: no stream has its id,
   * so the ring is not searched (a miss compares the id with all 64 streams: the fast path opens
   * a stream per request).
   */
  async openStream(streamId: string, message: JSONRPCMessage): Promise<string> {
    return this.store(streamId, message, false);
  }

  private store(streamId: string, message: JSONRPCMessage, search: boolean): string {
    const position = this.next++;
    if (this.muted) return `${streamId}/${position}`;
    let entry = search ? this.find(streamId) : undefined;
    if (!entry) {
      this.newest = (this.newest + 1) % MAX_STREAMS;
      this.ring[this.newest] = entry = { stream: streamId, events: [] };
    }
    entry.events.push({ position, message });
    if (entry.events.length > MAX_EVENTS) entry.events.shift();
    return `${streamId}/${position}`;
  }

  private find(stream: string): StreamEvents | undefined {
    for (let i = 0; i < MAX_STREAMS; i++) {
      const entry = this.ring[(this.newest - i + MAX_STREAMS) % MAX_STREAMS];
      if (entry?.stream === stream) return entry;
    }
    return undefined;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const parsed = parseEventId(eventId);
    return parsed && this.find(parsed.stream) ? parsed.stream : undefined;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) throw new Error(`malformed event id ${lastEventId}`);
    const after = Number(parsed.position);
    for (const event of this.find(parsed.stream)?.events ?? []) {
      if (event.position <= after || Object.keys(event.message).length === 0) continue;
      await send(`${parsed.stream}/${event.position}`, event.message);
    }
    return parsed.stream;
  }

  relayOf(): undefined {
    return undefined;
  }

  async drop(): Promise<void> {
    this.ring.fill(undefined);
  }
}
