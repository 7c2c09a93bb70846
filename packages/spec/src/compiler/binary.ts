/**
 * Binary content (Ikanos 1.0.0-beta5): the keys that say how raw bytes are passed through.
 * - a consumed operation with `outputRawFormat: binary` may declare `outputMediaType` (the type
 *   the bytes are advertised with) and `maxBinarySize` (the largest answer read);
 * - REST and MCP adapters may declare `maxBinarySize` for their operations that do not;
 * - a REST operation may name the media type of its binary answer (`responseBinary.mediaType`,
 *   or a 2xx `responses` entry whose media type has `binary: true`).
 * A size is a number with an optional unit `B`, `KiB`, `MiB` or `GiB`, as the engine reads it.
 */
import { child, type At, type CompileContext } from './context.js';

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?)(B|KiB|MiB|GiB)?$/;

/** Bytes for a size such as `512KiB` or `5MiB`; undefined when it is not one. */
export function parseBinarySize(value: unknown): number | undefined {
  const m = typeof value === 'string' ? SIZE.exec(value.trim()) : typeof value === 'number' ? SIZE.exec(String(value)) : null;
  return m ? Math.floor(Number(m[1]) * UNITS[m[2] ?? 'B']!) : undefined;
}

/** `{ maxBinaryBytes }` from a holder's `maxBinarySize`; a size that cannot be read is an error at the key. */
export function maxBinarySize(ctx: CompileContext, holder: object, where: At): { maxBinaryBytes?: number } {
  const value = (holder as { maxBinarySize?: unknown }).maxBinarySize;
  if (value === undefined) return {};
  const bytes = parseBinarySize(value);
  if (bytes === undefined) {
    ctx.report('error', child(where, 'maxBinarySize'), 'value', 'bad-binary-size', `\`maxBinarySize\` must be a size such as \`512KiB\`, \`5MiB\` or \`1GiB\`, not \`${String(value)}\``, {
      expected: 'a number with a unit `B`, `KiB`, `MiB` or `GiB`',
    });
    return {};
  }
  return { maxBinaryBytes: bytes };
}

/** `outputMediaType` and `maxBinarySize` of a consumed operation. */
export function consumedBinary(ctx: CompileContext, op: object, where: At): { outputMediaType?: string; maxBinaryBytes?: number } {
  const { outputMediaType } = op as { outputMediaType?: unknown };
  return {
    ...(typeof outputMediaType === 'string' && outputMediaType.trim() ? { outputMediaType: outputMediaType.trim() } : {}),
    ...maxBinarySize(ctx, op, where),
  };
}

/** The media type a REST operation declares for its binary answer, if any. */
export function restBinaryMediaType(op: object): { binaryMediaType?: string } {
  const { responseBinary, responses } = op as { responseBinary?: { mediaType?: unknown }; responses?: Record<string, { content?: Record<string, { binary?: unknown }> }> };
  if (typeof responseBinary?.mediaType === 'string') return { binaryMediaType: responseBinary.mediaType };
  if (!responses || typeof responses !== 'object') return {};
  for (const [status, response] of Object.entries(responses)) {
    if (!status.startsWith('2') || !response || typeof response !== 'object') continue;
    const found = Object.entries(response.content ?? {}).find(([, media]) => media?.binary === true);
    if (found) return { binaryMediaType: found[0] };
  }
  return {};
}
