/** stdio transport: one JSON-RPC message per line on stdin/stdout. Logs go to stderr only. */
import type { Readable, Writable } from 'node:stream';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

/** A running stdio server. */
export interface StdioSession {
  /** Resolves when the session ends (stdin closed, or `close()`). */
  readonly closed: Promise<void>;
  /** The SDK server answering on the pipe (told when the tool list changes). */
  readonly server: Server;
  close(): Promise<void>;
}

export async function serveStdio(createServer: () => Server, options: { stdin?: Readable; stdout?: Writable } = {}): Promise<StdioSession> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  // Loaded for stdio adapters only.
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = createServer();
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
    server,
    close: async () => {
      stdin.off('end', onEnd);
      stdin.off('close', onEnd);
      await server.close();
    },
  };
}
