/**
 * A client generated from each exported OpenAPI document (openapi-typescript types +
 * openapi-fetch), type-checked with tsc, calls the running gateway: bodies reach the upstream
 * unwrapped (a whole-body input is the request body itself) and a proxy `apiPath` with slashes,
 * which the generated client sends as `%2F`, reaches the upstream as a multi-segment path.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoUpstream } from '../../scripts/mock-upstream.mjs';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { SECRETS, SPECS } from './helpers.js';

/** The calls, written against the generated types: tsc refuses them if the document is wrong. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths as Paragon } from './paragon-proxy.js';
import type { paths as ActionKit } from './paragon-actionkit.js';
import type { paths as Composio } from './composio-proxy.js';

export async function callParagon(baseUrl: string): Promise<number[]> {
  const client = createClient<Paragon>({ baseUrl });
  const post = await client.POST('/projects/{projectId}/sdk/proxy/{integrationType}/{apiPath}', {
    params: { path: { projectId: 'p1', integrationType: 'slack', apiPath: 'api/chat.postMessage' } },
    body: { channel: 'C1', text: 'from a generated client' },
  });
  const get = await client.GET('/projects/{projectId}/sdk/proxy/custom/{integrationId}/{apiPath}', {
    params: { path: { projectId: 'p1', integrationId: 'int-42', apiPath: 'v1/items/7' } },
  });
  return [post.response.status, get.response.status];
}

export async function callActionKit(baseUrl: string): Promise<number[]> {
  const client = createClient<ActionKit>({ baseUrl });
  const list = await client.GET('/projects/{projectId}/actions', { params: { path: { projectId: 'p1' }, query: { format: 'openai', limit_to_available: false } } });
  const tool = await client.POST('/projects/{projectId}/tools', { params: { path: { projectId: 'p1' } }, body: { tool: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C1', text: 'hi' } } });
  const named = await client.POST('/projects/{projectId}/actions/{action}', { params: { path: { projectId: 'p1', action: 'SLACK_SEND_MESSAGE' } }, body: { channelId: 'C2', text: 'whole body' } });
  return [list.response.status, tool.response.status, named.response.status];
}

export async function callComposio(baseUrl: string): Promise<number[]> {
  const client = createClient<Composio>({ baseUrl });
  const proxied = await client.POST('/api/v3/tools/execute/proxy', {
    body: { endpoint: '/gmail/v1/users/me/profile', method: 'GET', parameters: [{ name: 'maxResults', value: '10', type: 'query' }] },
  });
  return [proxied.response.status];
}
`;

const DOCS = ['paragon-proxy', 'paragon-actionkit', 'composio-proxy'];

let echo: EchoUpstream;
let run: CapstanRun;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capstan-client-'));
  // The generated client resolves openapi-fetch (and tsc its types) from the repository.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const doc of DOCS) {
    const file = join(dir, `${doc}.json`);
    const r = runCli(['export', 'openapi', `specs/${doc}.yaml`, '--format', 'json', '-o', file]);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(dir, `${doc}.ts`), astToString(await openapiTS(pathToFileURL(file))));
  }
  writeFileSync(join(dir, 'client.ts'), CLIENT);
  echo = await startEchoUpstream();
  run = await startCapstan(DOCS.map((d) => join(SPECS, `${d}.yaml`)), {
    namespaces: ['paragon-rest', 'paragon-mcp', 'actionkit-rest', 'actionkit-mcp', 'composio-rest', 'composio-mcp'],
    env: { ...SECRETS },
    upstream: echo.url,
  });
}, 60_000);

afterAll(async () => {
  await run?.stop();
  await echo?.close();
});

describe('clients generated from the exported OpenAPI documents', () => {
  it('type-check with tsc (strict)', () => {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', join(dir, 'client.ts')], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 130_000);

  it('the type check fails for a call the documents do not allow (the check can fail)', () => {
    writeFileSync(join(dir, 'wrong.ts'), `import createClient from 'openapi-fetch';
import type { paths } from './composio-proxy.js';
export const call = () => createClient<paths>({}).POST('/api/v3/tools/execute/proxy', { body: { method: 'GET' } });
`);
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', join(dir, 'wrong.ts')], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('endpoint');
  }, 130_000);

  it('call the gateway: bodies arrive unwrapped, an apiPath with slashes works', async () => {
    const client = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as Record<string, (base: string) => Promise<number[]>>;
    const from = echo.requests.length;
    expect(await client.callParagon!(run.rest['paragon-rest']!)).toEqual([200, 200]);
    expect(await client.callActionKit!(run.rest['actionkit-rest']!)).toEqual([200, 200, 200]);
    expect(await client.callComposio!(run.rest['composio-rest']!)).toEqual([200]);
    const seen = echo.requests.slice(from).map((r) => ({ method: r.method, path: r.rawPath, query: r.query, body: r.body }));
    expect(seen).toEqual([
      { method: 'POST', path: '/projects/p1/sdk/proxy/slack/api/chat.postMessage', query: '', body: { channel: 'C1', text: 'from a generated client' } },
      { method: 'GET', path: '/projects/p1/sdk/proxy/custom/int-42/v1/items/7', query: '', body: undefined },
      { method: 'GET', path: '/projects/p1/actions', query: 'format=openai&limit_to_available=false', body: undefined },
      { method: 'POST', path: '/projects/p1/tools', query: '', body: { tool: 'SLACK_SEND_MESSAGE', parameters: { channel: 'C1', text: 'hi' } } },
      { method: 'POST', path: '/projects/p1/actions/SLACK_SEND_MESSAGE', query: '', body: { channelId: 'C2', text: 'whole body' } },
      { method: 'POST', path: '/api/v3/tools/execute/proxy', query: '', body: { endpoint: '/gmail/v1/users/me/profile', method: 'GET', parameters: [{ name: 'maxResults', value: '10', type: 'query' }] } },
    ]);
  });
});
