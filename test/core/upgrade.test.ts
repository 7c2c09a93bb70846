/**
 * `capstan upgrade`: alpha2 ⇄ beta5 rewriting. Each alpha2 tutorial step (with its shared
 * consumes files) becomes beta5 and back, and all three compile to the same operation graph;
 * comments survive; what alpha2 cannot hold is removed and reported.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec, upgradeDocument } from '@capstan/spec';
import { runCli } from '../helpers/cli.js';
import { graphShape } from '../helpers/graph-shape.js';
import { HAVE_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { tempSpec, tempSpecDir } from '../helpers/tmp.js';

const ALPHA2_CAPS = join(SHARED_DIR, 'tutorial', 'capabilities');

describe.skipIf(!HAVE_SHARED)('upgrade round trip over the alpha2 tutorial (../shared/tutorial)', () => {
  const steps = HAVE_SHARED ? readdirSync(ALPHA2_CAPS).filter((f) => /^step-\d+-.*\.yml$/.test(f)) : [];

  it('each step → beta5 → alpha2 with `capstan upgrade`: the same graph at every stage', () => {
    expect(steps).toHaveLength(11);
    const dir = tempSpecDir({});
    cpSync(ALPHA2_CAPS, dir, { recursive: true });
    const yamlFiles = (): string[] => [...steps.map((s) => join(dir, s)), ...readdirSync(join(dir, 'shared')).filter((f) => /consumes\.ya?ml$/.test(f)).map((f) => join(dir, 'shared', f))];
    const original = new Map(steps.map((s) => [s, graphShape(checkSpec(join(dir, s)).graph!)]));

    const up = runCli(['upgrade', '--to', 'beta5', ...yamlFiles()]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.match(/alpha2 → beta5/g)).toHaveLength(yamlFiles().length);
    for (const s of steps) {
      const text = readFileSync(join(dir, s), 'utf8');
      expect(text, 'the document start marker and quoting are kept').toMatch(/^(---\n)?ikanos: "1\.0\.0-beta5"/);
      expect(text, s).not.toMatch(/^\s*-\s+name:/m);
      const beta5 = checkSpec(join(dir, s));
      expect(beta5.diagnostics.filter((d) => d.severity === 'error'), s).toEqual([]);
      expect(beta5.loaded.generation).toBe('beta5');
      expect(graphShape(beta5.graph!), `${s} as beta5`).toEqual(original.get(s));
    }

    const down = runCli(['upgrade', '--to', 'alpha2', ...yamlFiles()]);
    expect(down.code, down.stderr).toBe(0);
    for (const s of steps) {
      const alpha2 = checkSpec(join(dir, s));
      expect(alpha2.loaded.generation).toBe('alpha2');
      expect(graphShape(alpha2.graph!), `${s} back in alpha2`).toEqual(original.get(s));
    }
  });

  it('the upgraded tutorial steps validate with the same strict verdicts as before', () => {
    for (const s of steps) {
      const before = checkSpec(join(ALPHA2_CAPS, s), { strict: true }).diagnostics.filter((d) => d.severity === 'error').length;
      const beta5 = upgradeDocument(readFileSync(join(ALPHA2_CAPS, s), 'utf8'));
      expect(beta5.notes, s).toEqual([]);
      if (before === 0) expect(checkSpec(tempSpec(beta5.text, s), { strict: true }).diagnostics.filter((d) => d.code !== 'import-not-found' && d.severity === 'error'), s).toEqual([]);
    }
  });
});

describe('upgrade keeps the author\'s text where the shape allows', () => {
  const ALPHA2 = `naftiko: "1.0.0-alpha2"
# The fleet capability.
info:
  label: Fleet
  description: Ships.
capability:
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        # Lists every ship.
        - name: list-ships
          label: List ships
          description: 'List ships.'
          call: registry.list-ships
          inputParameters:
            - name: status # active, laid_up
              type: string
              description: Status filter.
  consumes:
    - namespace: registry
      baseUri: https://registry.example.com
      type: http
      resources:
        # The ship list.
        - name: ships
          path: /ships
          operations: [{ name: list-ships, method: GET }]
`;

  it('comments, quoting and key order survive alpha2 → beta5 → alpha2', () => {
    const beta5 = upgradeDocument(ALPHA2);
    expect(beta5).toMatchObject({ from: 'alpha2', to: 'beta5', changed: true, notes: [] });
    expect(beta5.text).toContain('ikanos: "1.0.0-beta5"');
    expect(beta5.text).toContain('# The fleet capability.');
    expect(beta5.text).toMatch(/# Lists every ship\.\n\s+list-ships:\n\s+display: List ships\n\s+description: 'List ships\.'/);
    expect(beta5.text).toMatch(/status: # active, laid_up|status: +# active, laid_up/);
    expect(beta5.text).toMatch(/resources:\n\s+# The ship list\.\n\s+ships:\n\s+path: \/ships\n\s+operations: \{ list-ships: \{ method: GET \} \}/);
    const back = upgradeDocument(beta5.text);
    expect(back).toMatchObject({ from: 'beta5', to: 'alpha2', changed: true, notes: [] });
    expect(back.text).toContain('naftiko: "1.0.0-alpha2"');
    expect(back.text).toContain('# Lists every ship.');
    expect(back.text).toContain('# active, laid_up');
    expect(back.text).toMatch(/- name: list-ships\n\s+label: List ships/);
    expect(graphShape(checkSpec(tempSpec(back.text)).graph!)).toEqual(graphShape(checkSpec(tempSpec(ALPHA2)).graph!));
  });

  it('a document already in the target generation is left alone', () => {
    expect(upgradeDocument(ALPHA2, 'alpha2')).toMatchObject({ changed: false, text: ALPHA2 });
  });

  it('going to alpha2 removes beta-only keys and says so; --dry-run writes nothing', () => {
    const beta5 = upgradeDocument(ALPHA2).text
      .replace('      namespace: tools\n', '      namespace: tools\n      cacheScope: public\n      ttlMs: 5000\n')
      .replace("          description: 'List ships.'\n", "          description: 'List ships.'\n          tags: [fleet]\n");
    const file = tempSpec(beta5, 'cap.yml');
    const dry = runCli(['upgrade', '--dry-run', file]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(beta5);
    expect(dry.stdout).toContain('naftiko: "1.0.0-alpha2"');
    expect(dry.stdout).not.toMatch(/cacheScope|ttlMs|tags:/);
    expect(dry.stderr).toContain('`exposes.tools.cacheScope`: not representable in alpha2; removed');
    expect(dry.stderr).toContain('`exposes.tools.list-ships.tags`: not representable in alpha2; removed');
  });

  it('a file that is not a capability document is refused with exit 1', () => {
    const r = runCli(['upgrade', tempSpec('just: data\n', 'x.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a capability document/);
  });
});
