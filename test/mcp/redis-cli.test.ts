/**
 * `capstan run --redis` as a user starts it: the flag's usage errors, and a gateway whose Redis is
 * not there (nothing listens on the port): it starts, says so once on its log, answers requests
 * that need Redis with a clear 503 at once, and serves stateless requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { closedPort, startUpstream, type Upstream } from '../helpers/upstream.js';
import { fleetUpstream, FLEET_FILES, FLEET_YAML } from './fleet.js';

describe('capstan run --redis: usage errors', () => {
  it('refuses a URL that is not redis:// or rediss://, and --redis with --mcp-stateless', () => {
    const bad = runCli(['run', 'x.yaml', '--redis', 'http://127.0.0.1:6379']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--redis takes a redis:// or rediss:// URL');
    const both = runCli(['run', 'x.yaml', '--redis', 'redis://127.0.0.1:6379', '--mcp-stateless']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--mcp-stateless serves without sessions: give one of them');
  });
});

describe('capstan run --redis with Redis unreachable', () => {
  let upstream: Upstream;
  let run: CapstanRun;
  let url: string;
  let redisUrl: string;

  beforeAll(async () => {
    upstream = await startUpstream(fleetUpstream);
    redisUrl = `redis://:s3cret-pw@127.0.0.1:${await closedPort()}`;
    const dir = tempSpecDir({ 'cap.yaml': FLEET_YAML, ...FLEET_FILES });
    run = await spawnCapstanRun([`${dir}/cap.yaml`, '--host', '127.0.0.1', '--port', 'fleet-tools=0', '--upstream', `registry=${upstream.url}`, '--redis', redisUrl], { waitFor: ['fleet-tools'] });
    url = run.mcp['fleet-tools']!.replace('localhost', '127.0.0.1');
  });

  afterAll(async () => {
    expect((await run?.stop())?.code).toBe(0);
    await upstream?.close();
  });

  it('answers initialize with 503 naming the store (never its password) within seconds, and serves a stateless call', async () => {
    const started = Date.now();
    const open = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(open.status).toBe(503);
    const text = await open.text();
    expect(text).toContain(`the MCP session store (Redis at ${redisUrl.replace(':s3cret-pw@', '')}) is unreachable`);
    expect(text).not.toContain('s3cret-pw');

    const call = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get-ship', arguments: { imo: 'IMO-9321483' } } }) });
    expect(call.status).toBe(200);
    expect(await call.json()).toMatchObject({ id: 2, result: { structuredContent: { name: 'Northern Star' } } });
    const logs = run.stdout() + run.stderr();
    expect(logs).toContain('is unreachable');
    expect(logs).not.toContain('s3cret-pw');
  });
});
