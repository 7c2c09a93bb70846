/**
 * Binary passthrough (beta5 `outputRawFormat: binary`), as the reference engine does it: the
 * answer's bytes are read whole under a size cap and handed on untouched, never decoded or
 * mapped. The cap is the operation's `maxBinarySize`, else the adapter's, else 10 MiB; an answer
 * over it is refused (a declared `Content-Length` before reading). The media type is the
 * operation's `outputMediaType`, else the upstream `Content-Type`, else `application/octet-stream`.
 */
import type { ConsumedOperation } from '@capstan/spec';
import { UpstreamError } from './errors.js';
import type { InboundResponse, OutboundRequest } from './http.js';

/** The engine's default cap on a binary answer. */
export const DEFAULT_MAX_BINARY_BYTES = 10 * 1024 * 1024;

/** What marks a raw result as binary passthrough. */
export interface BinaryMark {
  /** The consumed operation's own `outputMediaType`, which wins over any type an adapter declares. */
  declaredMediaType?: string;
}

export const isBinaryOperation = (op: ConsumedOperation): boolean => op.outputRawFormat === 'binary';

/** The request with the binary cap of `op` (the adapter's cap when the operation has none). */
export function withBinaryCap(request: OutboundRequest, op: ConsumedOperation, adapterCap: number | undefined): OutboundRequest {
  return { ...request, maxBytes: op.maxBinaryBytes ?? adapterCap ?? DEFAULT_MAX_BINARY_BYTES };
}

/** Rewords the size-cap error of a binary call so it names `maxBinarySize`. */
export function binaryCapError(err: unknown, cap: number | undefined): unknown {
  if (!(err instanceof UpstreamError) || err.kind !== 'too-large' || cap === undefined) return err;
  return new UpstreamError('too-large', err.namespace, err.operation, `the binary answer of ${err.namespace}.${err.operation} is larger than its maxBinarySize (${cap} bytes)`, err.status);
}

/** A raw result marked as binary passthrough, with the answer's media type. */
export function asBinary<R extends { contentType?: string; binary?: BinaryMark }>(raw: R, op: ConsumedOperation, headers: InboundResponse['headers']): R {
  return { ...raw, contentType: binaryMediaType(op, headers), binary: op.outputMediaType ? { declaredMediaType: op.outputMediaType } : {} };
}

/** The media type of a binary answer: declared, else the upstream's, else `application/octet-stream`. */
function binaryMediaType(op: ConsumedOperation, headers: InboundResponse['headers']): string {
  if (op.outputMediaType) return op.outputMediaType;
  const upstream = headers['content-type'];
  const value = Array.isArray(upstream) ? upstream[0] : upstream;
  return value?.trim() || 'application/octet-stream';
}
