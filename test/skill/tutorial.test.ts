/**
 * The tutorial's skill catalogs (reference-engine.md §8.2, steps 8, 10 and 11). Step 8 runs as
 * a user runs it: `capstan run` (the built CLI) on a temp copy of the tutorial capabilities
 * (with the secrets bind file written when absent), upstreams pointed at the local mock APIs.
 * Steps 7 to 11 are also served in-process to check each catalog.
 */
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type SkillAdapterNode } from '@capstan/spec';
import { createRestServer } from '@capstan/rest';
import { registerSkillAdapter } from '@capstan/skill';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { HAVE_SHARED } from '../helpers/shared.js';
import { MOCK_PATHS, startTutorialMock, TUTORIAL_DIR, type TutorialMock } from '../helpers/tutorial.js';

const runs: CapstanRun[] = [];
const apps: FastifyInstance[] = [];
let caps = '';
let mock: TutorialMock | undefined;

beforeAll(async () => {
  if (!HAVE_SHARED) return;
  // The capabilities are read from a temp copy: the secrets bind file is written there when the
  // shared folder lacks it (the reference CI creates it), never into ../shared.
  caps = join(mkdtempSync(join(tmpdir(), 'capstan-tutorial-')), 'capabilities');
  cpSync(join(TUTORIAL_DIR, 'capabilities'), caps, { recursive: true });
  const secrets = join(caps, 'shared', 'secrets.yaml');
  if (!existsSync(secrets)) {
    writeFileSync(secrets, 'registry-bearer-token: "dummy-token"\nregistry-api-version: "1.0.0-alpha2"\ndockyard-api-key: "dummy-dockyard-key"\nmcp-server-token: "sk-mcp-YYYYYYYYYYYY"\n');
  }
  mock = await startTutorialMock();
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  for (const r of runs) await r.stop();
  await mock?.stop();
});

describe.skipIf(!HAVE_SHARED)('tutorial skill catalogs', () => {
  it('step 8 via `capstan run`: the catalog has fleet-ops and voyage-ops, fleet-ops has 4 derived MCP tools', async () => {
    const run = await spawnCapstanRun([
      join(caps, 'step-8-shipyard-skill-groups.yml'),
      '--host', '127.0.0.1', '--port', 'shipyard-tools=0', '--port', 'shipyard-skills=0',
      '--upstream', `registry=${mock!.base}${MOCK_PATHS.registry}`, '--upstream', `legacy=${mock!.base}${MOCK_PATHS.legacy}`,
      '--log-level', 'warn',
    ], { waitFor: ['shipyard-tools', 'shipyard-skills'] });
    runs.push(run);
    const skillLine = run.adapters.find((a) => a.type === 'skill')!.line;
    expect(skillLine).toMatch(/^skill shipyard-skills http:\/\/\S+:\d+$/);
    const port = Number(/:(\d+)$/.exec(skillLine)![1]);
    expect(port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${port}`;

    const list = await fetch(`${base}/skills`);
    expect(list.status).toBe(200);
    const catalog = (await list.json()) as { count: number; skills: Array<{ name: string; tools: string[] }> };
    expect(catalog.count).toBe(2);
    expect(catalog.skills.map((s) => s.name)).toEqual(['fleet-ops', 'voyage-ops']);

    const detail = await fetch(`${base}/skills/fleet-ops`);
    expect(detail.status).toBe(200);
    const fleet = (await detail.json()) as { name: string; tools: Array<{ name: string; type: string; invocationRef: { targetNamespace: string; action: string; mode: string } }> };
    expect(fleet.name).toBe('fleet-ops');
    expect(fleet.tools).toHaveLength(4);
    for (const tool of fleet.tools) {
      expect(tool.name).toBeTruthy();
      expect(tool.type).toBe('derived');
      expect(tool.invocationRef.targetNamespace).toBe('shipyard-tools');
      expect(tool.invocationRef.mode).toBe('mcp');
      expect(tool.invocationRef.action.trim()).not.toBe('');
    }
    expect(fleet.tools.map((t) => t.invocationRef.action)).toEqual(['list-ships', 'get-ship', 'list-legacy-vessels', 'get-ship-with-crew']);

    const missing = await fetch(`${base}/skills/cargo-ops`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await run.stop();
  });

  const STEPS: Array<[string, Record<string, string[]>]> = [
    ['step-7-shipyard-orchestrated-lookup.yml', { 'fleet-ops': ['list-ships', 'get-ship', 'list-legacy-vessels', 'get-ship-with-crew'], 'voyage-ops': ['create-voyage'] }],
    ['step-9-shipyard-aggregates.yml', { 'fleet-ops': ['list-ships', 'get-ship', 'list-legacy-vessels', 'get-ship-with-crew'], 'voyage-ops': ['create-voyage'] }],
    ['step-10-shipyard-rest-adapter.yml', { 'fleet-ops': ['list-ships', 'get-ship', 'list-legacy-vessels', 'get-ship-with-crew'], 'voyage-ops': ['create-voyage'] }],
    ['step-11-shipyard-fleet-manifest.yml', { 'fleet-ops': ['list-ships', 'get-ship', 'list-legacy-vessels', 'get-ship-with-crew'], 'voyage-ops': ['create-voyage', 'get-voyage-manifest'] }],
  ];
  it.each(STEPS)('%s: catalog and derived tools (in-process)', async (file, expected) => {
    const result = checkSpec(join(caps, file));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const graph = result.graph!;
    const node = graph.adapters.find((a): a is SkillAdapterNode => a.type === 'skill')!;
    const app = createRestServer();
    apps.push(app);
    registerSkillAdapter(app, node as never, graph as never, { baseDir: caps });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const catalog = (await (await fetch(`${base}/skills`)).json()) as { count: number; skills: Array<{ name: string; tools: string[] }> };
    expect(catalog.count).toBe(Object.keys(expected).length);
    expect(Object.fromEntries(catalog.skills.map((s) => [s.name, s.tools]))).toEqual(expected);
    for (const name of Object.keys(expected)) {
      const detail = (await (await fetch(`${base}/skills/${name}`)).json()) as { tools: Array<{ type: string; invocationRef: { targetNamespace: string; mode: string; action: string } }> };
      for (const tool of detail.tools) {
        expect(tool).toMatchObject({ type: 'derived', invocationRef: { targetNamespace: 'shipyard-tools', mode: 'mcp' } });
        expect(expected[name]).toContain(tool.invocationRef.action);
      }
    }
  });
});
