/** `capstan lint` on the command line: formats, exit codes, fail severity and custom rulesets. */
import { describe, expect, it, vi } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { at, variant } from './lint-fixture.js';

// Each test runs the CLI several times; leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const WARNING_ONLY = variant((d) => delete at.consumed(d).description); // naftiko-consumes-description (warn)
const WITH_ERROR = variant((d) => (at.mcp(d).namespace = 'weather')); // naftiko-namespaces-unique (error)

describe('capstan lint', async () => {
  const dir = tempSpecDir({
    'clean.yaml': variant(),
    'warn/cap.yaml': WARNING_ONLY,
    'error/cap.yaml': WITH_ERROR,
    'bad.yaml': 'naftiko: 1.0.0-alpha2\ninfo:\n  label: [unclosed\n',
    'house-rules.yaml': [
      'rules:',
      '  naftiko-consumes-description: error',
      '  capstan-output-shaped: off',
      '  house-tool-label:',
      '    description: Tools carry a label.',
      '    message: tool should have a `label`',
      '    severity: warn',
      "    given: \"$.capability.exposes[?(@.type == 'mcp')].tools[*]\"",
      '    then:',
      '      field: label',
      '      function: truthy',
      '',
    ].join('\n'),
    'broken-rules.yaml': 'rules:\n  x:\n    given: $\n    then:\n      function: nonsense\n',
  });

  it('prints positioned findings naming their rule; exit 0 below the fail severity, 1 at it', async () => {
    const warn = await runCliAsync(['lint', `${dir}/warn/cap.yaml`]);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toMatch(/cap\.yaml:\d+:\d+: warning\[naftiko-consumes-description\]: /);
    expect(warn.stdout).toMatch(/\| +- type: http\n/);
    expect((await runCliAsync(['lint', `${dir}/warn/cap.yaml`, '--fail-severity', 'warn'])).code).toBe(1);
    const error = await runCliAsync(['lint', `${dir}/error/cap.yaml`]);
    expect(error.code).toBe(1);
    expect(error.stdout).toContain('error[naftiko-namespaces-unique]');
    expect((await runCliAsync(['lint', `${dir}/clean.yaml`])).code).toBe(0);
  });

  it('--format json is an array of findings with rule and position; sarif names every rule', async () => {
    const json = JSON.parse((await runCliAsync(['lint', `${dir}/error/cap.yaml`, '--format', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(json).toContainEqual(expect.objectContaining({ rule: 'naftiko-namespaces-unique', severity: 'error', line: expect.any(Number), column: expect.any(Number) }));
    const sarif = JSON.parse((await runCliAsync(['lint', `${dir}/error/cap.yaml`, '--format', 'sarif'])).stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('capstan-no-inline-secrets');
    expect(run.results[0]).toMatchObject({ ruleId: 'naftiko-namespaces-unique', level: 'error' });
    expect(run.results[0].locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
  });

  it('a custom ruleset extends Capstan: new rules run, severities change, rules turn off', async () => {
    const out = await runCliAsync(['lint', `${dir}/warn/cap.yaml`, '--ruleset', `${dir}/house-rules.yaml`, '--format', 'json']);
    const rules = (JSON.parse(out.stdout) as Array<{ rule: string; severity: string }>).map((f) => `${f.rule}:${f.severity}`);
    expect(rules).toContain('naftiko-consumes-description:error');
    expect(rules).toContain('house-tool-label:warning');
    expect(out.code).toBe(1);
    const shaped = variant((d) => (at.tool(d).outputParameters = [{ type: 'object', mapping: '$.' }]));
    const dir2 = tempSpecDir({ 'cap.yaml': shaped });
    expect((await runCliAsync(['lint', `${dir2}/cap.yaml`, '--format', 'json'])).stdout).toContain('capstan-output-shaped');
    expect((await runCliAsync(['lint', `${dir2}/cap.yaml`, '--ruleset', `${dir}/house-rules.yaml`, '--format', 'json'])).stdout).not.toContain('capstan-output-shaped');
  });

  it('exit 2 for usage errors, unreadable files and unusable rulesets; YAML errors are findings', async () => {
    expect((await runCliAsync(['lint'])).code).toBe(2);
    expect((await runCliAsync(['lint', `${dir}/clean.yaml`, '--format', 'xml'])).code).toBe(2);
    expect((await runCliAsync(['lint', `${dir}/clean.yaml`, '--fail-severity', 'fatal'])).code).toBe(2);
    expect((await runCliAsync(['lint', `${dir}/missing.yaml`])).code).toBe(2);
    const broken = await runCliAsync(['lint', `${dir}/clean.yaml`, '--ruleset', `${dir}/broken-rules.yaml`]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('unknown function `nonsense`');
    const bad = await runCliAsync(['lint', `${dir}/bad.yaml`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad\.yaml:\d+:\d+: error\[parser\]/);
  });

  it('lints a folder: every YAML file in it', async () => {
    const out = await runCliAsync(['lint', dir, '--format', 'json']);
    const files = new Set((JSON.parse(out.stdout) as Array<{ file: string }>).map((f) => f.file));
    expect([...files].some((f) => f.endsWith('bad.yaml'))).toBe(true);
  });
});
