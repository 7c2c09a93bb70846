// Types of mock-seeds.mjs, for the TypeScript tests that import it.
import type { IncomingHttpHeaders } from 'node:http';

/** A request as a seed mock records it. */
export interface SeedRequest {
  method: string;
  path: string;
  /** The query string, without `?`. */
  query: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, else the text, else undefined. */
  body?: any;
  /** The body exactly as received (UTF-8), when there was one. */
  text?: string;
}

/** A running mock vendor on 127.0.0.1. */
export interface SeedMock {
  url: string;
  port: number;
  requests: SeedRequest[];
  close(): Promise<void>;
}

export function startActionKitMock(options?: { port?: number }): Promise<SeedMock>;
export function startComposioMock(options?: { port?: number }): Promise<SeedMock>;
