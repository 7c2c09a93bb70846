/** Writes the transport's web `Response` (JSON or an SSE stream) to the node response behind a fastify reply. */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Resolves when the client closes the connection before the response is complete. */
function clientGone(res: ServerResponse): Promise<'gone'> {
  return new Promise((resolve) => res.once('close', () => resolve('gone')));
}

/**
 * Waits for the transport's answer (or the client leaving), then streams it. The reply is
 * hijacked so an SSE stream's headers go out at once; fastify's `onResponse` (log line,
 * metrics) still runs when the answer ends, and the headers set on the reply so far (request id,
 * rate limit) are kept.
 */
export async function writeResponse(reply: FastifyReply, answer: Promise<Response>, extraHeaders: Record<string, string>): Promise<void> {
  answer.catch(() => undefined); // a failure after the client left must not go unhandled
  const res = reply.raw;
  const response = await Promise.race([answer, clientGone(res)]);
  reply.hijack();
  if (response === 'gone') return;
  const headers: Record<string, string> = {};
  // Hooks may set numbers (the rate limit's `RateLimit-*` headers).
  for (const [key, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
  Object.assign(headers, extraHeaders);
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  // fastify keeps the status on the reply: the log line reads it from there.
  reply.code(response.status);
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  res.on('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.writableEnded) res.write(value);
    }
  } catch {
    // the client went away
  } finally {
    res.off('close', cancel);
    if (!res.writableEnded) res.end();
  }
}
