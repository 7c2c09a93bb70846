/**
 * Binary answers (beta5 `outputRawFormat: binary`) as MCP content, as the reference engine gives
 * them: a tool answers an image block for `image/*`, an audio block for `audio/*`, and otherwise
 * an embedded blob resource under a transient URI that names no readable resource; a resource
 * read answers a blob (base64) whatever the media type.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ExecResult } from './types.js';

/** A raw result that passes binary bytes through. */
export type BinaryResult = Extract<ExecResult, { kind: 'raw' }> & { binary: object };

/** True for a successful binary passthrough answer. */
export const isBinaryResult = (result: ExecResult): result is BinaryResult => result.kind === 'raw' && result.binary !== undefined && result.status < 400;

/** The tool content block for binary bytes. */
export function binaryToolContent(result: BinaryResult, adapter: string, tool: string): CallToolResult['content'][number] {
  const mimeType = result.contentType ?? 'application/octet-stream';
  const data = result.body.toString('base64');
  const type = mimeType.toLowerCase();
  if (type.startsWith('image/')) return { type: 'image', data, mimeType };
  if (type.startsWith('audio/')) return { type: 'audio', data, mimeType };
  return { type: 'resource', resource: { uri: `capstan://transient/${encodeURIComponent(adapter)}/${encodeURIComponent(tool)}/${randomUUID()}`, mimeType, blob: data } };
}
