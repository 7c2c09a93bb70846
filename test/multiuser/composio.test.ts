/**
 * Composio with a per-user `connected_account_id` from a store: callers are identified by their
 * own API keys (`identity.apiKeys`), each user's connected account comes from a bind file, and
 * what the caller sends as `connected_account_id` is overridden, so no caller can use another
 * user's account. Over REST and MCP; a caller without an entry gets 403 naming what is missing.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const COMPOSIO = fileURLToPath(new URL('../../specs/composio-proxy.yaml', import.meta.url));
const PROJECT_KEY = 'composio-project-key';

let upstream: Upstream;
let run: CapstanRun;

const proxy = (apiKey: string | undefined, body: Record<string, unknown>) =>
  fetch(`${run.rest['composio-rest']}/api/v3/tools/execute/proxy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-caller-key': apiKey } : {}) },
    body: JSON.stringify(body),
  });

const sentBody = (i: number) => JSON.parse(upstream.seen.at(i)!.body) as Record<string, unknown>;

describe('Composio proxy with a connected account per user', () => {
  beforeAll(async () => {
    const dir = tempSpecDir({
      'caller-keys.yaml': 'key-alice: alice\nkey-bob: bob\nkey-carol: carol\n',
      'composio-accounts.yaml': 'alice:\n  connected_account_id: ca_alice\nbob:\n  connected_account_id: ca_bob\n',
      'credentials.yaml': `identity:
  apiKeys:
    header: x-caller-key
    keys: file:caller-keys.yaml
consumes:
  composio:
    source: store
    store: file:composio-accounts.yaml
    key: '{{caller.sub}}'
    parameters:
      connected_account_id: '{{credential.connected_account_id}}'
`,
    });
    upstream = await startUpstream((req, res) => json(res, 200, { data: { echoed: JSON.parse(req.body || '{}') }, status: 200, headers: {} }));
    run = await startCapstan([COMPOSIO], {
      namespaces: ['composio-rest', 'composio-mcp'],
      upstream: { composio: upstream.url },
      env: { COMPOSIO_API_KEY: PROJECT_KEY, COMPOSIO_API_KEY_HEADER: 'x-api-key' },
      args: ['--credentials', join(dir, 'credentials.yaml')],
    });
  });

  afterAll(async () => {
    await run?.stop();
    await upstream?.close();
  });

  it('REST: each user\'s request carries that user\'s connected account, whatever the caller asked for', async () => {
    const a = await proxy('key-alice', { endpoint: '/gmail/v1/users/me/messages', method: 'GET' });
    expect(a.status).toBe(200);
    expect(sentBody(-1)).toMatchObject({ endpoint: '/gmail/v1/users/me/messages', method: 'GET', connected_account_id: 'ca_alice' });
    expect(upstream.seen.at(-1)!.headers['x-api-key']).toBe(PROJECT_KEY);
    const b = await proxy('key-bob', { endpoint: '/user', method: 'GET', connected_account_id: 'ca_alice' });
    expect(b.status).toBe(200);
    expect(sentBody(-1).connected_account_id).toBe('ca_bob');
  });

  it('REST: 401 without identity, 401 for an unknown key, 403 naming what is missing for a user without an entry', async () => {
    const before = upstream.seen.length;
    expect((await proxy(undefined, { endpoint: '/user', method: 'GET' })).status).toBe(401);
    expect((await proxy('key-mallory', { endpoint: '/user', method: 'GET' })).status).toBe(401);
    const carol = await proxy('key-carol', { endpoint: '/user', method: 'GET', connected_account_id: 'ca_alice' });
    expect(carol.status).toBe(403);
    const problem = (await carol.json()) as { detail: string; type: string };
    expect(problem.type).toBe('https://capstan.dev/problems/no-credential');
    expect(problem.detail).toMatch(/no credential for caller `carol` in the store of `composio`/);
    expect(problem.detail).not.toContain('ca_');
    expect(upstream.seen.length).toBe(before);
  });

  it('MCP: the tool call uses the caller\'s own connected account; a user without an entry gets an error result', async () => {
    const connect = async (key: string) => {
      const client = new Client({ name: key, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(run.mcp['composio-mcp']!), { requestInit: { headers: { 'x-caller-key': key } } }));
      return client;
    };
    const bob = await connect('key-bob');
    const result = await bob.callTool({ name: 'composio-execute-proxy', arguments: { endpoint: '/repos', method: 'GET', connected_account_id: 'ca_alice' } });
    expect(result.isError).toBeUndefined();
    expect(sentBody(-1)).toMatchObject({ endpoint: '/repos', connected_account_id: 'ca_bob' });
    await bob.close();
    const before = upstream.seen.length;
    const carol = await connect('key-carol');
    const refused = await carol.callTool({ name: 'composio-execute-proxy', arguments: { endpoint: '/repos', method: 'GET' } });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(/^Forbidden: no credential for caller `carol`/);
    expect(upstream.seen.length).toBe(before);
    await carol.close();
  });
});
