/**
 * What an MCP caller is told when something fails: JSON-RPC errors, upstream failures named by
 * upstream (never a secret) and one readable line per invalid argument.
 */
import type { ErrorObject } from 'ajv';
import type { UpstreamErrorLike } from './types.js';

/** JSON-RPC error codes used here. */
export const ErrorCodes = { InvalidParams: -32602, InternalError: -32603, ResourceNotFound: -32002 } as const;

/** An error the SDK sends as a JSON-RPC error with this code and message (no `MCP error` prefix). */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'RpcError';
  }
}

const UPSTREAM_LABEL: Readonly<Record<UpstreamErrorLike['kind'], [label: string, phrase: string]>> = {
  timeout: ['timeout', 'did not answer in time'],
  unavailable: ['unavailable', 'could not be reached'],
  'too-large': ['answer too large', 'answered with a body over the size limit'],
  'bad-format': ['unreadable answer', 'answered with content that could not be read'],
  redirect: ['redirect', 'answered with a redirect, which is not followed'],
  'bad-request-target': ['request refused', 'was not called: the request would leave the declared upstream'],
  'circuit-open': ['circuit open', 'was not called: its circuit breaker is open after repeated failures'],
  'rate-limited': ['rate limited', 'was not called: the outbound rate limit is reached'],
};

/**
 * Describes an upstream failure, naming the upstream and never a secret:
 * `Upstream timeout: registry.slow did not answer in time (…)`.
 */
export function upstreamMessage(err: UpstreamErrorLike, redact: (s: string) => string): string {
  const id = `${err.namespace}.${err.operation}`;
  const [label, phrase] = UPSTREAM_LABEL[err.kind];
  const detail = redact(err.message ?? '').trim();
  const text = detail.includes(id) ? detail : `${id} ${phrase}${detail ? ` (${detail})` : ''}`;
  return `Upstream ${label}: ${text}`;
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
    } else {
      out.push(`\`${path || '(arguments)'}\` ${e.message ?? 'is invalid'}`);
    }
  }
  return [...new Set(out)];
}

