/**
 * Event store of one session on Redis Streams (one stream key per SDK stream, expiring with the
 * session), so a client that lost a stream resumes with `Last-Event-ID` on any replica.
 *
 * The SDK transport replays stored events, then writes later events of a stream itself, but
 * only on the replica that answers the stream's request. When the resumption lands elsewhere,
 * this store keeps relaying: it polls the stream key for new events until the request's response
 * has gone out (`relayOf` tells the HTTP layer when to end the response).
 */
import type { Redis } from 'ioredis';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isResponse, parseEventId, STANDALONE_STREAM as STANDALONE, type SessionEventStore } from './session-sharing.js';
const MAX_EVENTS = 1000;
const MAX_LOCAL_STREAMS = 1024;
/**
 * How long a request's stream can be resumed. A client resumes within seconds of losing its
 * connection (the SDK backs off up to 30 s); keeping every answered request for the whole
 * session would fill Redis. The session's own (GET) stream lives as long as the session.
 */
const RESUME_WINDOW_MS = 5 * 60_000;
const POLL_MS = 100;

type Send = (eventId: string, message: JSONRPCMessage) => Promise<void>;
type Entry = [id: string, fields: string[]];

interface Relay {
  done: Promise<void>;
  stop: () => void;
}

export class RedisEventStore implements SessionEventStore {
  muted = false;
  /** Streams whose request this replica answers (the transport writes their events live). */
  private readonly local = new Set<string>();
  private readonly relays = new Map<string, Relay>();
  private muteCount = 0;

  /**
   * @param redis the command connection
   * @param prefix key prefix of this session's streams (`…:e:<session>:`)
   * @param ttlMs lifetime of a stream key after its last event (the session's idle time)
   * @param unavailable wraps a Redis failure into the error the HTTP layer reports
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly unavailable: (err: unknown) => Error,
  ) {}

  /**
   * Stores an event. When Redis cannot be reached the event is still delivered live (the SDK
   * writes it after this returns), only not resumable: the id then replays from the start.
   */
  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    if (this.muted) return `${streamId}/0-${++this.muteCount}`;
    if (!this.local.has(streamId)) {
      this.local.add(streamId);
      // Bounded: the oldest streams were answered long ago (and expire in Redis by themselves).
      if (this.local.size > MAX_LOCAL_STREAMS) this.local.delete(this.local.values().next().value!);
    }
    const key = this.prefix + streamId;
    const ttl = streamId === STANDALONE ? this.ttlMs : Math.min(this.ttlMs, RESUME_WINDOW_MS);
    try {
      const results = (await this.redis.multi().xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'm', JSON.stringify(message)).pexpire(key, ttl).exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed || typeof results[0]?.[1] !== 'string') throw failed?.[0] ?? new Error('XADD gave no id');
      return `${streamId}/${results[0][1]}`;
    } catch {
      return `${streamId}/0-0`;
    }
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const parsed = parseEventId(eventId);
    if (!parsed || !/^\d+-\d+$/.test(parsed.position)) return undefined;
    try {
      return (await this.redis.exists(this.prefix + parsed.stream)) ? parsed.stream : undefined;
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: Send }): Promise<string> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) throw new Error(`malformed event id ${lastEventId}`);
    const { stream } = parsed;
    const { cursor, answered } = await this.deliver(stream, parsed.position, send);
    // Later events of a request answered elsewhere reach this client only through the relay.
    if (!answered && stream !== STANDALONE && !this.local.has(stream)) this.startRelay(stream, cursor, send);
    return stream;
  }

  relayOf(lastEventId: string): Relay | undefined {
    const stream = parseEventId(lastEventId)?.stream;
    return stream ? this.relays.get(stream) : undefined;
  }

  async drop(): Promise<void> {
    for (const relay of this.relays.values()) relay.stop();
    const keys = [...this.local].map((s) => this.prefix + s);
    this.local.clear();
    if (keys.length) await this.redis.del(...keys).catch(() => undefined);
  }

  /** Sends the events after `after`; says where it stopped and whether a response went out. */
  private async deliver(stream: string, after: string, send: Send): Promise<{ cursor: string; answered: boolean }> {
    let entries: Entry[];
    try {
      entries = (await this.redis.xrange(this.prefix + stream, `(${after}`, '+')) as Entry[];
    } catch (err) {
      throw this.unavailable(err);
    }
    let cursor = after;
    let answered = false;
    for (const [id, fields] of entries) {
      cursor = id;
      const message = JSON.parse(fields[1] ?? '{}') as JSONRPCMessage;
      if (Object.keys(message).length === 0) continue; // a priming event
      await send(`${stream}/${id}`, message);
      if (isResponse(message)) answered = true;
    }
    return { cursor, answered };
  }

  private startRelay(stream: string, from: string, send: Send): void {
    this.relays.get(stream)?.stop();
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const deadline = Date.now() + this.ttlMs;
    const relay: Relay = {
      done,
      stop: () => {
        stopped = true;
        clearTimeout(timer);
        if (this.relays.get(stream) === relay) this.relays.delete(stream);
        finish();
      },
    };
    this.relays.set(stream, relay);
    let cursor = from;
    const poll = async (): Promise<void> => {
      if (stopped) return;
      try {
        const step = await this.deliver(stream, cursor, send);
        cursor = step.cursor;
        if (step.answered || Date.now() > deadline) return relay.stop();
      } catch {
        return relay.stop(); // Redis went away: end the stream, the client reconnects
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
  }
}
