/**
 * The OpenAPI documents `capstan export openapi` writes for the three bundled capabilities pass
 * Redocly's `recommended` ruleset with no error (offline), and carry what generators need:
 * `security` and `summary` on every operation, problem+json error answers, open object schemas.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const REDOCLY = join(REPO_ROOT, 'node_modules', '.bin', 'redocly');
const SPECS = ['paragon-proxy', 'paragon-actionkit', 'composio-proxy'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: Record<string, Record<string, unknown>> };

function exported(spec: string, dir: string): { file: string; doc: Doc } {
  const file = join(dir, `${spec}.json`);
  const r = runCli(['export', 'openapi', `specs/${spec}.yaml`, '--format', 'json', '-o', file]);
  expect(r.code, r.stderr).toBe(0);
  return { file, doc: JSON.parse(readFileSync(file, 'utf8')) as Doc };
}

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string }>;
}

function lint(file: string): LintReport {
  const r = spawnSync(REDOCLY, ['lint', '--extends', 'recommended', '--format', 'json', file], {
    cwd: join(file, '..'),
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
    timeout: 60_000,
  });
  const start = r.stdout.indexOf('{');
  expect(start, `${r.stdout}\n${r.stderr}`).toBeGreaterThanOrEqual(0);
  return JSON.parse(r.stdout.slice(start)) as LintReport;
}

describe('exported OpenAPI documents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-oas-'));

  it.each(SPECS)('%s: Redocly lint (recommended) finds 0 errors', (spec) => {
    const report = lint(exported(spec, dir).file);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('the linter does fail a document that breaks a recommended rule (the check can fail)', () => {
    const { doc } = exported('composio-proxy', dir);
    const op = Object.values(doc.paths)[0]!.post!;
    delete op.security;
    delete (doc as { components: unknown }).components;
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(doc));
    expect(lint(broken).totals.errors).toBeGreaterThan(0);
  });

  it.each(SPECS)('%s: every operation has security, a summary and problem+json 400/401/404/502/504', (spec) => {
    const { doc } = exported(spec, dir);
    for (const item of Object.values(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const op = item[method]!;
        expect(Array.isArray(op.security)).toBe(true);
        expect(typeof op.summary === 'string' && op.summary.length > 0).toBe(true);
        const responses = op.responses as Record<string, { $ref?: string }>;
        for (const status of ['400', '401', '404', '502', '504']) expect(responses[status]?.$ref).toMatch(/^#\/components\/responses\//);
      }
    }
    const badRequest = doc.components.responses!.BadRequest as { content: Record<string, unknown> };
    expect(Object.keys(badRequest.content)).toEqual(['application/problem+json']);
  });

  it('object schemas without declared properties accept any properties', () => {
    const { doc } = exported('paragon-proxy', dir);
    const get = doc.paths['/projects/{projectId}/sdk/proxy/{integrationType}/{apiPath}']!.get!;
    const ok = (get.responses as Record<string, { content: Record<string, { schema: unknown }> }>)['200']!;
    expect(ok.content['application/json']!.schema).toEqual({ type: 'object', additionalProperties: true });
  });

  it('the proxy tail parameter says it may span segments, and the forwarded body is the request body itself', () => {
    const { doc } = exported('paragon-proxy', dir);
    const post = doc.paths['/projects/{projectId}/sdk/proxy/{integrationType}/{apiPath}']!.post!;
    const apiPath = (post.parameters as Array<Record<string, unknown>>).find((p) => p.name === 'apiPath')!;
    expect(apiPath).toMatchObject({ in: 'path', required: true, 'x-capstan-multi-segment': true, description: expect.stringContaining('%2F') });
    expect(post.requestBody).toEqual({ required: false, content: { 'application/json': { schema: { description: expect.stringContaining('as is') } } } });
  });
});
