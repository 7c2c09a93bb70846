/**
 * The Streamable HTTP sessions a replica holds: each one's SDK transport, server and event store.
 * With shared sessions (`SessionSharing`), a session opened on another replica is re-created
 * here on its first request (`rehydrate.ts`), a DELETE ends it on every replica, and list
 * changes announced by any replica reach the sessions whose stream this replica holds.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { WebStandardStreamableHTTPServerTransport, WebStandardStreamableHTTPServerTransportOptions } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastCalls, FastStreams } from './fast-path.js';
import { InFlight } from '@capstan/http';
import { MemoryEventStore } from './memory-events.js';
import { replayInitialize } from './rehydrate.js';
import type { BusMessage, SessionEventStore, SessionSharing } from './session-sharing.js';
import type { Logger } from './types.js';

/** One session held by this replica. */
export interface Session {
  id: string;
  transport: WebStandardStreamableHTTPServerTransport;
  events: SessionEventStore;
  /** The SDK server connected to the transport (told when the lists change). */
  server: Server;
  /** The session answers POSTs with JSON (its client did not accept SSE at `initialize`). */
  json: boolean;
  lastSeen: number;
  /** HTTP requests of this session still being answered (an open GET stream counts). */
  open: number;
  /** Open server-to-client (GET) streams: with shared sessions, the replica holding one sends the session's notifications. */
  streams: number;
  /** Requests being answered on the fast path (not by the session's server): cancelled when the session ends. */
  fastCalls: FastCalls;
  /** Primed SSE answers of the fast path still running, by stream id (a GET with `Last-Event-ID` resumes them). */
  fastStreams: FastStreams;
}

/** Which lists a reload changed. */
export interface ListChanges {
  tools: boolean;
  resources: boolean;
  prompts: boolean;
}

/** Sends `server`'s client the list-changed notifications of `changes`. */
export async function tellListsChanged(server: Server, changes: ListChanges): Promise<void> {
  if (changes.tools) await server.sendToolListChanged();
  if (changes.resources) await server.sendResourceListChanged();
  if (changes.prompts) await server.sendPromptListChanged();
}

/** What the table needs from the HTTP front. */
export interface SessionTableDeps {
  acquireServer: () => Server;
  releaseServer: (server: Server) => void;
  newTransport: (options: WebStandardStreamableHTTPServerTransportOptions) => WebStandardStreamableHTTPServerTransport;
  sharing: SessionSharing | undefined;
  log: Logger;
  namespace: string;
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  /** Sessions being re-created from the shared store (concurrent requests wait for the same one). */
  private readonly adopting = new Map<string, Promise<Session | undefined>>();

  constructor(private readonly deps: SessionTableDeps) {
    deps.sharing?.onMessage((m) => void this.onBus(m));
  }

  get size(): number {
    return this.sessions.size;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** The session `id` if this replica holds it. */
  held(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /**
   * A session's transport and server, registered once the transport sees `initialize` (the
   * client's, or the replayed one of a re-created session). A DELETE ends it on every replica.
   */
  async create(id: string, json: boolean): Promise<Session> {
    const { sharing } = this.deps;
    const server = this.deps.acquireServer();
    const events = sharing?.events(id) ?? new MemoryEventStore();
    const transport = this.deps.newTransport({
      sessionIdGenerator: () => id,
      enableJsonResponse: json,
      eventStore: events,
      onsessioninitialized: () => void this.sessions.set(id, session),
      onsessionclosed: async () => {
        await events.drop();
        if (!sharing) return;
        await sharing.remove(id).catch(() => undefined);
        await sharing.publish({ kind: 'closed', origin: sharing.replica, session: id }).catch(() => undefined);
      },
    });
    const session: Session = { id, transport, events, server, json, lastSeen: Date.now(), open: 0, streams: 0, fastCalls: new InFlight(), fastStreams: new InFlight() };
    transport.onclose = () => {
      if (this.sessions.get(id) === session) this.sessions.delete(id);
      for (const call of session.fastCalls.takeAll()) call.cancel('the session ended');
      queueMicrotask(() => this.deps.releaseServer(server));
    };
    await server.connect(transport);
    return session;
  }

  /** The session `id`, held here or re-created from the shared store; rejects with `SharingUnavailable` when the store is down. */
  async find(id: string): Promise<Session | undefined> {
    const local = this.sessions.get(id);
    if (local || !this.deps.sharing) return local;
    let pending = this.adopting.get(id);
    if (!pending) {
      pending = this.adopt(id, this.deps.sharing).finally(() => this.adopting.delete(id));
      this.adopting.set(id, pending);
    }
    return pending;
  }

  private async adopt(id: string, sharing: SessionSharing): Promise<Session | undefined> {
    const record = await sharing.load(id);
    if (!record) return undefined;
    const session = await this.create(id, record.json);
    try {
      await replayInitialize(session.transport, session.events, record, id);
    } catch (err) {
      this.deps.log('warn', `mcp ${this.deps.namespace}: ${(err as Error).message}`);
      await session.transport.close();
      return undefined;
    }
    return session;
  }

  /** After a reload here: other replicas are told, and this replica's sessions. */
  async changed(changes: ListChanges): Promise<void> {
    const { sharing } = this.deps;
    if (sharing && (changes.tools || changes.resources || changes.prompts)) {
      await sharing.publish({ kind: 'changed', origin: sharing.replica, ...changes }).catch((err: Error) => this.deps.log('warn', `mcp ${this.deps.namespace}: list change not sent to other replicas: ${err.message}`));
    }
    await this.notify(changes);
  }

  /**
   * Tells sessions their lists changed. With shared sessions only those whose server-to-client
   * stream this replica holds: every replica is told, and one notice per session is enough.
   */
  private async notify(changes: ListChanges): Promise<void> {
    const shared = this.deps.sharing !== undefined;
    await Promise.allSettled(
      [...this.sessions.values()].filter((s) => !shared || s.streams > 0).map((s) => tellListsChanged(s.server, changes)),
    );
  }

  private async onBus(message: BusMessage): Promise<void> {
    if (message.kind === 'changed') await this.notify(message);
    if (message.kind === 'closed') await this.sessions.get(message.session)?.transport.close();
  }

  /** Closes sessions idle here for longer than `idleMs` (a shared record lives on until its TTL). */
  sweep(idleMs: number): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (session.open === 0 && now - session.lastSeen > idleMs) void session.transport.close();
    }
  }

  /** Closes every session held here (shared records stay: other replicas go on serving them). */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close()));
    this.sessions.clear();
  }
}
