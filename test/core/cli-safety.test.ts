/**
 * `capstan run` refuses what would send traffic (and credentials) somewhere unintended: unknown
 * `--upstream`/`--port` namespaces, empty bind values, a missing `--env-file`, two files on one
 * port; a bare-origin `--upstream` keeps the baseUri's path, one with a path replaces it; and an
 * adapter exposing bound credentials beyond loopback without inbound auth is warned about once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { REPO_ROOT, childEnv, runCliAsync } from '../helpers/cli.js';
import { startCapstan } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';

const SPECS = join(REPO_ROOT, 'specs');
const PARAGON = join(SPECS, 'paragon-proxy.yaml');
const COMPOSIO = join(SPECS, 'composio-proxy.yaml');
const ENV = { PARAGON_TOKEN: 'tok-9f8e7d6c', COMPOSIO_API_KEY: 'ck-5a4b3c2d', COMPOSIO_API_KEY_HEADER: 'x-user-api-key' };

let echo: EchoUpstream;
beforeAll(async () => {
  echo = await startEchoUpstream();
});
afterAll(async () => {
  await echo?.close();
});

const ports = (...namespaces: string[]) => namespaces.flatMap((ns) => ['--port', `${ns}=0`]);

describe('capstan run: overrides must name what exists', () => {
  it('an unknown namespace in --upstream NS=URL is an error naming it and the known ones; nothing starts', async () => {
    const r = await runCliAsync(['run', PARAGON, ...ports('paragon-rest', 'paragon-mcp'), '--upstream', `paragn=${echo.url}`], { env: childEnv(ENV) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--upstream paragn=');
    expect(r.stderr).toContain('no consumed namespace `paragn`');
    expect(r.stderr).toContain('`paragon`');
    expect(r.stdout).not.toMatch(/^rest /m);
  });

  it('an unknown namespace in --port NS=PORT is an error', async () => {
    const r = await runCliAsync(['run', PARAGON, '--port', 'paragon-rst=0', '--upstream', echo.url], { env: childEnv(ENV) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--port paragon-rst=0: no adapter `paragon-rst`');
  });

  it('a missing --env-file is a usage error (exit 2) naming the file', async () => {
    // `--` first, as `pnpm capstan` passes it: Node 20 would otherwise read `--env-file` itself and exit 9.
    const r = await runCliAsync(['--', 'run', PARAGON, '--env-file', '/nonexistent/capstan.env'], { env: childEnv(ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--env-file /nonexistent/capstan.env: no such file');
  });

  it('an empty bind value stops start-up naming the variable, never a value', async () => {
    const r = await runCliAsync(['run', PARAGON, ...ports('paragon-rest', 'paragon-mcp'), '--upstream', echo.url], { env: childEnv({ ...ENV, PARAGON_TOKEN: '' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('variable `PARAGON_TOKEN` is empty');
  });

  it('two files claiming one port: run names both files', async () => {
    const dir = tempSpecDir({ 'other.yaml': readFileSync(COMPOSIO, 'utf8').replace('port: 9092', 'port: 9090') });
    const r = await runCliAsync(['run', PARAGON, join(dir, 'other.yaml'), ...ports('paragon-rest', 'composio-rest'), '--upstream', echo.url], { env: childEnv(ENV) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('port 9090 is claimed by the mcp adapter `paragon-mcp`');
    expect(r.stderr).toContain(PARAGON);
    expect(r.stderr).toContain(join(dir, 'other.yaml'));
  });
});

describe('capstan run: --upstream base paths', () => {
  it.each([
    ['a bare origin keeps the baseUri path', '', '/api/v3/tools/execute/proxy'],
    ['a URL with a path replaces the baseUri whole', '/mock/v9', '/mock/v9/tools/execute/proxy'],
  ])('%s', async (_name, suffix, expected) => {
    const run = await startCapstan([COMPOSIO], { namespaces: ['composio-rest', 'composio-mcp'], env: ENV, upstream: { composio: `${echo.url}${suffix}` } });
    try {
      const res = await fetch(`${run.rest['composio-rest']}/api/v3/tools/execute/proxy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint: '/x', method: 'GET' }) });
      expect(res.status).toBe(200);
      const seen = echo.requests.at(-1)!;
      expect(seen.path).toBe(expected);
      // the other key header, chosen by the bind
      expect(seen.headers['x-user-api-key']).toBe(ENV.COMPOSIO_API_KEY);
      expect(seen.headers['x-api-key']).toBeUndefined();
    } finally {
      await run.stop();
    }
  });
});

describe('capstan run: bound credentials beyond loopback', () => {
  it('warns once on stderr when adapters without inbound auth listen beyond loopback', async () => {
    const run = await startCapstan([PARAGON], { namespaces: ['paragon-rest', 'paragon-mcp'], env: ENV, upstream: echo.url, args: ['--host', '0.0.0.0'] });
    await run.stop();
    const warnings = run.stderr().split('\n').filter((l) => l.includes('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('paragon-rest (0.0.0.0), paragon-mcp (0.0.0.0) listen beyond loopback without inbound authentication');
  });

  it('says nothing on loopback', async () => {
    const run = await startCapstan([PARAGON], { namespaces: ['paragon-rest', 'paragon-mcp'], env: ENV, upstream: echo.url });
    await run.stop();
    expect(run.stderr()).not.toContain('warning:');
  });
});

describe('validate: port clashes across files', () => {
  it('reports a clash between files with both files named (a warning: files validated together may never run together)', async () => {
    const dir = tempSpecDir({ 'other.yaml': readFileSync(COMPOSIO, 'utf8').replace('port: 9092', 'port: 9090') });
    const other = join(dir, 'other.yaml');
    const r = await runCliAsync(['validate', PARAGON, other]);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('[port-collision]'));
    expect(line).toMatch(/^.+other\.yaml:\d+:\d+: warning\[port-collision\]: if run together, port 9090 is claimed by the mcp adapter `paragon-mcp` \(.+paragon-proxy\.yaml\) and the mcp adapter `composio-mcp`/);
    writeFileSync(other, readFileSync(COMPOSIO, 'utf8'));
    expect((await runCliAsync(['validate', PARAGON, other])).stdout).not.toContain('port-collision');
  });
});
