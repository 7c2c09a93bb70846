/**
 * The body of a POST to the MCP routes, as text: what fastify's `parseAs: 'string'` parser gives,
 * with the same limit and Content-Length checks, in fewer stream turns. A JSON-RPC message is
 * small and usually arrives with its headers: by the time the turn that parsed them ends, the
 * whole body (Content-Length bytes) is buffered in the request stream and is read at once, without
 * switching the stream to flowing mode and waiting for its `data` and `end` events (each a
 * `process.nextTick` or more). Anything else (a body still arriving, no Content-Length) is read
 * as fastify reads it.
 */
import type { Readable } from 'node:stream';
import { errorCodes, type FastifyRequest } from 'fastify';

type Done = (err: Error | null, body?: string) => void;

/** Reads `payload` (the request's body stream) as UTF-8 text of at most `limit` bytes. */
export function readBody(req: FastifyRequest, payload: Readable, limit: number, done: Done): void {
  const header = req.headers['content-length'];
  const contentLength = header === undefined ? Number.NaN : Number(header);
  if (contentLength > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  queueMicrotask(() => {
    // The parser delivers no more than Content-Length bytes of body: all of it is here.
    if (contentLength > 0 && payload.readableLength === contentLength && !payload.readableFlowing && !payload.readableObjectMode) {
      const body = payload.read() as Buffer | null;
      if (body?.length === contentLength) return done(null, body.toString('utf8'));
      return readStream(payload, limit, contentLength, body ? [body] : [], done);
    }
    readStream(payload, limit, contentLength, [], done);
  });
}

/** Reads the rest of `payload` as fastify's `rawBody` does (`chunks`: what was read already). */
function readStream(payload: Readable, limit: number, contentLength: number, chunks: Buffer[], done: Done): void {
  let received = chunks.reduce((n, c) => n + c.length, 0);
  const stop = (): void => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += data.length;
    if (received > limit) {
      stop();
      return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    }
    chunks.push(data);
  }
  function onEnd(err?: Error & { statusCode?: number }): void {
    stop();
    if (err) {
      if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
      return done(err);
    }
    if (!Number.isNaN(contentLength) && received !== contentLength) return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    done(null, (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8'));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
