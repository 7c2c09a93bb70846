/**
 * One HTTP layer: every adapter's requests produce one JSON log line on stdout with the request
 * id, adapter, route or tool and status, and stdout carries nothing but JSON lines. The caller's
 * `x-request-id` reaches the upstream from REST and from MCP alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { FLEET_NAMESPACES, fleetYaml } from './fixture.js';

let upstream: Upstream;
let run: CapstanRun;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => json(res, 200, { url: req.url, ships: [] }));
  run = await startCapstan([tempSpec(fleetYaml({ skill: true }))], { namespaces: [...FLEET_NAMESPACES, 'catalog'], upstream: upstream.url, logLevel: 'info' });
});

afterAll(async () => {
  await run?.stop('SIGKILL');
  await upstream?.close();
});

const url = (ns: string) => run.adapters.find((a) => a.namespace === ns)!.url;

interface LogLine {
  msg?: string;
  reqId?: string;
  method?: string;
  kind?: string;
  adapter?: string;
  operation?: string;
  tool?: string;
  rpc?: string;
  status?: number;
  ms?: number;
}

describe('request log lines and request ids', () => {
  it('REST, MCP, skill and control requests each log one JSON line; MCP passes the caller x-request-id upstream', async () => {
    const rest = await fetch(`${url('api')}/ships`, { headers: { 'x-request-id': 'rid-rest-1' } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-request-id')).toBe('rid-rest-1');
    const mcp = await fetch(url('tools'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-request-id': 'rid-mcp-1' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }),
    });
    expect(mcp.status).toBe(200);
    expect(mcp.headers.get('x-request-id')).toBe('rid-mcp-1');
    expect(await mcp.text()).toContain('ships');
    const skills = await fetch(`${url('catalog')}/skills`, { headers: { 'x-request-id': 'rid-skill-1' } });
    expect(skills.status).toBe(200);
    expect(skills.headers.get('x-request-id')).toBe('rid-skill-1');
    const live = await fetch(`${url('control')}/health/live`, { headers: { 'x-request-id': 'rid-control-1' } });
    expect(live.status).toBe(200);
    // An MCP call without an id gets one from the HTTP layer, and the upstream sees that one.
    const anonymous = await fetch(url('tools'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }),
    });
    const generated = anonymous.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    expect(upstream.seen.map((s) => s.headers['x-request-id'])).toEqual(['rid-rest-1', 'rid-mcp-1', generated]);

    await run.stop('SIGTERM');
    const lines = run.stdout().split('\n').filter((l) => l !== '');
    // Every stdout line is JSON (the adapter lines went to stderr).
    const records = lines.map((l) => JSON.parse(l) as LogLine);
    expect(run.stderr()).toMatch(/^rest +api http:/m);
    const requests = records.filter((r) => r.msg === 'request');
    const byId = (id: string) => requests.filter((r) => r.reqId === id);
    expect(byId('rid-rest-1')).toEqual([expect.objectContaining({ kind: 'rest', adapter: 'api', operation: 'list-ships', method: 'GET', status: 200, ms: expect.any(Number) })]);
    expect(byId('rid-mcp-1')).toEqual([expect.objectContaining({ kind: 'mcp', adapter: 'tools', rpc: 'tools/call', tool: 'list-ships', method: 'POST', status: 200 })]);
    expect(byId('rid-skill-1')).toEqual([expect.objectContaining({ kind: 'skill', adapter: 'catalog', method: 'GET', status: 200 })]);
    expect(byId('rid-control-1')).toEqual([expect.objectContaining({ kind: 'control', adapter: 'control', method: 'GET', status: 200 })]);
    expect(byId(generated!)).toHaveLength(1);
  });
});
