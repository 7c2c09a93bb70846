/**
 * A gateway starts and idles without the MCP SDK (and zod, which it loads): the SDK is loaded by an
 * MCP adapter's first request, which it then answers as always. Modules are observed with a
 * resolution hook in the unbundled CLI (one file per module); the bundle runs the same code.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNBUNDLED_BIN } from '../helpers/cli.js';
import { moduleLog, type ModuleLog } from '../helpers/modules.js';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';

/** The published Paragon capability: one REST and one MCP adapter. */
const PARAGON = fileURLToPath(new URL('../../specs/paragon-proxy.yaml', import.meta.url));

const sdkLoaded = (urls: string[]) => urls.filter((u) => u.includes('/@modelcontextprotocol/sdk/') || u.includes('/zod/'));

let run: CapstanRun;
let log: ModuleLog;

beforeAll(async () => {
  log = moduleLog();
  run = await spawnCapstanRun([PARAGON, '--port', 'paragon-rest=0', '--port', 'paragon-mcp=0', '--log-level', 'silent'], { waitFor: ['paragon-rest', 'paragon-mcp'], bin: UNBUNDLED_BIN, nodeArgs: log.nodeArgs, env: { ...process.env, ...log.env, PARAGON_TOKEN: 'lazy-test-token' } });
});
afterAll(async () => run?.stop());

describe('the MCP SDK is loaded by the first MCP request', () => {
  it('not at start-up, nor by REST requests', async () => {
    expect((await fetch(`${run.rest['paragon-rest']}/openapi.json`)).status).toBe(200);
    expect(log.loaded().some((u) => u.includes('/packages/mcp/dist/'))).toBe(true);
    expect(sdkLoaded(log.loaded())).toEqual([]);
  });

  it('the first MCP request loads it and is answered as usual', async () => {
    const res = await fetch(run.mcp['paragon-mcp']!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'lazy-test', version: '1' } } }),
    });
    expect(res.status).toBe(200);
    const session = res.headers.get('mcp-session-id');
    expect(session).toBeTruthy();
    expect(await res.text()).toContain('"serverInfo":{"name":"paragon-mcp"');
    expect(sdkLoaded(log.loaded()).some((u) => u.includes('/@modelcontextprotocol/sdk/dist/esm/server/index.js'))).toBe(true);
    const list = await fetch(run.mcp['paragon-mcp']!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session!, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('"name":"proxygetrequest"');
  });
});
