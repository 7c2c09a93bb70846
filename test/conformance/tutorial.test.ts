/**
 * The reference tutorial as an acceptance suite, end to end through `capstan run`.
 *
 * For each of the 11 steps of `../shared/tutorial/capabilities`, the step file and its `shared/`
 * folder are copied into a temp folder with a `shared/secrets.yaml` of distinctive values, the
 * local mock APIs (`mock-apis/serve.mjs`) stand in for the hosted ones, and one `capstan run`
 * process serves the step. Against it the suite runs:
 * - every check of `tests.yml` (the reference CI), exactly as that CI sends it: MCP checks are a
 *   bare `tools/call` POST to `/` with only `Content-Type` and `Authorization: Bearer` headers
 *   (no initialize, no Accept); REST checks are plain HTTP calls; each `jq:` line is evaluated by
 *   `./jq.ts` on the parsed result (MCP: `result.content[0].text`);
 * - the assertions of the reference JUnit tests (reference-engine.md §8.2) with the MCP SDK's real
 *   client: initialize, tools/list order and descriptions, input schemas, the JUnit tool-call
 *   expectations, the REST and skill catalog checks;
 * - that bind secrets reached the mock (`/__requests`), that step 3's MCP bearer is enforced, and
 *   that no secret value is printed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { spawnCapstanRun, type CapstanRun, type PrintedAdapter } from '../helpers/process.js';
import { HAVE_SHARED } from '../helpers/shared.js';
import { MOCK_PATHS, TUTORIAL_DIR, type MockRequest } from '../helpers/tutorial.js';
import {
  assertJq, ciMcpCall, ciRestCall, envWithoutBinds, MCP_TOKEN, parseYaml, prepareStep as prepareTutorialStep, rawPost, readChecks,
  runArgs as tutorialRunArgs, SECRETS, toolsCall, useTutorialMock, type CiCheck,
} from '../helpers/tutorial-ci.js';
import { compileJq, jqHolds, JqSyntaxError } from './jq.js';

const CAPS = join(TUTORIAL_DIR, 'capabilities');


const IMO = 'IMO-9321483';
const VOYAGE_ARGS = {
  shipImo: IMO, departurePort: 'Oslo', arrivalPort: 'Singapore', departureDate: '2026-04-10', arrivalDate: '2026-05-02',
  crewIds: ['CREW-001', 'CREW-003'], cargoIds: ['CARGO-2024-0451'],
};

// ---------------------------------------------------------------------------------------------
// The inputs: tests.yml and the step files.

interface InputParam {
  name: string;
  type?: string;
  required?: boolean;
  description?: string;
}
interface ToolDecl {
  name: string;
  description?: string;
  inputParameters?: InputParam[];
  ref?: string;
}
interface ExposeDecl {
  type: string;
  namespace: string;
  port?: number;
  address?: string;
  authentication?: { type: string };
  tools?: ToolDecl[];
}
interface StepDoc {
  capability: {
    consumes?: Array<{ namespace?: string; import?: string; as?: string }>;
    exposes: ExposeDecl[];
    aggregates?: Array<{ namespace: string; functions: Array<{ name: string; inputParameters?: InputParam[] }> }>;
  };
}

const CHECKS: CiCheck[] = HAVE_SHARED ? readChecks(TUTORIAL_DIR) : [];
const readStep = (file: string): StepDoc => parseYaml(readFileSync(join(CAPS, file), 'utf8')) as StepDoc;

// ---------------------------------------------------------------------------------------------
// What each step must do beyond tests.yml (reference-engine.md §8.2, and the step files).

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Asserter = (value: Json) => void;

const nonBlank = (v: unknown, what: string): void => {
  expect(typeof v, what).toBe('string');
  expect((v as string).trim(), what).not.toBe('');
};
const SHIP_KEYS = ['imo', 'name', 'type', 'flag', 'status'];

const shipList: Asserter = (v) => {
  expect(Array.isArray(v)).toBe(true);
  expect(v.length).toBeGreaterThan(0);
  for (const s of v) {
    for (const k of SHIP_KEYS) expect(s).toHaveProperty(k);
    nonBlank(s.imo, 'imo');
    nonBlank(s.name, 'name');
  }
};
const activeShips: Asserter = (v) => {
  expect(Array.isArray(v)).toBe(true);
  expect(v.length).toBeGreaterThan(0);
  for (const s of v) expect(s.status).toBe('active');
};
const ship: Asserter = (v) => {
  expect(v !== null && typeof v === 'object' && !Array.isArray(v)).toBe(true);
  for (const k of SHIP_KEYS) expect(v).toHaveProperty(k);
  expect(v.imo).toBe(IMO);
};
const shapedShip: Asserter = (v) => {
  ship(v);
  for (const k of ['name', 'type', 'flag', 'status']) nonBlank(v[k], k);
  for (const k of ['yearBuilt', 'tonnage', 'length']) expect(typeof v.specs[k], `specs.${k} is a JSON number`).toBe('number');
};
const legacyVessels: Asserter = (v) => {
  expect(Array.isArray(v)).toBe(true);
  expect(v.length).toBeGreaterThan(0);
  for (const s of v) {
    for (const k of ['vesselCode', 'name', 'type', 'flag', 'status']) expect(s).toHaveProperty(k);
    nonBlank(s.vesselCode, 'vesselCode');
    nonBlank(s.name, 'name');
  }
};
const voyage: Asserter = (v) => {
  nonBlank(v.voyageId, 'voyageId');
  expect(v.shipImo).toBe(IMO);
  expect(v.route).toEqual({ from: 'Oslo', to: 'Singapore' });
  expect(v.dates).toEqual({ departure: '2026-04-10', arrival: '2026-05-02' });
  expect(Array.isArray(v.crewIds) && v.crewIds.length > 0, 'crewIds is a non-empty array').toBe(true);
  expect(Array.isArray(v.cargoIds), 'cargoIds is an array').toBe(true);
  nonBlank(v.status, 'status');
};
const shipWithCrew: Asserter = (v) => {
  expect(v !== null && typeof v === 'object' && !Array.isArray(v), 'an object, not an array').toBe(true);
  for (const k of ['imo', 'name', 'status']) nonBlank(v[k], k);
  expect(v.imo).toBe(IMO);
  expect(v.crew).toEqual([
    { fullName: 'Erik Lindström', role: 'captain' },
    { fullName: 'Aiko Tanaka', role: 'cook' },
  ]);
};

interface JunitCall {
  tool: string;
  args: Record<string, unknown>;
  check: Asserter;
}
const STEP2_CALLS: JunitCall[] = [
  { tool: 'list-ships', args: {}, check: shipList },
  { tool: 'list-ships', args: { status: 'active' }, check: activeShips },
  { tool: 'get-ship', args: { imo: IMO }, check: ship },
];
const STEP7_CALLS: JunitCall[] = [{ tool: 'get-ship-with-crew', args: { imo: IMO }, check: shipWithCrew }];

const FIVE_TOOLS = ['list-ships', 'get-ship', 'list-legacy-vessels', 'create-voyage', 'get-ship-with-crew'];

interface StepPlan {
  n: number;
  file: string;
  /** tools/list order (§8.2; for steps without a JUnit test, the declaration order of the file). */
  tools: string[];
  /** JUnit tool calls and what they must return. */
  calls: JunitCall[];
  /** Headers the registry must receive: the bind values, or (step 2) none at all. */
  registry?: { authorization: string | null; version: string | null };
  /** The X-Dock-Key the dockyard must receive. */
  dockKey?: string;
  /** JUnit REST checks (step 10). */
  restJunit?: boolean;
  /** JUnit skill catalog checks. */
  skills?: 'catalog' | 'voyage-ops';
}

