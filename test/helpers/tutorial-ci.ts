/**
 * The reference tutorial CI (`tests.yml` of `../shared/tutorial` and `../shared/ikanos-tutorial`),
 * reproduced against `capstan run`: each step file runs from a temp copy of its folder (with a
 * `shared/secrets.yaml` of distinctive values), the local mock APIs stand in for the hosted ones,
 * and each check is sent exactly as that CI sends it (MCP: a bare `tools/call` POST to `/` with
 * only `Content-Type` and `Authorization: Bearer`; REST: a plain HTTP call), its `jq:` lines
 * evaluated by `../conformance/jq.ts`. Shared by the alpha2 and the beta5 tutorial suites.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { jqHolds, JqSyntaxError } from '../conformance/jq.js';
import { REPO_ROOT } from './cli.js';
import { raw } from './http.js';
import { MOCK_PATHS, startTutorialMock, type TutorialMock } from './tutorial.js';

// `yaml` is a dependency of @capstan/spec; resolve it from there.
export const { parse: parseYaml } = createRequire(join(REPO_ROOT, 'packages', 'spec', 'package.json'))('yaml') as { parse(text: string): unknown };

/** Distinctive values for `shared/secrets.yaml` (the CI creates this file; the repo's copy is a placeholder). */
export const SECRETS = {
  'registry-bearer-token': 'reg-tok-4f9c2e81-capstan',
  'registry-api-version': 'regver-7d3a-capstan',
  'dockyard-api-key': 'dock-key-b51e06a3-capstan',
  'mcp-server-token': 'sk-mcp-9e27c4d0-capstan',
} as const;
export const MCP_TOKEN = SECRETS['mcp-server-token'];

/** One check of `tests.yml`. */
export interface CiCheck {
  name: string;
  type?: 'mcp' | 'rest';
  file: string;
  port: number;
  tool?: string;
  args?: Record<string, unknown>;
  method?: string;
  path?: string;
  body?: unknown;
  validations: Array<{ jq: string }>;
}

/**
 * Starts the tutorial mock APIs before the enclosing suite and stops them after it, removing the
 * temp folders listed in `tempDirs`; returns a getter for the running mock.
 */
export function useTutorialMock(tempDirs: string[]): () => TutorialMock {
  let mock: TutorialMock | undefined;
  beforeAll(async () => {
    mock = await startTutorialMock();
  }, 15_000);
  afterAll(async () => {
    await mock?.stop();
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    if (!mock) throw new Error('the tutorial mock is not running');
    return mock;
  };
}

/** The checks of a tutorial folder's `tests.yml`. */
export function readChecks(tutorialDir: string): CiCheck[] {
  return (parseYaml(readFileSync(join(tutorialDir, 'tests.yml'), 'utf8')) as { tests: CiCheck[] }).tests;
}

/** What the CI helpers need to know of a step file: its adapters and consumed namespaces (either generation). */
export interface StepOutline {
  exposes: Array<{ type: string; namespace: string; port?: number; address?: string; authentication?: { type: string } }>;
  consumes: Array<{ namespace?: string; import?: string; as?: string }>;
}

/** The adapters and consumed namespaces of a step file, from `capability` and from the root (beta5). */
export function outlineStep(file: string): StepOutline {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { capability?: Partial<StepOutline> } & Partial<StepOutline>;
  return {
    exposes: [...(doc.exposes ?? []), ...(doc.capability?.exposes ?? [])],
    consumes: [...(doc.consumes ?? []), ...(doc.capability?.consumes ?? [])],
  };
}

/**
 * Copies a step file and its `shared/` folder into a temp folder (recorded in `tempDirs`), with
 * our `shared/secrets.yaml`. The files bind their adapters to `address: "0.0.0.0"` (for Docker),
 * and `--host` only applies to adapters without an `address`; the suites listen on 127.0.0.1
 * only, so that one value is rewritten in the copy. Nothing else of the step file is changed.
 */
export function prepareStep(capsDir: string, file: string, tempDirs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-tutorial-'));
  tempDirs.push(dir);
  mkdirSync(join(dir, 'shared'));
  for (const f of readdirSync(join(capsDir, 'shared'))) writeFileSync(join(dir, 'shared', f), readFileSync(join(capsDir, 'shared', f)));
  writeFileSync(join(dir, 'shared', 'secrets.yaml'), Object.entries(SECRETS).map(([k, v]) => `${k}: "${v}"\n`).join(''));
  const text = readFileSync(join(capsDir, file), 'utf8');
  const declared = outlineStep(join(capsDir, file)).exposes.filter((e) => e.address === '0.0.0.0').length;
  let rewritten = 0;
  const local = text.replace(/^(\s*address:\s*)"0\.0\.0\.0"/gm, (_m, lead: string) => {
    rewritten++;
    return `${lead}"127.0.0.1"`;
  });
  if (rewritten !== declared) throw new Error(`${file}: rewrote ${rewritten} addresses, expected ${declared}`);
  writeFileSync(join(dir, file), local);
  return join(dir, file);
}

/** The environment of the child: without the bind variables, so the values can only come from the secrets file. */
export function envWithoutBinds(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['REGISTRY_TOKEN', 'REGISTRY_VERSION', 'MCP_SERVER_TOKEN', 'DOCKYARD_API_KEY']) delete env[k];
  return env;
}

