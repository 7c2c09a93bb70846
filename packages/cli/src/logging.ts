/**
 * The gateway's logger: pino JSON lines on stdout (stderr when a stdio MCP adapter owns stdout).
 * A reader that goes away (EPIPE) must never stall or stop the gateway: the logger goes silent
 * and requests keep being answered.
 */
import pino, { type Logger } from 'pino';

export function createGatewayLogger(level: string, toStderr: boolean): Logger {
  const destination = pino.destination({ dest: toStderr ? 2 : 1, sync: false });
  const logger = pino({ level, base: undefined }, destination);
  destination.on('error', (err: NodeJS.ErrnoException) => {
    // Nothing more can be written there; keep serving without logs.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') logger.level = 'silent';
  });
  return logger;
}

/** Keeps a closed stdout or stderr from ending the process with an unhandled `error` event. */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}
