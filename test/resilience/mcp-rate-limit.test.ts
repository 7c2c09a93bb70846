/**
 * Per-client inbound rate limits on MCP adapters through `capstan run`: the same limiter as REST
 * (one implementation on the shared HTTP layer), so the same `RateLimit-*` headers and the same
 * client keys; beyond the limit a tools/call gets HTTP 429 with `Retry-After` and a JSON-RPC
 * error body, which the SDK's client surfaces as a rejected call carrying the status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '../../packages/mcp/testing/sdk.js';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpec } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

const SPEC = `naftiko: "1.0.0-alpha2"
info:
  label: Limited tools
  description: MCP adapters with and without a declared inbound limit
capability:
  consumes:
    - { namespace: up, type: http, baseUri: "http://upstream.invalid/base", resources: [{ name: items, path: "/items", operations: [{ name: list, method: GET }] }] }
  exposes:
    - type: mcp
      namespace: limited
      port: 3001
      x-capstan-rateLimit:
        max: 6
        timeWindow: 60000
      tools:
        - name: list-items
          description: Lists items
          call: up.list
    - type: mcp
      namespace: flagged
      port: 3002
      tools:
        - name: list-items
          description: Lists items
          call: up.list
`;

/** A JWT-shaped bearer (unsigned: the adapter does not authenticate, the limiter only reads `iss`+`sub`). */
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

/** One tools/call POST without a session (answered by a one-shot transport). */
function toolsCall(url: string, headers: Record<string, string>, id = 1): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list-items', arguments: {} } }),
  });
}

let upstream: Upstream;
let gateway: CapstanRun;
beforeAll(async () => {
  upstream = await startUpstream((_req, res) => json(res, 200, [{ id: 1 }]));
  gateway = await startCapstan([tempSpec(SPEC)], { namespaces: ['limited', 'flagged'], upstream: `${upstream.url}/base`, args: ['--rate-limit', '100/60s'] });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

describe('inbound rate limit on MCP adapters', () => {
  it('every answer carries RateLimit-* headers; over the limit a tools/call gets 429 with Retry-After and a JSON-RPC error', async () => {
    const headers = { authorization: 'Bearer carol-token' };
    const answers: Response[] = [];
    for (let i = 0; i < 6; i++) answers.push(await toolsCall(gateway.mcp.limited!, headers, i + 1));
    // Refused over a second into the window: the time left (59 s) is not the window (1 minute),
    // and the message must name the window.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    answers.push(await toolsCall(gateway.mcp.limited!, headers, 7));
    expect(answers.slice(0, 6).map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers[0]!.headers.get('ratelimit-limit')).toBe('6');
    expect(answers[0]!.headers.get('ratelimit-remaining')).toBe('5');
    expect(Number(answers[0]!.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const ok = (await answers[0]!.json()) as { result?: { isError?: boolean } };
    expect(ok.result?.isError).toBeFalsy();
    const refused = answers[6]!;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await refused.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(body.error.message).toMatch(/more than 6 requests in 1 minute; retry in \d+ s/);
    // A browser client (an allowed Origin) can read the refusal and its headers.
    const fromBrowser = await toolsCall(gateway.mcp.limited!, { ...headers, origin: 'http://localhost:6274' });
    expect(fromBrowser.status).toBe(429);
    expect(fromBrowser.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(fromBrowser.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining.*Retry-After/);
    // The refused calls never reached the upstream: six calls made, six seen.
    expect(upstream.seen.filter((s) => s.url.endsWith('/items'))).toHaveLength(6);
  });

  it("the SDK's client: calls succeed up to the limit, then the call rejects with the HTTP status; another client is not affected", async () => {
    const connect = async (token: string) => {
      const client = new Client({ name: `rl-${token}`, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcp.limited!), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      return client;
    };
    const dave = await connect('dave-token');
    let succeeded = 0;
    let failure: unknown;
    for (let i = 0; i < 10 && !failure; i++) {
      try {
        const result = await dave.callTool({ name: 'list-items', arguments: {} });
        expect(result.isError).toBeFalsy();
        succeeded++;
      } catch (err) {
        failure = err;
      }
    }
    // initialize and the initialized notification count too (every HTTP request does), and maybe the GET stream.
    expect(succeeded).toBeGreaterThanOrEqual(2);
    expect(succeeded).toBeLessThanOrEqual(4);
    expect(failure).toMatchObject({ code: 429 });
    expect(String((failure as Error).message)).toMatch(/retry in \d+ s/);
    const erin = await connect('erin-token');
    expect((await erin.callTool({ name: 'list-items', arguments: {} })).isError).toBeFalsy();
    await Promise.allSettled([dave.close(), erin.close()]);
  });

  it('a bearer JWT counts by issuer and subject: two tokens of one subject share a bucket', async () => {
    const first = jwt({ iss: 'https://idp.example', sub: 'frank', jti: 'a' });
    const second = jwt({ iss: 'https://idp.example', sub: 'frank', jti: 'b' });
    const other = jwt({ iss: 'https://idp.example', sub: 'grace' });
    const a = await toolsCall(gateway.mcp.limited!, { authorization: `Bearer ${first}` });
    const b = await toolsCall(gateway.mcp.limited!, { authorization: `Bearer ${second}` });
    const c = await toolsCall(gateway.mcp.limited!, { authorization: `Bearer ${other}` });
    expect([a.headers.get('ratelimit-remaining'), b.headers.get('ratelimit-remaining'), c.headers.get('ratelimit-remaining')]).toEqual(['5', '4', '5']);
  });

  it('an MCP adapter without x-capstan-rateLimit takes the --rate-limit flag', async () => {
    const answer = await toolsCall(gateway.mcp.flagged!, { authorization: 'Bearer carol-token' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('ratelimit-limit')).toBe('100');
    expect(answer.headers.get('ratelimit-remaining')).toBe('99');
  });
});
