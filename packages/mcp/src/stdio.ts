/** stdio transport: one JSON-RPC message per line on stdin/stdout. Logs go to stderr only. */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpRegistry } from './registry.js';

/** A running stdio server. */
export interface StdioSession {
  /** Resolves when the session ends (stdin closed, or `close()`). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(registry: McpRegistry, options: { stdin?: Readable; stdout?: Writable } = {}): Promise<StdioSession> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const server = registry.createServer();
  const transport = new StdioServerTransport(stdin, stdout);
  let done!: () => void;
  const closed = new Promise<void>((resolve) => {
    done = resolve;
  });
  server.onclose = () => done();
  await server.connect(transport);
  const onEnd = (): void => {
    void server.close();
  };
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  return {
    closed,
    close: async () => {
      stdin.off('end', onEnd);
      stdin.off('close', onEnd);
      await server.close();
    },
  };
}