const BOUND_REGISTRY = { authorization: `Bearer ${SECRETS['registry-bearer-token']}`, version: SECRETS['registry-api-version'] };

const STEPS: StepPlan[] = [
  {
    n: 1, file: 'step-1-shipyard-mock.yml', tools: ['get-ship'],
    calls: [{ tool: 'get-ship', args: { imo_number: IMO }, check: (v) => expect(v).toEqual({ imo: IMO, name: 'Northern Star', type: 'cargo', flag: 'NO', status: 'active' }) }],
  },
  { n: 2, file: 'step-2-shipyard-wiring.yml', tools: ['list-ships', 'get-ship'], calls: STEP2_CALLS, registry: { authorization: null, version: null } },
  { n: 3, file: 'step-3-shipyard-auth.yml', tools: ['list-ships', 'get-ship'], calls: STEP2_CALLS, registry: BOUND_REGISTRY },
  {
    n: 4, file: 'step-4-shipyard-output-shaping.yml', tools: ['list-ships', 'get-ship'],
    calls: [...STEP2_CALLS, { tool: 'get-ship', args: { imo: IMO }, check: shapedShip }], registry: BOUND_REGISTRY,
  },
  {
    n: 5, file: 'step-5-shipyard-multi-source.yml', tools: ['list-ships', 'get-ship', 'list-legacy-vessels'],
    calls: [
      ...STEP2_CALLS,
      { tool: 'list-legacy-vessels', args: {}, check: legacyVessels },
      // Not a reference check: the engine returns raw XML here (the one-vessel XML answer
      // collapses to an object). Capstan's decision: a `type: array` mapping that finds one
      // object yields a one-element array.
      { tool: 'list-legacy-vessels', args: { status: 'active' }, check: (v) => expect(v).toEqual([{ vesselCode: 'LEGACY-4012', name: 'Old Faithful', type: 'cargo', flag: 'GB', status: 'active' }]) },
    ],
    registry: BOUND_REGISTRY, dockKey: SECRETS['dockyard-api-key'],
  },
  {
    n: 6, file: 'step-6-shipyard-write-operations.yml', tools: ['list-ships', 'get-ship', 'list-legacy-vessels', 'create-voyage'],
    calls: [{ tool: 'create-voyage', args: VOYAGE_ARGS, check: voyage }], registry: BOUND_REGISTRY, dockKey: SECRETS['dockyard-api-key'],
  },
  { n: 7, file: 'step-7-shipyard-orchestrated-lookup.yml', tools: FIVE_TOOLS, calls: STEP7_CALLS, registry: BOUND_REGISTRY, dockKey: SECRETS['dockyard-api-key'] },
  {
    n: 8, file: 'step-8-shipyard-skill-groups.yml', tools: FIVE_TOOLS,
    calls: [...STEP7_CALLS, { tool: 'create-voyage', args: VOYAGE_ARGS, check: voyage }],
    registry: BOUND_REGISTRY, dockKey: SECRETS['dockyard-api-key'], skills: 'catalog',
  },
  { n: 9, file: 'step-9-shipyard-aggregates.yml', tools: FIVE_TOOLS, calls: [], registry: BOUND_REGISTRY, dockKey: SECRETS['dockyard-api-key'] },
  {
    n: 10, file: 'step-10-shipyard-rest-adapter.yml', tools: FIVE_TOOLS, calls: [],
    registry: BOUND_REGISTRY, dockKey: SECRETS['dockyard-api-key'], restJunit: true, skills: 'catalog',
  },
  {
    n: 11, file: 'step-11-shipyard-fleet-manifest.yml', tools: [...FIVE_TOOLS, 'get-voyage-manifest'], calls: [],
    // shared/step11-registry-consumes.yml declares the registry credentials as the literal
    // strings "REGISTRY_TOKEN" / "REGISTRY_VERSION" (no `{{…}}`): they are sent as written.
    registry: { authorization: 'Bearer REGISTRY_TOKEN', version: 'REGISTRY_VERSION' }, dockKey: SECRETS['dockyard-api-key'], skills: 'voyage-ops',
  },
];