/** `capstan run` arguments: every adapter on a free port, every consumed namespace on the mock. */
export function runArgs(file: string, outline: StepOutline, mockBase: string): string[] {
  const args = [file, '--host', '127.0.0.1', '--log-level', 'warn'];
  for (const e of outline.exposes) args.push('--port', `${e.namespace}=0`);
  for (const c of outline.consumes) {
    const ns = c.as ?? c.namespace ?? c.import!;
    const path = MOCK_PATHS[ns];
    if (!path) throw new Error(`no mock path for consumed namespace ${ns}`);
    args.push('--upstream', `${ns}=${mockBase}${path}`);
  }
  return args;
}

/** A raw HTTP POST sending exactly the given headers (plus Host, Content-Length and Connection), like the CI's curl. */
export async function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; contentType: string; wwwAuthenticate: string; text: string }> {
  const { origin, pathname, search } = new URL(url);
  const res = await raw(origin, 'POST', `${pathname}${search}`, { headers, body });
  return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), wwwAuthenticate: String(res.headers['www-authenticate'] ?? ''), text: res.body };
}

/** A JSON-RPC `tools/call` body. */
export const toolsCall = (tool: string, args: Record<string, unknown>): string => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } });

/** The CI's MCP call: POST `/`, bearer + JSON content type only, no initialize; returns the parsed `content[0].text`. */
export async function ciMcpCall(mcpUrl: string, tool: string, args: Record<string, unknown>): Promise<unknown> {
  const res = await rawPost(new URL('/', mcpUrl).href, { 'Content-Type': 'application/json', Authorization: `Bearer ${MCP_TOKEN}` }, toolsCall(tool, args));
  expect(res.status, res.text).toBe(200);
  expect(res.contentType, 'a JSON answer (the CI pipes it to jq)').toMatch(/^application\/json/);
  const msg = JSON.parse(res.text) as { error?: unknown; result: { isError?: boolean; content: Array<{ text: string }> } };
  expect(msg.error, res.text).toBeUndefined();
  expect(msg.result.isError ?? false, res.text).toBe(false);
  return JSON.parse(msg.result.content[0]!.text);
}

/** The CI's REST call (curl): the body as JSON when there is one. */
export async function ciRestCall(baseUrl: string, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return JSON.parse(text);
}

/** Every `jq:` line of `check` must hold on `value`; the failing ones are listed together. */
export function assertJq(check: CiCheck, value: unknown): void {
  const failed: string[] = [];
  for (const { jq } of check.validations) {
    let outcome: string;
    try {
      const r = jqHolds(jq, value);
      if (r.ok) continue;
      outcome = `gave ${JSON.stringify(r.outputs)}`;
    } catch (err) {
      if (err instanceof JqSyntaxError) throw err;
      outcome = `raised ${(err as Error).message}`;
    }
    failed.push(`  ${jq}  ${outcome}`);
  }
  expect(failed, `${check.name}: failing jq checks on ${JSON.stringify(value)}`).toEqual([]);
}
