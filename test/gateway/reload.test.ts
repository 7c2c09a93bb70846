/**
 * Hot reload under load: SIGHUP, `POST /reload` on the control adapter and `--watch` re-read the
 * capability file. A changed tool description and an added tool are served without a failed
 * request; an open MCP session stays open and is told `notifications/tools/list_changed`; a
 * broken file is rejected with positioned diagnostics while the old version keeps serving.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, ToolListChangedNotificationSchema } from '../../packages/mcp/testing/sdk.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { sleep, until } from '../helpers/wait.js';
import { FLEET_NAMESPACES, fleetYaml } from './fixture.js';

let upstream: Upstream;

beforeAll(async () => {
  // A little latency keeps requests in flight while versions are swapped.
  upstream = await startUpstream(async (req, res) => {
    await sleep(15);
    json(res, 200, req.url.startsWith('/ships/') ? { imo: req.url.slice(7) } : { ships: [{ imo: '1' }] });
  });
});
afterAll(() => upstream?.close());

/** REST and MCP calls in a loop until stopped; every answer that is not a 200 success is kept. */
function load(run: CapstanRun, workers = 4): { stop(): Promise<{ done: number; failures: string[] }> } {
  let running = true;
  let done = 0;
  const failures: string[] = [];
  const rest = run.rest.api!;
  const mcp = run.mcp.tools!;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      try {
        if (w % 2 === 0) {
          const res = await fetch(`${rest}/ships`);
          if (res.status !== 200) failures.push(`REST ${res.status} ${await res.text()}`);
          else await res.arrayBuffer();
        } else {
          const res = await fetch(mcp, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: done, method: 'tools/call', params: { name: 'list-ships', arguments: {} } }) });
          const text = await res.text();
          if (res.status !== 200 || text.includes('"isError":true') || text.includes('"error":')) failures.push(`MCP ${res.status} ${text.slice(0, 200)}`);
        }
        done++;
      } catch (err) {
        failures.push(`error: ${(err as Error).message}`);
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { done, failures };
    },
  };
}

async function openSession(url: string): Promise<{ client: Client; changes: () => number }> {
  let changes = 0;
  const client = new Client({ name: 'reload-test', version: '1' });
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    changes++;
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, changes: () => changes };
}

const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => `${t.name}: ${t.description}`);

describe('reload (SIGHUP and POST /reload)', () => {
  let run: CapstanRun;
  let file: string;
  beforeAll(async () => {
    file = tempSpec(fleetYaml());
    run = await startCapstan([file], { namespaces: FLEET_NAMESPACES, upstream: upstream.url, logLevel: 'info' });
  });
  afterAll(() => run?.stop());
  const control = () => run.adapters.find((a) => a.namespace === 'control')!.url;

  it('changes a description, adds a tool and rejects a broken file, under load, with no failed request', async () => {
    const session = await openSession(run.mcp.tools!);
    expect(await toolNames(session.client)).toEqual(['list-ships: List ships']);
    const ports = run.adapters.map((a) => a.url);
    const traffic = load(run);
    await sleep(300);

    // 1. SIGHUP: a new description.
    writeFileSync(file, fleetYaml({ description: 'List every ship of the fleet' }));
    run.child.kill('SIGHUP');
    await until(() => run.stdout().includes('"msg":"reloaded (SIGHUP)"'), 15_000);
    expect(await toolNames(session.client)).toEqual(['list-ships: List every ship of the fleet']);
    await until(() => session.changes() >= 1, 5_000);

    // 2. POST /reload: a new tool.
    writeFileSync(file, fleetYaml({ description: 'List every ship of the fleet', getShipTool: true }));
    const reloaded = await fetch(`${control()}/reload`, { method: 'POST' });
    expect(reloaded.status).toBe(200);
    expect(await reloaded.json()).toMatchObject({ status: 'reloaded' });
    expect(await toolNames(session.client)).toEqual(['list-ships: List every ship of the fleet', 'get-ship: One ship by IMO number']);
    await until(() => session.changes() >= 2, 5_000);
    const called = await session.client.callTool({ name: 'get-ship', arguments: { imo: '9074729' } });
    expect(called.isError).toBeFalsy();
    expect(JSON.stringify(called.content)).toContain('9074729');

    // 3. A broken file: rejected by both triggers, with positioned diagnostics; the old version serves on.
    writeFileSync(file, fleetYaml({ getShipTool: true }).replace('call: registry.list-ships', 'call: registry.list-shipz'));
    const rejected = await fetch(`${control()}/reload`, { method: 'POST' });
    expect(rejected.status).toBe(422);
    const problem = (await rejected.json()) as { type: string; detail: string; errors: Array<{ message: string }> };
    expect(problem.type).toBe('https://capstan.dev/problems/reload-rejected');
    expect(problem.detail).toMatch(/the running version keeps serving/);
    expect(problem.errors.map((e) => e.message).join('\n')).toMatch(/cap\.yaml:\d+:\d+: error\[[a-z-]+\]: .*list-shipz/);
    run.child.kill('SIGHUP');
    await until(() => run.stdout().includes('reload (SIGHUP) rejected'), 15_000);
    expect(run.stdout()).toMatch(/cap\.yaml:\d+:\d+: error\[[a-z-]+\]: .*list-shipz/);
    expect(await toolNames(session.client)).toHaveLength(2);

    await sleep(300);
    const { done, failures } = await traffic.stop();
    expect(failures).toEqual([]);
    expect(done).toBeGreaterThan(20);
    // Same ports throughout; the session survived every swap.
    expect(run.adapters.map((a) => a.url)).toEqual(ports);
    expect(run.alive()).toBe(true);
    await session.client.close();
  });
});

describe('reload with --watch', () => {
  it('a saved change to the file is served without a restart', async () => {
    const file = tempSpec(fleetYaml());
    const run = await startCapstan([file], { namespaces: FLEET_NAMESPACES, upstream: upstream.url, logLevel: 'info', args: ['--watch'] });
    try {
      const session = await openSession(run.mcp.tools!);
      writeFileSync(file, fleetYaml({ description: 'Watched description' }));
      await until(() => session.changes() >= 1, 15_000);
      expect(await toolNames(session.client)).toEqual(['list-ships: Watched description']);
      await session.client.close();
    } finally {
      await run.stop();
    }
  });
});
