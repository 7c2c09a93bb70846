/**
 * `capstan run` refuses to start on a spec error (positioned diagnostics, exit 1, nothing
 * listening) and on a bind variable without a value (named, exit 1, no secret printed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempSpecDir } from '../helpers/tmp.js';
import { childEnv, runCliAsync } from '../helpers/cli.js';
import { refused } from '../helpers/http.js';
import { closedPort } from '../helpers/upstream.js';
import { SECRETS, SPECS } from './helpers.js';

const GOOD = `naftiko: 1.0.0-alpha2
info:
  label: Good
  description: A valid capability started next to a broken one.
capability:
  consumes:
  - type: http
    namespace: good-api
    baseUri: http://127.0.0.1:9
    resources:
    - name: ping
      path: /ping
      operations:
      - name: ping
        method: GET
  exposes:
  - type: rest
    namespace: good-rest
    port: 8080
    resources:
    - path: /ping
      name: ping
      operations:
      - method: GET
        name: ping
        call: good-api.ping
`;

describe('a spec error', () => {
  it('prints positioned diagnostics and exits 1 without starting the valid files either', async () => {
    const broken = GOOD.replace('good-api', 'bad-api').replace('call: good-api.ping', 'call: bad-api.ping').replace('good-rest', 'bad-rest').replace('      - method: GET\n        name: ping\n        call', '      - method: FETCH\n        name: ping\n        call');
    const dir = tempSpecDir({ 'good.yaml': GOOD, 'bad.yaml': broken });
    const line = broken.split('\n').findIndex((l) => l.includes('method: FETCH')) + 1;
    const goodPort = await closedPort();
    const badPort = await closedPort();
    const r = await runCliAsync(['run', dir, '--host', '127.0.0.1', '--port', `good-rest=${goodPort}`, '--port', `bad-rest=${badPort}`, '--log-level', 'warn'], { env: childEnv() });
    expect(r.code).toBe(1);
    const file = join(dir, 'bad.yaml');
    expect(r.stderr).toContain(`${file}:${line}:17: error[unsupported-method]: Capstan cannot serve \`FETCH /ping\``);
    expect(r.stderr).toContain(`${line} |       - method: FETCH`);
    expect(r.stderr).toMatch(/\|\s+\^{5}\n/);
    expect(r.stderr).toContain('fix: ');
    expect(r.stderr).toContain('capstan run: 1 error in the capability files; nothing was started');
    expect(r.stdout).not.toMatch(/^(rest|mcp) /m);
    expect(await refused(goodPort)).toBe(true);
    expect(await refused(badPort)).toBe(true);
  });

  it('a YAML syntax error is positioned too', async () => {
    const dir = tempSpecDir({ 'syntax.yaml': 'naftiko: 1.0.0-alpha2\ninfo:\n  label: X\n  description: Y\ncapability:\n  exposes:\n  - type: rest\n    port: 8080\n   namespace: x\n' });
    const r = await runCliAsync(['run', join(dir, 'syntax.yaml'), '--host', '127.0.0.1', '--log-level', 'warn'], { env: childEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${join(dir, 'syntax.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:\\d+: error\\[`));
    expect(r.stderr).toContain('nothing was started');
    expect(r.stdout).toBe('');
  });

  it('a capability that declares nothing to run is an error (as in the reference engine), and one that exposes nothing says so instead of exiting without a word', async () => {
    const empty = 'naftiko: 1.0.0-alpha2\ninfo:\n  label: X\n  description: Y\ncapability:\n  workflow: {name: w}\n';
    const consumesOnly = GOOD.slice(0, GOOD.indexOf('  exposes:'));
    const dir = tempSpecDir({ 'empty.yaml': empty, 'consumes-only.yaml': consumesOnly });
    const validate = await runCliAsync(['validate', join(dir, 'empty.yaml')], { env: childEnv() });
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/empty\.yaml:5:1: error\[nothing-to-run\]: `capability` declares no `exposes`, `consumes` or `aggregates`/);
    const run = await runCliAsync(['run', join(dir, 'consumes-only.yaml'), '--host', '127.0.0.1', '--log-level', 'warn'], { env: childEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('capstan run: the files expose no adapter, so there is nothing to serve');
  });
});

describe('a bind variable without a value', () => {
  it('exits 1 naming the variable and its bind, printing no secret', async () => {
    const { PARAGON_TOKEN: _missing, ...others } = SECRETS;
    const ports = ['paragon-rest', 'paragon-mcp', 'actionkit-rest', 'actionkit-mcp', 'composio-rest', 'composio-mcp'].flatMap((ns) => ['--port', `${ns}=0`]);
    const files = ['paragon-actionkit.yaml', 'composio-proxy.yaml', 'paragon-proxy.yaml'].map((f) => join(SPECS, f));
    const r = await runCliAsync(['run', ...files, '--host', '127.0.0.1', ...ports, '--log-level', 'warn'], { env: childEnv(others) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('capstan run: bind `env`: variable `PARAGON_TOKEN` has no value');
    expect(r.stdout).not.toMatch(/^(rest|mcp) /m);
    for (const secret of Object.values(others)) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });

  it('also for the secret of an inbound authentication', async () => {
    const text = GOOD.replace('capability:\n', "binds:\n- namespace: env\n  description: Inbound token.\n  keys:\n    REST_TOKEN: REST_TOKEN\ncapability:\n").replace("    port: 8080\n", "    port: 8080\n    authentication:\n      type: bearer\n      token: '{{REST_TOKEN}}'\n");
    const dir = tempSpecDir({ 'auth.yaml': text });
    expect(readFileSync(join(dir, 'auth.yaml'), 'utf8')).toContain('{{REST_TOKEN}}');
    const r = await runCliAsync(['run', join(dir, 'auth.yaml'), '--host', '127.0.0.1', '--port', 'good-rest=0', '--log-level', 'warn'], { env: childEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('variable `REST_TOKEN` has no value');
    expect(r.stdout).not.toMatch(/^rest /m);
  });
});
