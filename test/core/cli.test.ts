import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempSpec } from '../helpers/tmp.js';

const BAD = `naftiko: 1.0.0-alpha2
info:
  lable: Fleet
  description: x
capability:
  exposes:
    - type: mcp
      namespace: tools
      port: 3001
      tools:
        - name: hello
          description: Says hello
          outputParameters:
            - name: greeting
              type: string
              value: hello
`;

/** BAD with a tool whose `call` names nothing. */
const BAD_CALL = BAD.replace('          outputParameters:\n', '          call: registry.get-ship\n          outputParameters:\n');

describe('capstan validate', () => {
  it('passes the bundled specs', () => {
    const r = runCli(['validate', 'specs/paragon-proxy.yaml', 'specs/paragon-actionkit.yaml', 'specs/composio-proxy.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ specs/paragon-proxy.yaml: valid');
  });

  it('says once per capability that bodies are forwarded (info line)', () => {
    const r = runCli(['validate', 'specs/paragon-proxy.yaml']);
    expect(r.code).toBe(0);
    const infos = r.stdout.split('\n').filter((l) => l.includes('info['));
    expect(infos).toEqual([
      "specs/paragon-proxy.yaml:50:9: info[implicit-body]: `paragon.proxypostrequest`, `paragon.proxyputrequest`, `paragon.proxypatchrequest`, `paragon.proxycustompostrequest` send a body but declare none: Capstan forwards the caller's JSON body (REST: the request body as received; MCP: an optional `body` argument)",
    ]);
    // one line: no source excerpt under it
    expect(r.stdout).not.toMatch(/info\[implicit-body\].*\n\s+\d+ \|/);
    const json = runCli(['validate', '--format', 'json', 'specs/paragon-proxy.yaml']);
    expect(JSON.parse(json.stdout).filter((d: { code: string }) => d.code === 'implicit-body')).toEqual([expect.objectContaining({ severity: 'info', line: 50 })]);
  });

  it('reports schema and compiler findings in one pass: a typo in a key (a warning) does not hide a bad call (an error)', () => {
    const file = tempSpec(BAD_CALL);
    const r = runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:3:3: warning[unknown-key]: unknown key \`lable\` — did you mean \`label\`? in \`info\`; Capstan ignores this key`);
    expect(r.stdout).toContain('  3 |   lable: Fleet\n    |   ^^^^^');
    expect(r.stdout).toContain('  fix: rename `lable` to `label`');
    expect(r.stdout).toContain(`${file}:13:17: error[unknown-call-target]: \`call: registry.get-ship\` names no consumed namespace \`registry\``);
    expect(r.stdout).toContain(`✗ ${file}: 1 error, 1 warning`);
    const strict = runCli(['validate', '--strict', file]);
    expect(strict.stdout).toContain(`${file}:3:3: error[unknown-key]: unknown key \`lable\` — did you mean \`label\`? in \`info\`\n`);
    expect(strict.stdout).toContain(`✗ ${file}: 2 errors`);
  });

  it('prints one JSON object per diagnostic with --format json', () => {
    const file = tempSpec(BAD_CALL);
    const r = runCli(['validate', '--format', 'json', file]);
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as unknown[];
    expect(parsed).toEqual([
      {
        file, line: 3, column: 3, endLine: 3, endColumn: 8, severity: 'warning', code: 'unknown-key',
        message: expect.stringMatching(/^unknown key `lable` — did you mean `label`\? in `info`; Capstan ignores this key/),
        expected: expect.stringContaining('`label`'),
        fix: 'rename `lable` to `label`',
      },
      expect.objectContaining({ file, line: 13, column: 17, severity: 'error', code: 'unknown-call-target' }),
    ]);
  });

  it('groups warnings of one kind into one line with the count and first location; --verbose lists each', () => {
    const file = tempSpec(BAD.replace('  lable: Fleet\n', '  lable: Fleet\n  titel: x\n  labl: y\n'));
    const r = runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}:3:3: warning[unknown-key] ×3 (first here; --verbose lists each): unknown key \`lable\``);
    expect(r.stdout.match(/unknown-key/g)).toHaveLength(1);
    expect(r.stdout).toContain(`✓ ${file}: valid (3 warnings)`);
    const verbose = runCli(['validate', '--verbose', file]);
    expect(verbose.stdout.match(/warning\[unknown-key\]/g)).toHaveLength(3);
    expect(verbose.stdout).toContain(`${file}:5:3: warning[unknown-key]: unknown key \`labl\``);
  });

  it('makes de-facto forms errors under --strict', () => {
    const file = tempSpec(BAD.replace('lable', 'title'));
    expect(runCli(['validate', file]).code).toBe(0);
    const strict = runCli(['validate', '--strict', '--format', 'json', file]);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject([{ code: 'defacto-info-title', severity: 'error', line: 3, column: 3 }]);
  });

  it('exits 2 for an unreadable file', () => {
    const r = runCli(['validate', 'does/not/exist.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('cannot read the file: no such file');
  });

  it('exits 2 for unknown flags and missing arguments, with a usage hint', () => {
    const unknown = runCli(['validate', '--strcit', 'specs/paragon-proxy.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--strcit'");
    expect(unknown.stderr).toContain('capstan validate --help');
    expect(runCli(['validate']).code).toBe(2);
    expect(runCli(['validate', '--format', 'xml', 'specs']).code).toBe(2);
    expect(runCli(['frobnicate']).code).toBe(2);
  });

  it('documents every command and option in --help', () => {
    const main = runCli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('validate');
    const help = runCli(['validate', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--strict', '--format text|json', 'Exit status']) expect(help.stdout).toContain(option);
  });
});
