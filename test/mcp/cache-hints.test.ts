/**
 * MCP caching hints (Ikanos beta4+ `ttlMs` and `cacheScope` on an MCP adapter): `capstan run`
 * adds them to list and read results, as the reference engine does, and only there; a file that
 * declares neither gets none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { rawPost, toolsCall } from '../helpers/tutorial-ci.js';
import { tempSpec } from '../helpers/tmp.js';

const spec = (hints: string): string => `ikanos: "1.0.0-beta5"
capability:
  exposes:
    - type: mcp
      port: 3001
      namespace: hinted
${hints}      tools:
        status:
          description: Fixed status.
          outputParameters:
            state:
              type: string
              value: operational
`;

const rpc = async (run: CapstanRun, method: string, body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} })): Promise<Record<string, unknown>> => {
  const res = await rawPost(new URL('/', run.mcp.hinted!.replace('localhost', '127.0.0.1')).href, { 'Content-Type': 'application/json' }, body);
  expect(res.status, res.text).toBe(200);
  return (JSON.parse(res.text) as { result: Record<string, unknown> }).result;
};

describe('MCP cache hints from `ttlMs` / `cacheScope`', () => {
  let hinted: CapstanRun;
  let plain: CapstanRun;

  beforeAll(async () => {
    [hinted, plain] = await Promise.all([
      startCapstan([tempSpec(spec('      ttlMs: 60000\n      cacheScope: public\n'), 'hinted.yml')], { namespaces: ['hinted'], args: ['--mcp-stateless'] }),
      startCapstan([tempSpec(spec(''), 'plain.yml')], { namespaces: ['hinted'], args: ['--mcp-stateless'] }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([hinted?.stop(), plain?.stop()]);
  });

  it('tools/list carries ttlMs and cacheScope; tools/call does not', async () => {
    const list = await rpc(hinted, 'tools/list');
    expect(list).toMatchObject({ ttlMs: 60000, cacheScope: 'public' });
    expect((list.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(['status']);
    const call = await rpc(hinted, 'tools/call', toolsCall('status', {}));
    expect(call).not.toHaveProperty('ttlMs');
    expect(JSON.parse((call.content as Array<{ text: string }>)[0]!.text)).toEqual({ state: 'operational' });
  });

  it('a file without the keys gets no hints', async () => {
    const list = await rpc(plain, 'tools/list');
    expect(list).not.toHaveProperty('ttlMs');
    expect(list).not.toHaveProperty('cacheScope');
  });
});