// ---------------------------------------------------------------------------------------------
// Running a step.

const tempDirs: string[] = [];
const prepareStep = (file: string): string => prepareTutorialStep(CAPS, file, tempDirs);
const runArgs = (file: string, doc: StepDoc, mockBase: string): string[] =>
  tutorialRunArgs(file, { exposes: doc.capability.exposes, consumes: doc.capability.consumes ?? [] }, mockBase);

/** Adapters that must print a line (skill adapters only when `capstan run` supports them). */
const requiredNamespaces = (doc: StepDoc, withSkills: boolean): string[] =>
  doc.capability.exposes.filter((e) => e.type !== 'skill' || withSkills).map((e) => e.namespace);

/**
 * Whether `capstan run` serves skill adapters yet (another engineer is adding them): starts
 * step 8 once and looks for a `skill` line. Decided at collection time so that the skill checks
 * can be registered as `it.todo` when it does not.
 */
async function probeSkillAdapters(): Promise<{ supported: boolean; why: string }> {
  const file = prepareStep('step-8-shipyard-skill-groups.yml');
  const doc = readStep('step-8-shipyard-skill-groups.yml');
  let run: CapstanRun | undefined;
  try {
    run = await spawnCapstanRun(runArgs(file, doc, 'http://127.0.0.1:9'), { waitFor: requiredNamespaces(doc, false), env: envWithoutBinds(), settleMs: 500 });
    const supported = run.adapters.some((a) => a.type === 'skill');
    return { supported, why: supported ? '' : `\`capstan run\` printed no \`skill\` line for step 8 (printed: ${run.adapters.map((a) => `${a.type} ${a.namespace}`).join(', ')})` };
  } catch (err) {
    return { supported: false, why: `\`capstan run\` could not start step 8: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await run?.stop();
  }
}

const SKILLS = HAVE_SHARED ? await probeSkillAdapters() : { supported: false, why: '../shared is absent' };
const SKILL_TODO = `skill adapter not served by \`capstan run\` yet — ${SKILLS.why}`;

/** Expected tools/list entries from the step file: description and input schema per tool. */
function declaredTools(doc: StepDoc): Array<{ name: string; description: string | undefined; params: InputParam[] }> {
  const mcp = doc.capability.exposes.find((e) => e.type === 'mcp')!;
  return (mcp.tools ?? []).map((t) => {
    let params = t.inputParameters;
    if (!params && t.ref) {
      const [ns, fn] = t.ref.split('.');
      params = doc.capability.aggregates?.find((a) => a.namespace === ns)?.functions.find((f) => f.name === fn)?.inputParameters;
    }
    return { name: t.name, description: t.description, params: params ?? [] };
  });
}

// ---------------------------------------------------------------------------------------------

describe('jq (jq-web) as the tutorial suites use it', () => {
  const doc = { imo: 'X', specs: { yearBuilt: 2010 }, crew: [{ fullName: 'A' }], tools: [{ name: 'a' }, { nom: 'b' }], n: [] as unknown[] };
  it.each([
    ['has("imo")', true], ['has("nope")', false], ['.imo == "X"', true], ['.imo == "Y"', false],
    ['type == "object"', true], ['.crew | type == "array"', true], ['.crew | length > 0', true], ['.n | length > 0', false],
    ['.specs.yearBuilt | type == "number"', true], ['.specs | has("tonnage")', false], ['.crew[0] | has("fullName")', true],
    ['.[0] | has("x")', null], ['.tools[] | has("name")', false], ['all(.crew[]; .fullName == "A")', true], ['all(.tools[]; has("name"))', false],
  ] as const)('%s', (program, expected) => {
    if (expected === null) expect(() => compileJq(program)(doc)).toThrow(/cannot index/i);
    else expect(jqHolds(program, doc).ok).toBe(expected);
  });
  it('is real jq: the whole language runs, and a syntax error is an error, never a pass', () => {
    expect(jqHolds('[.tools[] | select(has("name")) | .name] == ["a"]', doc).ok).toBe(true);
    expect(jqHolds('.missing // "x" | . == "x"', doc).ok).toBe(true);
    expect(() => compileJq('.a | ')).toThrow(JqSyntaxError);
    expect(() => compileJq('map(.x')).toThrow(JqSyntaxError);
  });
});

describe.skipIf(!HAVE_SHARED)('tutorial acceptance through `capstan run` (tests.yml and §8.2)', () => {
  const runningMock = useTutorialMock(tempDirs);
  const mock = {
    get base() { return runningMock().base; },
    requests: () => runningMock().requests(),
    clear: () => runningMock().clear(),
  };

  it('tests.yml: every check belongs to a step of this suite, has validations, and every jq line compiles', () => {
    expect(CHECKS.length).toBeGreaterThan(30);
    const files = new Set(STEPS.map((s) => s.file));
    const names = new Set<string>();
    for (const c of CHECKS) {
      expect(files.has(c.file), `${c.name}: ${c.file}`).toBe(true);
      expect(names.has(c.name), `duplicate check ${c.name}`).toBe(false);
      names.add(c.name);
      expect(['mcp', 'rest']).toContain(c.type ?? 'mcp');
      expect(c.validations.length, c.name).toBeGreaterThan(0);
      for (const v of c.validations) expect(() => compileJq(v.jq), `${c.name}: ${v.jq}`).not.toThrow();
    }
    expect(readdirSync(CAPS).filter((f) => /^step-\d+-.*\.yml$/.test(f)).sort()).toEqual([...files].sort());
  });

  // vitest still runs a skipped describe's body to collect it: without ../shared there are no steps to read.
  for (const step of HAVE_SHARED ? STEPS : []) {
    describe(`step ${step.n}: ${step.file}`, () => {
      const doc = readStep(step.file);
      const mcpDecl = doc.capability.exposes.find((e) => e.type === 'mcp')!;
      let run: CapstanRun;
      const adapter = (ns: string): PrintedAdapter => {
        const a = run.adapters.find((x) => x.namespace === ns);
        if (!a) throw new Error(`capstan run printed no line for adapter ${ns}: ${JSON.stringify(run.adapters)}`);
        return a;
      };
      const mcpUrl = (): string => adapter(mcpDecl.namespace).url;
      /** The adapter the CI reaches on `port` (the port the step file declares for it). */
      const adapterOnPort = (port: number, type?: string): ExposeDecl => {
        const e = doc.capability.exposes.find((x) => x.port === port && (!type || x.type === type));
        if (!e) throw new Error(`${step.file} declares no ${type ?? ''} adapter on port ${port}`);
        return e;
      };
      const skillDecl = doc.capability.exposes.find((e) => e.type === 'skill');
      const skillBase = (): string => adapter(skillDecl!.namespace).url.replace(/\/skills\/?$/, '').replace(/\/$/, '');

      beforeAll(async () => {
        await mock.clear();
        const file = prepareStep(step.file);
        run = await spawnCapstanRun(runArgs(file, doc, mock.base), { waitFor: requiredNamespaces(doc, SKILLS.supported), env: envWithoutBinds(), settleMs: 250 });
      }, 30_000);

      afterAll(async () => {
        await run?.stop();
      });

      it('prints one line per adapter, on 127.0.0.1', () => {
        const expected = doc.capability.exposes.filter((e) => e.type !== 'skill' || SKILLS.supported).map((e) => `${e.type} ${e.namespace}`).sort();
        const printed = run.adapters.filter((a) => a.type !== 'skill' || SKILLS.supported);
        expect(printed.map((a) => `${a.type} ${a.namespace}`).sort()).toEqual(expected);
        for (const a of run.adapters) {
          // `--host` applies to REST and skill adapters only; an MCP adapter without `address`
          // (step 1) stays on `localhost`, as `capstan run --help` documents.
          const decl = doc.capability.exposes.find((e) => e.namespace === a.namespace)!;
          const host = a.type === 'mcp' && !decl.address ? '(127\\.0\\.0\\.1|localhost)' : '127\\.0\\.0\\.1';
          expect(a.printed).toMatch(new RegExp(`^http://${host}:\\d+(/|$)`));
        }
        expect(adapter(mcpDecl.namespace).printed).toMatch(/\/mcp$/);
      });

      // --- tests.yml ---------------------------------------------------------------------------
      for (const check of CHECKS.filter((c) => c.file === step.file)) {
        const kind = check.type ?? 'mcp';
        const target = adapterOnPort(check.port, kind === 'mcp' ? 'mcp' : undefined);
        const title = `tests.yml ${check.name} (${kind === 'mcp' ? `tools/call ${check.tool}` : `${check.method} ${check.path}`} on the ${target.type} adapter)`;
        if (target.type === 'skill' && !SKILLS.supported) {
          it.todo(`${title} — ${SKILL_TODO}`);
          continue;
        }
        // step11-mcp-get-voyage-manifest and step11-rest-voyage-manifest are known-failing in the
        // reference engine (capstan-decisions.md, reference-engine.md §0 item 11): `resolve-ship`
        // looks up `match: imo-number` while the registry rows carry `imo_number`. Capstan passes
        // them, for a principled reason and without special-casing the name: the consumed
        // `registry.list-ships` operation of shared/step11-registry-consumes.yml declares the
        // output parameter `imo-number` (value `$.imo_number`), and a call step's stored output
        // for an array answer is each row with the named consumed outputs added, computed on that
        // row (reference-engine.md §2.11, `resolveStepOutput`). So every row of the `list-ships`
        // step has an `imo-number` field and the lookup matches. These checks are asserted as
        // passing; the lookup result itself is pinned down by the test after the loop.
        it(title, async () => {
          const value = kind === 'mcp'
            ? await ciMcpCall(mcpUrl(), check.tool!, check.args ?? {})
            : await ciRestCall(adapter(target.namespace).url, check.method ?? 'GET', check.path!, check.body);
          assertJq(check, value);
        });
      }

      // --- JUnit (§8.2) with the SDK client --------------------------------------------------------
      it('JUnit: initialize, tools/list order, descriptions and input schemas (MCP SDK client)', async () => {
        const transport = new StreamableHTTPClientTransport(new URL(mcpUrl()), { requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } } });
        const client = new Client({ name: 'capstan-tutorial-conformance', version: '1.0.0' });
        try {
          await client.connect(transport);
          expect(transport.protocolVersion).toBe('2025-11-25');
          expect(client.getServerVersion()?.name).toBe('shipyard-tools');
          expect(client.getServerCapabilities()?.tools).toBeDefined();
          expect(transport.sessionId ?? '', 'Mcp-Session-Id').toMatch(/\S/);
          const { tools } = await client.listTools();
          expect(tools.map((t) => t.name)).toEqual(step.tools);
          const declared = declaredTools(doc);
          expect(declared.map((t) => t.name), 'the §8.2 order is the declaration order').toEqual(step.tools);
          for (const d of declared) {
            const tool = tools.find((t) => t.name === d.name)!;
            expect(tool.description, `${d.name} description`).toBe(d.description);
            const props = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; description?: string }>;
            expect(Object.keys(props).sort(), `${d.name} properties`).toEqual(d.params.map((p) => p.name).sort());
            for (const p of d.params) {
              expect(props[p.name]?.type, `${d.name}.${p.name} type`).toBe(p.type ?? 'string');
              expect(props[p.name]?.description, `${d.name}.${p.name} description`).toBe(p.description);
            }
            const required = d.params.filter((p) => p.required !== false).map((p) => p.name).sort();
            expect([...(tool.inputSchema.required ?? [])].sort(), `${d.name} required`).toEqual(required);
          }
          // Explicit §8.2 schema assertions (also implied by the declared-schema loop above).
          const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as { properties: Record<string, { type: string }>; required?: string[] };
          if (step.tools.includes('list-ships')) {
            expect(schema('list-ships').properties.status!.type).toBe('string');
            expect(schema('list-ships').required ?? []).not.toContain('status');
          }
          if (step.n >= 2 && step.tools.includes('get-ship')) {
            expect(schema('get-ship').properties.imo!.type).toBe('string');
            expect(schema('get-ship').required).toContain('imo');
          }
          if (step.tools.includes('list-legacy-vessels')) expect(schema('list-legacy-vessels').required ?? []).not.toContain('status');
          if (step.tools.includes('create-voyage')) {
            const cv = schema('create-voyage');
            expect(cv.properties.crewIds!.type).toBe('array');
            expect(cv.properties.cargoIds!.type).toBe('array');
            expect([...(cv.required ?? [])].sort()).toEqual(['arrivalDate', 'arrivalPort', 'crewIds', 'departureDate', 'departurePort', 'shipImo']);
          }
          if (step.tools.includes('get-ship-with-crew')) expect(schema('get-ship-with-crew').required).toEqual(['imo']);
          if (step.tools.includes('get-voyage-manifest')) {
            expect(schema('get-voyage-manifest').properties.voyageId!.type).toBe('string');
            expect(schema('get-voyage-manifest').required).toEqual(['voyageId']);
          }
          // Hints: explicit on create-voyage (steps 6+); derived from the aggregate's semantics
          // (safe → readOnly and not destructive, idempotent copied) for the `ref` tool (steps 9, 10).
          if (step.tools.includes('create-voyage')) {
            expect(tools.find((t) => t.name === 'create-voyage')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
          }
          if (step.n === 9 || step.n === 10) {
            expect(tools.find((t) => t.name === 'get-ship-with-crew')!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
          }
        } finally {
          await client.close();
        }
      });

      if (step.calls.length) {
        it(`JUnit: tool calls ${[...new Set(step.calls.map((c) => c.tool))].join(', ')} (MCP SDK client, in a session)`, async () => {
          const transport = new StreamableHTTPClientTransport(new URL(mcpUrl()), { requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } } });
          const client = new Client({ name: 'capstan-tutorial-conformance', version: '1.0.0' });
          try {
            await client.connect(transport);
            for (const call of step.calls) {
              const result = await client.callTool({ name: call.tool, arguments: call.args });
              const content = result.content as Array<{ type: string; text: string }>;
              expect(result.isError ?? false, `${call.tool}: ${JSON.stringify(result)}`).toBe(false);
              expect(content[0]?.type).toBe('text');
              call.check(JSON.parse(content[0]!.text));
            }
          } finally {
            await client.close();
          }
        });
      }

      if (step.restJunit) {
        it('JUnit: REST GET /ships (200, array of ships) and POST /voyages (201, the voyage)', async () => {
          const rest = adapter(adapterOnPort(3003, 'rest').namespace).url;
          const ships = await fetch(new URL('/ships', rest));
          expect(ships.status).toBe(200);
          const list = (await ships.json()) as Json;
          expect(Array.isArray(list) && list.length > 0).toBe(true);
          for (const s of list) for (const k of SHIP_KEYS) expect(s).toHaveProperty(k);
          const created = await fetch(new URL('/voyages', rest), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(VOYAGE_ARGS) });
          const text = await created.text();
          expect(created.status, text).toBe(201);
          voyage(JSON.parse(text));
        });
      }

      if (step.skills) {
        const title = step.skills === 'catalog'
          ? 'JUnit: skill catalog GET /skills (count 2: fleet-ops, voyage-ops) and GET /skills/fleet-ops (4 derived tools → shipyard-tools over mcp)'
          : 'JUnit: skill GET /skills/voyage-ops lists create-voyage and get-voyage-manifest';
        if (!SKILLS.supported) {
          it.todo(`${title} — ${SKILL_TODO}`);
        } else {
          it(title, async () => {
            const get = async (path: string): Promise<Json> => {
              const res = await fetch(`${skillBase()}${path}`);
              expect(res.status, path).toBe(200);
              return res.json();
            };
            if (step.skills === 'catalog') {
              const all = await get('/skills');
              expect(all.count).toBe(2);
              expect(all.skills.map((s: { name: string }) => s.name)).toEqual(['fleet-ops', 'voyage-ops']);
              const fleet = await get('/skills/fleet-ops');
              expect(fleet.name).toBe('fleet-ops');
              expect(fleet.tools).toHaveLength(4);
              for (const t of fleet.tools) {
                expect(t.type).toBe('derived');
                expect(t.invocationRef.targetNamespace).toBe('shipyard-tools');
                expect(t.invocationRef.mode).toBe('mcp');
                nonBlank(t.invocationRef.action, 'invocationRef.action');
              }
            } else {
              const ops = await get('/skills/voyage-ops');
              expect(ops.tools).toHaveLength(2);
              expect(ops.tools.map((t: { name: string }) => t.name).sort()).toEqual(['create-voyage', 'get-voyage-manifest']);
            }
          });
        }
      }

      // --- step-specific ---------------------------------------------------------------------------
      if (mcpDecl.authentication) {
        it('MCP bearer authentication: the token from the secrets file is required (401 without it or with another)', async () => {
          expect(mcpDecl.authentication!.type).toBe('bearer');
          const before = (await mock.requests()).length;
          const url = new URL('/', mcpUrl()).href;
          const tool = step.tools[0]!;
          const none = await rawPost(url, { 'Content-Type': 'application/json' }, toolsCall(tool, {}));
          expect(none.status, none.text).toBe(401);
          expect(none.wwwAuthenticate).toMatch(/^Bearer\b/i);
          const wrong = await rawPost(url, { 'Content-Type': 'application/json', Authorization: 'Bearer sk-mcp-YYYYYYYYYYYY' }, toolsCall(tool, {}));
          expect(wrong.status, wrong.text).toBe(401);
          const alsoMcp = await rawPost(new URL('/mcp', mcpUrl()).href, { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, toolsCall(tool, {}));
          expect(alsoMcp.status, alsoMcp.text).toBe(401);
          expect((await mock.requests()).length, 'a refused call reaches no upstream').toBe(before);
        });
      }

      if (step.n === 11) {
        it('step 11: resolve-ship matches through the consumed output `imo-number` (MCP nested ship.*, REST flat ship*)', async () => {
          const viaMcp = (await ciMcpCall(mcpUrl(), 'get-voyage-manifest', { voyageId: 'VOY-2026-042' })) as Json;
          expect(viaMcp.ship).toEqual({ name: 'Northern Star', type: 'cargo', flag: 'NO' });
          expect(viaMcp.route).toEqual({ from: 'Oslo', to: 'Singapore' });
          expect(viaMcp.crew).toEqual([{ fullName: 'Erik Lindström', role: 'captain' }, { fullName: 'Aiko Tanaka', role: 'cook' }]);
          expect(viaMcp.cargo[0]).toMatchObject({ description: expect.any(String), weight: expect.any(Number), hazardous: expect.any(Boolean) });
          const rest = adapter(adapterOnPort(3002, 'rest').namespace).url;
          const viaRest = (await ciRestCall(rest, 'GET', '/voyages/VOY-2026-042/manifest', undefined)) as Json;
          expect(viaRest).toMatchObject({ shipName: 'Northern Star', shipType: 'cargo', shipFlag: 'NO', departurePort: 'Oslo', arrivalPort: 'Singapore' });
        });
      }

      if (step.n === 11) {
        it('step 11 control: without the consumed `imo-number` output, resolve-ship matches nothing (the name is not special-cased)', async () => {
          const file = prepareStep(step.file);
          const consumes = join(dirname(file), 'shared', 'step11-registry-consumes.yml');
          const text = readFileSync(consumes, 'utf8');
          const stripped = text.replace(/\n\s*outputParameters:\n\s*- name: imo-number\n\s*type: string\n\s*value: "\$\.imo_number"/, '');
          expect(stripped).not.toBe(text);
          writeFileSync(consumes, stripped);
          const control = await spawnCapstanRun(runArgs(file, doc, mock.base), { waitFor: requiredNamespaces(doc, SKILLS.supported), env: envWithoutBinds(), settleMs: 250 });
          try {
            const value = (await ciMcpCall(control.adapters.find((a) => a.type === 'mcp')!.url, 'get-voyage-manifest', { voyageId: 'VOY-2026-042' })) as Json;
            expect(value).not.toHaveProperty('ship');
            expect(value.crew).toHaveLength(2);
            // The tests.yml check `.ship | has("name")` then does not hold, as in the reference engine
            // (jq 1.6 answers false for `null | has(k)`; some builds raise an error instead).
            let holds: boolean;
            try {
              holds = jqHolds('.ship | has("name")', value).ok;
            } catch {
              holds = false;
            }
            expect(holds).toBe(false);
          } finally {
            await control.stop();
          }
        });
      }

      // --- secrets ---------------------------------------------------------------------------------
      it('bind secrets reached the mock: registry bearer + Registry-Version, dockyard X-Dock-Key (and nothing leaks across)', async () => {
        // Steps 7-11 have no tests.yml check that reaches the dockyard: call it once here.
        if (step.dockKey && step.tools.includes('list-legacy-vessels')) await ciMcpCall(mcpUrl(), 'list-legacy-vessels', {});
        const seen = await mock.requests();
        const registry = seen.filter((r) => r.path.startsWith(`${MOCK_PATHS.registry}/`));
        const legacy = seen.filter((r) => r.path.startsWith(`${MOCK_PATHS.legacy}/`));
        const header = (r: MockRequest, name: string): string | undefined => {
          const v = r.headers[name];
          return Array.isArray(v) ? v.join(', ') : v;
        };
        expect(registry.length + legacy.length, 'every upstream request went to a known API').toBe(seen.length);
        if (!step.registry) {
          expect(seen, 'a mock-mode step calls no upstream').toEqual([]);
          return;
        }
        expect(registry.length).toBeGreaterThan(0);
        for (const r of registry) {
          expect(header(r, 'authorization') ?? null, `${r.method} ${r.path} authorization`).toBe(step.registry.authorization);
          expect(header(r, 'registry-version') ?? null, `${r.method} ${r.path} registry-version`).toBe(step.registry.version);
          expect(header(r, 'x-dock-key'), `${r.method} ${r.path} carries no dockyard key`).toBeUndefined();
        }
        if (step.dockKey) {
          expect(legacy.length).toBeGreaterThan(0);
          for (const r of legacy) {
            expect(header(r, 'x-dock-key'), `${r.method} ${r.path} x-dock-key`).toBe(step.dockKey);
            expect(header(r, 'authorization'), `${r.method} ${r.path} carries no registry token`).toBeUndefined();
          }
        } else {
          expect(legacy).toEqual([]);
        }
      });

      it('no secret value appears in the output of `capstan run`', () => {
        const [stdout, stderr] = [run.stdout(), run.stderr()];
        for (const secret of Object.values(SECRETS)) {
          expect(stdout.includes(secret), `stdout shows ${secret}`).toBe(false);
          expect(stderr.includes(secret), `stderr shows ${secret}`).toBe(false);
        }
      });
    });
  }
});
