/** Client side of the HTTP tests: raw requests, JSON requests, problem+json checks, and port probes. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { expect } from 'vitest';
import { sleep } from './wait.js';

/** A raw answer. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The body as sent. */
  bytes: Buffer;
  /** Milliseconds from sending to the end of the answer. */
  ms: number;
}

/**
 * Sends a request exactly as written (no URL normalisation, unlike fetch, which resolves `%2e%2e`
 * and the like) with node:http, one connection per request; fails after `timeoutMs` (default 15 s).
 */
export function raw(base: string, method: string, path: string, options: { headers?: Record<string, string | string[]>; body?: string | Buffer; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: { connection: 'close', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes, ms: Date.now() - started });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request over fetch; a `body` that is not a string is sent as JSON (with its content type). */
export function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}

/** The title of each problem status. */
export const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Content Too Large',
  414: 'URI Too Long', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway', 504: 'Gateway Timeout',
};

/** A problem+json body (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId?: string;
  errors?: Array<{ name: string; in?: string; message: string }>;
  upstream?: { namespace: string; operation: string; status?: number };
}

/**
 * Checks an RFC 9457 answer: status, media type, `type` slug, title, status member, a detail,
 * and a requestId equal to the `x-request-id` header (unless `noRequestId`).
 */
export function checkProblem(status: number, headers: Headers | IncomingHttpHeaders, text: string, expected: { status: number; slug: string; noRequestId?: boolean }): Problem {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : ((headers[name] as string | undefined) ?? null));
  expect(status, text).toBe(expected.status);
  expect(get('content-type')).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(text) as Problem;
  expect(body.type).toBe(`https://capstan.dev/problems/${expected.slug}`);
  expect(body.title).toBe(TITLES[expected.status]);
  expect(body.status).toBe(expected.status);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  if (!expected.noRequestId) {
    expect(body.requestId).toMatch(/\S/);
    expect(get('x-request-id')).toBe(body.requestId);
  }
  return body;
}

/** `checkProblem` for a fetch Response. */
export async function expectProblem(res: Response, status: number, slug: string): Promise<Problem> {
  return checkProblem(res.status, res.headers, await res.text(), { status, slug });
}

/** Parses a problem+json answer, failing with the raw text when it is not one. */
export function problemOf(answer: RawAnswer): Problem {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${answer.status} ${type}: ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as Problem;
}

/** Resolves true when a TCP connection to 127.0.0.1:port is refused, false when it is accepted. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Polls until connections to the port are refused (true) or `ms` pass (false). */
export async function waitRefused(port: number, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await refused(port)) return true;
    await sleep(25);
  }
  return false;
}

/** The port of a base URL. */
export const portOf = (url: string) => Number(new URL(url).port);
