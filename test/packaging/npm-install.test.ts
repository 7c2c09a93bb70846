/**
 * The CLI as one npm package: `deploy/pack.mjs` bundles the workspace, `npm pack` makes the
 * tarball, `npm i -g` installs it into a temporary prefix (third-party dependencies from the npm
 * registry or its cache), and the installed `capstan` prints its version and serves the bundled
 * Paragon Proxy capability against a local upstream.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { until } from '../helpers/wait.js';

const work = mkdtempSync(join(tmpdir(), 'capstan-pack-'));
const prefix = join(work, 'prefix');
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
let upstream: Upstream | undefined;

afterAll(() => upstream?.close());

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' }, timeout: 240_000 });

describe('npm package', () => {
  it('packs, installs globally into a temp prefix, prints its version and serves a bundled spec', async () => {
    const pkg = execFileSync(process.execPath, [join(REPO_ROOT, 'deploy/pack.mjs'), join(work, 'pkg')], { encoding: 'utf8' }).trim();
    npm(['pack', '--pack-destination', work], pkg);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    expect(tarball).toBe(`capstan-${version}.tgz`);
    npm(['install', '-g', '--prefer-offline', '--prefix', prefix, join(work, tarball)], work);
    const bin = join(prefix, 'bin', 'capstan');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    // Both generations' schema sources ship beside the bundle and are found from it.
    for (const generation of ['alpha2', 'beta5']) {
      const schema = JSON.parse(execFileSync(bin, ['schema', '--generation', generation], { encoding: 'utf8' })) as { $id: string };
      expect(schema.$id).toMatch(generation === 'alpha2' ? /naftiko-1\.0\.0-alpha2/ : /ikanos-1\.0\.0-beta5/);
    }

    upstream = await startUpstream();
    const spec = join(prefix, 'lib', 'node_modules', 'capstan', 'specs', 'paragon-proxy.yaml');
    const child = spawn(bin, ['run', spec, '--host', '127.0.0.1', '--port', 'paragon-rest=0', '--port', 'paragon-mcp=0', '--upstream', upstream.url], {
      cwd: work, env: { PATH: process.env.PATH ?? '', PARAGON_TOKEN: 'pack-test-token' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until(() => /^rest\s+paragon-rest\s+http:\/\/\S+$/m.test(err), 30_000);
      const base = /^rest\s+paragon-rest\s+(http:\/\/\S+)$/m.exec(err)![1]!;
      const res = await fetch(`${base}/projects/p1/sdk/proxy/slack/api/chat.postMessage?channel=general`);
      expect(res.status).toBe(200);
      const seen = upstream.seen.at(-1)!;
      expect(seen.url).toMatch(/^\/projects\/p1\/sdk\/proxy\/slack\/.*chat\.postMessage\?channel=general$/);
      expect(seen.headers.authorization).toBe('Bearer pack-test-token');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 300_000);
});
