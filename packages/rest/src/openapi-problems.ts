/**
 * The error answers every REST operation can give, for the OpenAPI document: RFC 9457 problem
 * details for Capstan's own errors (bad input, inbound auth, unknown route, unreachable or slow
 * upstream), shared as components and referenced from each operation.
 */
import { PROBLEM_TYPE } from '@capstan/runtime';

type Json = Record<string, unknown>;

/** The Problem schema (problem.ts's `Problem`). */
export const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'detail'],
  additionalProperties: true,
  properties: {
    type: { type: 'string', format: 'uri', description: 'Stable URI naming the kind of problem.' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong, for a human.' },
    instance: { type: 'string' },
    requestId: { type: 'string', description: 'The request id (also in the `x-request-id` header).' },
    errors: {
      type: 'array',
      description: 'Each missing or invalid input.',
      items: { type: 'object', required: ['name', 'message'], additionalProperties: true, properties: { name: { type: 'string' }, in: { type: 'string' }, message: { type: 'string' } } },
    },
    upstream: {
      type: 'object',
      description: 'The upstream operation that failed.',
      required: ['namespace', 'operation'],
      additionalProperties: true,
      properties: { namespace: { type: 'string' }, operation: { type: 'string' }, status: { type: 'integer' } },
    },
  },
};

/** Status → response component name and description. */
const ERRORS: ReadonlyArray<[status: string, name: string, description: string]> = [
  ['400', 'BadRequest', 'A required input is missing or an input is invalid (every problem is listed in `errors`).'],
  ['401', 'Unauthorized', 'Credentials are missing or wrong. An upstream 401 is passed through with its own body.'],
  ['404', 'NotFound', 'No such route. An upstream 404 is passed through with its own body.'],
  ['502', 'BadGateway', 'The upstream could not be reached or gave an unusable answer.'],
  ['504', 'GatewayTimeout', 'The upstream did not answer in time.'],
];

/** `components.responses` and `components.schemas` entries for the error answers. */
export function problemComponents(): { responses: Json; schemas: Json } {
  const content = { [PROBLEM_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
  return {
    responses: Object.fromEntries(ERRORS.map(([, name, description]) => [name, { description, content }])),
    schemas: { Problem: PROBLEM_SCHEMA },
  };
}

/** The error responses of one operation, by status, as references. */
export function problemResponses(): Json {
  return Object.fromEntries(ERRORS.map(([status, name]) => [status, { $ref: `#/components/responses/${name}` }]));
}
