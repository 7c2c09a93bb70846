/**
 * One upstream answer read whole from undici's dispatch events. `Dispatcher.request()` wraps
 * every answer in an async resource, a body stream and its listeners, and a promise per stage,
 * only for the executor to read the stream back into one buffer; this handler keeps the chunks
 * as they arrive and settles one promise. Same answer, same errors: a cap exceeded (declared or
 * counted) aborts the dispatch with the cap's error, an abort of `signal` aborts it with the
 * signal's reason, and a transport error is passed on as undici reports it.
 */
import type { Dispatcher } from 'undici';
import type { AbortLike } from './call-abort.js';
import type { InboundResponse } from './http.js';
import { parseHeaders } from './undici-parts.js';

/** What one dispatch reports back, besides its answer. */
export interface AnswerWatch {
  /** Turns true once the response headers are in (a retry after that is a retry mid-body). */
  answered: boolean;
}

/** Collects one answer for `dispatcher.dispatch`; `settled` resolves with it or rejects with the dispatch's error. */
export class AnswerCollector implements Dispatcher.DispatchHandler {
  readonly settled: Promise<InboundResponse>;
  private resolve!: (res: InboundResponse) => void;
  private reject!: (err: unknown) => void;
  private abortDispatch: ((reason: Error) => void) | undefined;
  private status = 0;
  private headers: InboundResponse['headers'] = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** The listener on `signal` while the dispatch runs (added on connect, removed when it settles). */
  private readonly onAbort = (): void => this.abortDispatch?.(this.signal.reason as Error);

  constructor(
    private readonly signal: AbortLike,
    private readonly max: number,
    private readonly tooLarge: (status: number) => Error,
    private readonly watch?: AnswerWatch,
  ) {
    this.settled = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  onConnect(abort: (reason?: Error) => void): void {
    // Aborted before the request went out: as `request()` does, the dispatch ends with the reason.
    if (this.signal.aborted) return abort(this.signal.reason as Error);
    // A retry (undici's retry interceptor) connects again: one listener still, aborting the latest attempt.
    if (!this.abortDispatch) this.signal.addEventListener('abort', this.onAbort);
    this.abortDispatch = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void): boolean {
    // 1xx informational answers are not the answer.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.headers = parseHeaders(rawHeaders);
    if (this.watch) this.watch.answered = true;
    const declared = Number(this.headers['content-length']);
    // Thrown: undici aborts the dispatch with it, and `onError` passes it on.
    if (Number.isFinite(declared) && declared > this.max) throw this.tooLarge(statusCode);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.max) throw this.tooLarge(this.status);
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.release();
    const chunks = this.chunks;
    // A body that came in one chunk is used as it is, without a copy.
    this.resolve({ status: this.status, headers: this.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size) });
  }

  onError(err: Error): void {
    this.release();
    this.reject(err);
  }

  private release(): void {
    if (this.abortDispatch) this.signal.removeEventListener('abort', this.onAbort);
    this.abortDispatch = undefined;
  }
}
