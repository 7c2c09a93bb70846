/**
 * Signals and pipes: a gateway whose stdout reader went away keeps answering and exits 0 on
 * SIGTERM; SIGTERM during REST and MCP load answers every in-flight call of both before exiting
 * 0; a stdio MCP gateway exits 0 when its stdin closes.
 */
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, childEnv, REPO_ROOT } from '../helpers/cli.js';
import { spawnCapstanRun, startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';
import { FLEET_NAMESPACES, fleetYaml } from './fixture.js';

let run: CapstanRun | undefined;
let upstream: Upstream | undefined;

afterEach(async () => {
  await run?.stop('SIGKILL');
  await upstream?.close();
  run = undefined;
  upstream = undefined;
});

const urlOf = (r: CapstanRun, ns: string) => r.adapters.find((a) => a.namespace === ns)!.url;

function callTool(url: string, name: string, id: number): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } }),
  });
}

describe('signals and pipes', () => {
  it('stdout closed during start-up: requests are answered (logging hits EPIPE) and SIGTERM exits 0', async () => {
    upstream = await startUpstream((_req, res) => json(res, 200, { ships: [] }));
    const args = [tempSpec(fleetYaml()), '--host', '127.0.0.1', '--upstream', upstream.url, ...FLEET_NAMESPACES.flatMap((ns) => ['--port', `${ns}=0`])];
    run = await spawnCapstanRun(args, { waitFor: FLEET_NAMESPACES, env: childEnv(), closeStdout: true });
    for (let i = 0; i < 20; i++) {
      expect((await fetch(`${urlOf(run, 'api')}/ships`)).status).toBe(200);
      expect((await callTool(urlOf(run, 'tools'), 'list-ships', i)).status).toBe(200);
    }
    expect(await run.stop('SIGTERM', 8_000)).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM under REST and MCP load: every in-flight call of both is answered, then exit 0', async () => {
    const held: ServerResponse[] = [];
    upstream = await startUpstream((_req, res) => void held.push(res));
    run = await startCapstan([tempSpec(fleetYaml())], { namespaces: FLEET_NAMESPACES, upstream: upstream.url });
    const rest = Array.from({ length: 6 }, () => fetch(`${urlOf(run!, 'api')}/ships`));
    const mcp = Array.from({ length: 6 }, (_, i) => callTool(urlOf(run!, 'tools'), 'list-ships', i));
    await until(() => held.length === 12);
    run.child.kill('SIGTERM');
    await until(() => run!.stderr().includes('SIGTERM received'));
    expect(run.alive()).toBe(true);
    for (const res of held) json(res, 200, { ships: [{ imo: '1' }] });
    const answers = await Promise.all([...rest, ...mcp]);
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    for (const a of answers.slice(6)) expect(await a.text()).toMatch(/"isError":false|imo/);
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('stdio MCP: closing stdin exits 0', async () => {
    const file = tempSpec(fleetYaml().replace(/    - type: rest[\s\S]*?(?=    - type: mcp)/, '').replace('      port: 9090\n', '      transport: stdio\n').replace(/    - type: control[\s\S]*$/, ''));
    const child = spawn(process.execPath, [BIN, 'run', file], { cwd: REPO_ROOT, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => err.includes('mcp  tools stdio'), 20_000);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })}\n`);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await until(() => out.includes('list-ships'), 10_000);
    child.stdin.end();
    expect(await exited).toBe(0);
  });
});
