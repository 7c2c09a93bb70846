/**
 * What an idle `capstan run` holds (bench/README.md, "Idle RSS of one capability"): Ajv and
 * fastify's schema compilers are loaded when something first needs them, not at start-up, and
 * the bundle's source text is one byte a character. Each lazily loaded part still works when used:
 * a rejected document is explained by Ajv, an MCP tool's arguments are checked, and a fastify
 * route with a `schema` is validated and serialised.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpServer } from '@capstan/http';
import { checkSpec } from '@capstan/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, UNBUNDLED_BIN } from '../helpers/cli.js';
import { moduleLog, type ModuleLog } from '../helpers/modules.js';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';

const PARAGON = fileURLToPath(new URL('../../specs/paragon-proxy.yaml', import.meta.url));
const BUNDLE = join(REPO_ROOT, 'packages/cli/dist/bundle');

/**
 * Ajv, its formats, and the fastify compilers built on it: fast-json-stringify's compiler loads
 * Ajv too (fastify's own error serialiser uses only its small runtime, `lib/serializer.js`).
 */
const AJV_PARTS = ['/ajv/', '/ajv-formats/', '/@fastify/ajv-compiler/', '/@fastify/fast-json-stringify-compiler/', '/fast-json-stringify/index.js'];
const ajvLoaded = (urls: string[]) => urls.filter((u) => AJV_PARTS.some((part) => u.includes(part)));

let run: CapstanRun;
let log: ModuleLog;

beforeAll(async () => {
  log = moduleLog();
  run = await spawnCapstanRun([PARAGON, '--port', 'paragon-rest=0', '--port', 'paragon-mcp=0', '--log-level', 'silent'], { waitFor: ['paragon-rest', 'paragon-mcp'], bin: UNBUNDLED_BIN, nodeArgs: log.nodeArgs, env: { ...process.env, ...log.env, PARAGON_TOKEN: 'idle-test-token' } });
});
afterAll(async () => run?.stop());

const mcpPost = (body: unknown, session?: string) =>
  fetch(run.mcp['paragon-mcp']!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } : {}) },
    body: JSON.stringify(body),
  });

describe('Ajv is loaded on first use', () => {
  it('not by start-up (a valid document), nor by REST requests', async () => {
    expect((await fetch(`${run.rest['paragon-rest']}/openapi.json`)).status).toBe(200);
    // The log does record CommonJS libraries: fastify's own files are there.
    expect(log.loaded().some((u) => u.includes('/fastify/lib/'))).toBe(true);
    expect(ajvLoaded(log.loaded())).toEqual([]);
  });

  it("an MCP tool call loads it, and its arguments are checked against the tool's input schema", async () => {
    const init = await mcpPost({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'idle-test', version: '1' } } });
    const session = init.headers.get('mcp-session-id')!;
    await init.text();
    // projectId, integrationType and apiPath are required: none given.
    const call = await mcpPost({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'proxygetrequest', arguments: {} } }, session);
    const text = await call.text();
    expect(text).toContain('"isError":true');
    expect(text).toMatch(/projectId/);
    expect(ajvLoaded(log.loaded()).some((u) => u.includes('/ajv/dist/'))).toBe(true);
  });
});

describe('lazily loaded Ajv still explains what it is asked to', () => {
  it('a document the precompiled check rejects gets its schema findings', () => {
    const file = tempSpec(readFileSync(PARAGON, 'utf8').replace(/^(\s*)naftiko: .*$/m, '$1naftiko: 1.0.0-alpha2\n$1bogusTopLevelKey: 1'));
    const text = checkSpec(file).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n');
    expect(text).toMatch(/bogusTopLevelKey/);
  });

  it('a fastify route with a schema is validated and its answer serialised by the schema', async () => {
    const app = createHttpServer();
    app.post('/things', {
      schema: {
        body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
    }, async (req) => ({ n: (req.body as { n: number }).n, secret: 'dropped by the response schema' }));
    await app.ready();
    const bad = await app.inject({ method: 'POST', url: '/things', payload: { n: 'x' } });
    expect(bad.statusCode).toBe(400);
    const good = await app.inject({ method: 'POST', url: '/things', payload: { n: 3 } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ n: 3 });
    await app.close();
  });
});

describe('the bundle', () => {
  it('is ASCII only, so V8 keeps each loaded chunk one byte a character', () => {
    const files = readdirSync(BUNDLE).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(10);
    const wide = files.filter((f) => /[^\x00-\x7f]/.test(readFileSync(join(BUNDLE, f), 'utf8')));
    expect(wide).toEqual([]);
  });
});
