/**
 * Writes the transport's web `Response` (JSON or an SSE stream) to the node response behind a
 * fastify reply. A POST's answer that is complete at once (a JSON answer, or an SSE stream whose
 * events are all there when its first one is) goes out as one write with a `content-length`;
 * every other stream is forwarded chunk by chunk as it comes.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Resolves when the client closes the connection before the response is complete. */
function clientGone(res: ServerResponse): Promise<'gone'> {
  return new Promise((resolve) => res.once('close', () => resolve('gone')));
}

/** Resolves after the current turn of the event loop (every microtask queued so far has run). */
const LATER = Symbol('later');
function afterThisTurn(): Promise<typeof LATER> {
  return new Promise((resolve) => setImmediate(resolve, LATER));
}

/** The headers of the answer: those set on the reply so far (request id, rate limit), `extra`, then the transport's. */
function headersOf(reply: FastifyReply, response: Response, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  // Hooks may set numbers (the rate limit's `RateLimit-*` headers).
  for (const [key, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
  Object.assign(headers, extra);
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return headers;
}

/** Ends `res` with `body` in one write. */
function endWhole(res: ServerResponse, status: number, headers: Record<string, string>, body: Uint8Array): void {
  headers['content-length'] = String(body.byteLength);
  res.writeHead(status, headers);
  res.end(body);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Waits for the transport's answer (or the client leaving), then writes it. The reply is
 * hijacked so an SSE stream's headers go out at once; fastify's `onResponse` (log line,
 * metrics) still runs when the answer ends, and the headers set on the reply so far (request id,
 * rate limit) are kept. A GET's stream sends its headers before its first event (the client
 * waits for them to know the stream is open); a POST's stream sends them with its first event.
 * Resolves `'gone'` when the client left before the answer was complete.
 */
export async function writeResponse(reply: FastifyReply, answer: Promise<Response>, extraHeaders: Record<string, string>): Promise<'gone' | void> {
  answer.catch(() => undefined); // a failure after the client left must not go unhandled
  const res = reply.raw;
  const gone = clientGone(res);
  const response = await Promise.race([answer, gone]);
  reply.hijack();
  if (response === 'gone') return 'gone';
  const headers = headersOf(reply, response, extraHeaders);
  // fastify keeps the status on the reply: the log line reads it from there.
  reply.code(response.status);
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    endWhole(res, response.status, headers, new Uint8Array(await response.arrayBuffer()));
    return;
  }
  const reader = response.body.getReader();
  let left = false;
  const cancel = (): void => {
    left = true;
    reader.cancel().catch(() => undefined);
  };
  res.on('close', cancel);
  try {
    const held: Uint8Array[] = [];
    let pending = reader.read();
    if (reply.request.method === 'POST') {
      // Collect what the stream has now; a stream that ends within this turn is written whole.
      for (;;) {
        const next = await Promise.race([pending, held.length ? afterThisTurn() : gone]);
        if (next === 'gone') return 'gone';
        if (next === LATER) break;
        if (next.done) return endWhole(res, response.status, headers, concat(held));
        held.push(next.value);
        pending = reader.read();
      }
    }
    res.writeHead(response.status, headers);
    if (held.length) res.write(concat(held));
    else res.flushHeaders();
    for (let next = await pending; !next.done; next = await reader.read()) {
      if (!res.writableEnded) res.write(next.value);
    }
  } catch {
    left = true; // the client went away
  } finally {
    res.off('close', cancel);
    if (!res.writableEnded) res.end();
  }
  return left ? 'gone' : undefined;
}
