/**
 * What replicas share so that any of them answers any request of an MCP session: the session
 * record (enough to re-create the session's SDK transport and server), the events of its streams
 * (for `Last-Event-ID` resumption), and a bus (list changes, ended sessions, relayed legacy SSE
 * messages). The Redis implementation is in `redis-sharing.ts`; without it, sessions live in one
 * process (the default) and events in `memory-events.ts`.
 */
import type { EventStore } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type ClientCapabilities, type Implementation, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** What `initialize` negotiated: a replica that did not see it replays it from this (see `rehydrate.ts`). */
export interface SessionRecord {
  /** The protocol version the server answered with. */
  protocolVersion: string;
  capabilities: ClientCapabilities;
  clientInfo: Implementation;
  /** The session answers POSTs with JSON (its client did not accept SSE at `initialize`). */
  json: boolean;
}

/** One session's event store (the SDK interface), with what a replica needs beyond it. */
export interface SessionEventStore extends EventStore {
  /** While muted, events are not stored (the replayed `initialize` of a re-created session). */
  muted: boolean;
  /**
   * After a resumption to this replica of a stream another replica is answering: resolves once
   * the stream's last response has been relayed (the HTTP response can end), `undefined` when
   * nothing is relayed. `stop` ends the relay (the client went away).
   */
  relayOf(lastEventId: string): { done: Promise<void>; stop: () => void } | undefined;
  /** Forgets the session's events (it ended). */
  drop(): Promise<void>;
  /** `storeEvent` for the first event of a stream its caller just created (no stream has its id yet), when the store can do it cheaper. */
  openStream?(streamId: string, message: JSONRPCMessage): Promise<string>;
}

/** Messages between replicas of one adapter. */
export type BusMessage =
  | { kind: 'changed'; origin: string; tools: boolean; resources: boolean; prompts: boolean }
  | { kind: 'closed'; origin: string; session: string }
  | { kind: 'sse'; origin: string; session: string; message: JSONRPCMessage; authInfo?: unknown };

/** The state replicas share (Redis). All methods reject with a `SharingUnavailable` when the store cannot be reached. */
export interface SessionSharing {
  /** This replica's id (bus messages carry it, so a replica skips its own). */
  readonly replica: string;
  /** Where the state lives, for messages (no credentials). */
  readonly where: string;
  save(id: string, record: SessionRecord): Promise<void>;
  load(id: string): Promise<SessionRecord | undefined>;
  /** Extends the session's lifetime; failures are ignored (the next request tries again). */
  touch(id: string): void;
  remove(id: string): Promise<void>;
  events(sessionId: string): SessionEventStore;
  /** Records that a legacy SSE session is open on this replica (others relay its POSTs here). */
  saveSse(id: string): Promise<void>;
  hasSse(id: string): Promise<boolean>;
  removeSse(id: string): Promise<void>;
  publish(message: BusMessage): Promise<void>;
  /** Called with every bus message from other replicas. */
  onMessage(handler: (message: BusMessage) => void): void;
  close(): Promise<void>;
}

/** The shared store cannot be reached (Redis down): requests that need it get 503 with this message. */
export class SharingUnavailable extends Error {}

/** The record of a session from its `initialize` request (the version the SDK server will answer with). */
export function recordOf(initialize: { params: { protocolVersion: string; capabilities: ClientCapabilities; clientInfo: Implementation } }, json: boolean): SessionRecord {
  const requested = initialize.params.protocolVersion;
  return {
    protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
    capabilities: initialize.params.capabilities,
    clientInfo: initialize.params.clientInfo,
    json,
  };
}

/** The SDK's name for a session's server-to-client (GET) stream. */
export const STANDALONE_STREAM = '_GET_stream';

/** The stream id and the store's own position in an event id (`<stream>/<position>`); undefined when malformed. */
export function parseEventId(eventId: string): { stream: string; position: string } | undefined {
  const slash = eventId.lastIndexOf('/');
  if (slash <= 0 || slash === eventId.length - 1) return undefined;
  return { stream: eventId.slice(0, slash), position: eventId.slice(slash + 1) };
}

/** A JSON-RPC response (result or error): the last event of a request's stream. */
export function isResponse(message: JSONRPCMessage): boolean {
  return 'id' in message && ('result' in message || 'error' in message);
}
