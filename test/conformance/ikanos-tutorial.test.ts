/**
 * The reference project's current tutorial (Ikanos 1.0.0-beta5, `../shared/ikanos-tutorial`) as
 * an acceptance suite, end to end through `capstan run`.
 *
 * For each step that its CI checks, the step file and its `shared/` folder run from a temp copy
 * (with a `shared/secrets.yaml` of distinctive values) against the local mock APIs of
 * `../shared/tutorial/mock-apis/serve.mjs`, and every check of its `tests.yml` is sent as that CI
 * sends it, its `jq:` lines evaluated on the answer (see ../helpers/tutorial-ci.ts). Beside the
 * checks: the MCP bearer is enforced, bind secrets reach the mock, and none is printed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCapstanRun, type CapstanRun } from '../helpers/process.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { MOCK_PATHS } from '../helpers/tutorial.js';
import {
  assertJq, ciMcpCall, ciRestCall, envWithoutBinds, outlineStep, prepareStep, rawPost, readChecks, runArgs, SECRETS, toolsCall, useTutorialMock,
} from '../helpers/tutorial-ci.js';

const IKANOS_TUTORIAL = join(SHARED_DIR, 'ikanos-tutorial');
const CAPS = join(IKANOS_TUTORIAL, 'capabilities');
const PRESENT = HAVE_SHARED && existsSync(join(IKANOS_TUTORIAL, 'tests.yml'));
if (HAVE_SHARED && !PRESENT) console.warn(`[capstan tests] ${IKANOS_TUTORIAL} is absent: the Ikanos beta5 tutorial suite is skipped`);

const CHECKS = PRESENT ? readChecks(IKANOS_TUTORIAL) : [];
const STEP_FILES = [...new Set(CHECKS.map((c) => c.file))];

describe.skipIf(!PRESENT)('Ikanos 1.0.0-beta5 tutorial through `capstan run` (its CI checks, sent as that CI sends them)', () => {
  const tempDirs: string[] = [];
  const mock = useTutorialMock(tempDirs);

  it('tests.yml: all checks, on beta5 step files, each with validations', () => {
    expect(CHECKS.length).toBe(33);
    for (const file of STEP_FILES) expect(existsSync(join(CAPS, file)), file).toBe(true);
    expect(readdirSync(CAPS).filter((f) => /^step-\d+-.*\.yml$/.test(f)).length).toBe(11);
    for (const c of CHECKS) expect(c.validations.length, c.name).toBeGreaterThan(0);
  });

  for (const file of STEP_FILES) {
    describe(file, () => {
      const outline = outlineStep(join(CAPS, file));
      let run: CapstanRun;
      const urlOf = (port: number, type?: string): string => {
        const decl = outline.exposes.find((e) => e.port === port && (!type || e.type === type));
        if (!decl) throw new Error(`${file} declares no ${type ?? ''} adapter on port ${port}`);
        const printed = run.adapters.find((a) => a.namespace === decl.namespace);
        if (!printed) throw new Error(`capstan run printed no line for ${decl.namespace}: ${run.stdout()}`);
        return printed.url;
      };

      beforeAll(async () => {
        await mock().clear();
        const copy = prepareStep(CAPS, file, tempDirs);
        run = await spawnCapstanRun(runArgs(copy, outline, mock().base), { waitFor: outline.exposes.map((e) => e.namespace), env: envWithoutBinds(), settleMs: 250 });
      }, 30_000);

      afterAll(async () => {
        await run?.stop();
      });

      for (const check of CHECKS.filter((c) => c.file === file)) {
        const kind = check.type ?? 'mcp';
        it(`tests.yml ${check.name} (${kind === 'mcp' ? `tools/call ${check.tool}` : `${check.method ?? 'GET'} ${check.path}`})`, async () => {
          const value = kind === 'mcp'
            ? await ciMcpCall(urlOf(check.port, 'mcp'), check.tool!, check.args ?? {})
            : await ciRestCall(urlOf(check.port), check.method ?? 'GET', check.path!, check.body);
          assertJq(check, value);
        });
      }

      it('bind secrets reached the mock and no secret value is printed', async () => {
        const seen = await mock().requests();
        const registry = seen.filter((r) => r.path.startsWith(`${MOCK_PATHS.registry}/`));
        const usesBoundRegistry = outline.consumes.length > 0 && !file.startsWith('step-2-') && !file.startsWith('step-11-');
        if (usesBoundRegistry) {
          expect(registry.length).toBeGreaterThan(0);
          for (const r of registry) expect(r.headers.authorization, `${r.method} ${r.path}`).toBe(`Bearer ${SECRETS['registry-bearer-token']}`);
        }
        for (const secret of Object.values(SECRETS)) {
          expect(run.stdout().includes(secret), `stdout shows ${secret}`).toBe(false);
          expect(run.stderr().includes(secret), `stderr shows ${secret}`).toBe(false);
        }
      });

      if (outline.exposes.some((e) => e.type === 'mcp' && e.authentication)) {
        it('the MCP bearer from the secrets file is required (401 without it)', async () => {
          const mcp = outline.exposes.find((e) => e.type === 'mcp' && e.authentication)!;
          const res = await rawPost(new URL('/', urlOf(mcp.port!, 'mcp')).href, { 'Content-Type': 'application/json' }, toolsCall('list-ships', {}));
          expect(res.status, res.text).toBe(401);
        });
      }
    });
  }
});
