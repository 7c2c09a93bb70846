/**
 * What an MCP caller is told when something fails, beside the runtime's error catalog (which
 * words executor failures): the JSON-RPC error the SDK sends, and one readable line per invalid
 * argument.
 */
import type { ErrorObject } from 'ajv';

/** An error the SDK sends as a JSON-RPC error with this code and message (no `MCP error` prefix). */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'RpcError';
  }
}

/** One readable line per Ajv error, naming the argument. */
export function argumentErrors(errors: ErrorObject[] | null | undefined): string[] {
  const out: string[] = [];
  for (const e of errors ?? []) {
    const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty?: string }).missingProperty ?? '?';
      out.push(`missing required argument \`${path ? `${path}.` : ''}${missing}\``);
    } else if (e.keyword === 'type') {
      const expected = (e.params as { type?: string | string[] }).type;
      out.push(`\`${path || '(arguments)'}\` must be ${Array.isArray(expected) ? expected.join(' or ') : String(expected)}`);
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      out.push(`\`${path || '(arguments)'}\` must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
    } else {
      out.push(`\`${path || '(arguments)'}\` ${e.message ?? 'is invalid'}`);
    }
  }
  return [...new Set(out)];
}

