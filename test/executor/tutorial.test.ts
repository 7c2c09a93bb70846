/** End to end on the tutorial's step 11 capability against the tutorial's local mock APIs. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Executor } from '@capstan/runtime';
import { checkSpec, type CapabilityGraph } from '@capstan/spec';
import { HAVE_SHARED } from '../helpers/shared.js';
import { MOCK_PATHS, startTutorialMock, TUTORIAL_DIR, type TutorialMock } from '../helpers/tutorial.js';
import { handlerOf } from './helpers.js';

describe.skipIf(!HAVE_SHARED)('tutorial step 11 over the local mocks', () => {
  let mock: TutorialMock;
  let graph: CapabilityGraph;
  let exec: Executor;

  beforeAll(async () => {
    mock = await startTutorialMock();
    const result = checkSpec(join(TUTORIAL_DIR, 'capabilities', 'step-11-shipyard-fleet-manifest.yml'));
    if (!result.graph) throw new Error('step 11 does not compile');
    graph = result.graph;
    exec = await Executor.create(graph, {
      env: {},
      upstreams: {
        registry: `${mock.base}${MOCK_PATHS.registry}`,
        legacy: `${mock.base}${MOCK_PATHS.legacy}`,
      },
    });
  });
  afterAll(async () => {
    await exec?.close();
    await mock?.stop();
  });

  const json = async (tool: string, inputs: Record<string, unknown>): Promise<Record<string, unknown> & unknown[]> => {
    const result = await exec.run(handlerOf(graph, tool), { inputs });
    if (result.kind !== 'json') throw new Error(`expected json, got ${result.kind} ${result.status}`);
    return result.value as Record<string, unknown> & unknown[];
  };

  it('list-ships maps the array', async () => {
    const ships = await json('list-ships', {});
    expect(ships.length).toBeGreaterThan(0);
    expect(ships[0]).toEqual({ imo: 'IMO-9321483', name: 'Northern Star', type: 'cargo', flag: 'NO', status: 'active' });
  });

  it('list-legacy-vessels converts XML', async () => {
    const vessels = await json('list-legacy-vessels', {});
    expect(vessels[0]).toMatchObject({ vesselCode: 'LEGACY-4012', name: 'Old Faithful', type: 'cargo', flag: 'GB', status: 'active' });
  });

  it('create-voyage sends crewIds as a JSON array', async () => {
    const voyage = await json('create-voyage', { shipImo: 'IMO-9321483', departurePort: 'Oslo', arrivalPort: 'Singapore', departureDate: '2026-04-10', arrivalDate: '2026-05-02', crewIds: ['CREW-001', 'CREW-003'], cargoIds: ['CARGO-2024-0451'] });
    expect(voyage).toHaveProperty('voyageId');
    expect(voyage.route).toEqual({ from: expect.any(String), to: expect.any(String) });
    expect((voyage.crewIds as unknown[]).length).toBeGreaterThan(0);
  });

  it('get-voyage-manifest resolves the ship through the consumed `imo-number` output', async () => {
    const manifest = await json('get-voyage-manifest', { voyageId: 'VOY-2026-042' });
    expect(manifest).toMatchObject({ voyageId: 'VOY-2026-042', status: 'planned', route: { from: 'Oslo', to: 'Singapore' }, ship: { name: 'Northern Star', type: 'cargo', flag: 'NO' } });
    expect((manifest.crew as Array<Record<string, unknown>>)[0]).toEqual({ fullName: expect.any(String), role: expect.any(String) });
    expect((manifest.cargo as Array<Record<string, unknown>>)[0]).toHaveProperty('description');
  });
});
