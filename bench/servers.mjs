// The comparison servers, each run as its own child process on 127.0.0.1:
//   node bench/servers.mjs KIND UPSTREAM_URL [PORT]    prints {"port":N} once listening
// KIND:
//   handwritten      fastify + undici, written by hand: the mapped ship list and the Paragon-shaped
//                    pass-through proxy, doing what the capability declares and nothing more
//   floor            fastify + @fastify/http-proxy: no mapping, bytes straight through (the floor)
//   sdk-per-request  the official MCP SDK, stateless, a new McpServer and transport per request
//                    (the SDK's documented stateless pattern)
//   sdk-shared       the official MCP SDK, one McpServer and one session transport for every request
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify from 'fastify';
import { Pool } from 'undici';

const [, , kind, upstreamUrl, portArg = '0'] = process.argv;
if (!kind || !upstreamUrl) {
  process.stderr.write('usage: node bench/servers.mjs KIND UPSTREAM_URL [PORT]\n');
  process.exit(2);
}
const port = Number(portArg);
const TOKEN = process.env.PARAGON_TOKEN ?? 'bench-token';
// Same pool size as Capstan's executor default (64 connections per upstream origin).
const upstream = new Pool(upstreamUrl, { connections: 64, keepAliveTimeout: 4_000 });

/** The 5 fields the bench maps from each ship. */
const pick = (s) => ({ imo: s.imo, name: s.name, status: s.status, flag: s.flag, tonnage: s.specs?.tonnage ?? null });

async function getJson(path) {
  const res = await upstream.request({ path, method: 'GET' });
  const value = await res.body.json();
  return { status: res.statusCode, value };
}

async function listShips() {
  const { value } = await getJson('/ships');
  return (value.ships ?? []).map(pick);
}

async function getShip(imo) {
  const { status, value } = await getJson(`/ships/${encodeURIComponent(imo)}`);
  return { status, value: status < 400 ? pick(value) : value };
}

function listen(server) {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server.address().port)));
}

async function handwritten() {
  const app = Fastify({ logger: false });
  app.get('/ships', async (_req, reply) => reply.type('application/json').send(JSON.stringify(await listShips())));
  app.get('/ships/:imo', async (req, reply) => {
    const { status, value } = await getShip(req.params.imo);
    return reply.code(status).type('application/json').send(JSON.stringify(value));
  });
  // The Paragon proxy shape: /projects/{projectId}/sdk/proxy/{integrationType}/{apiPath...},
  // forwarded with the bearer token; the JSON answer goes back whole (`$.`).
  const proxy = async (req, reply) => {
    const tail = req.url.slice(req.url.indexOf('/sdk/proxy/'));
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const res = await upstream.request({
      path: `/projects/${encodeURIComponent(req.params.projectId)}${tail}`,
      method: req.method,
      headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    });
    const value = await res.body.json();
    return reply.code(res.statusCode).type('application/json').send(JSON.stringify(value));
  };
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/projects/:projectId/sdk/proxy/*', handler: proxy });
  await app.listen({ host: '127.0.0.1', port });
  return app.server.address().port;
}

async function floor() {
  const { default: httpProxy } = await import('@fastify/http-proxy');
  const app = Fastify({ logger: false });
  await app.register(httpProxy, { upstream: upstreamUrl, prefix: '/ships', rewritePrefix: '/ships' });
  await app.register(httpProxy, {
    upstream: upstreamUrl, prefix: '/projects', rewritePrefix: '/projects',
    replyOptions: { rewriteRequestHeaders: (_req, headers) => ({ ...headers, authorization: `Bearer ${TOKEN}` }) },
  });
  await app.listen({ host: '127.0.0.1', port });
  return app.server.address().port;
}

async function sdkServer() {
  const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const { z } = await import('zod');
  const server = new McpServer({ name: 'bench-fleet', version: '1.0.0' });
  server.registerTool('list-ships', { description: 'List every ship, 5 fields each', annotations: { readOnlyHint: true } }, async () => ({
    content: [{ type: 'text', text: JSON.stringify(await listShips()) }],
  }));
  server.registerTool('get-ship', { description: 'Get one ship by IMO number', inputSchema: { imo: z.string() }, annotations: { readOnlyHint: true } }, async ({ imo }) => {
    const { status, value } = await getShip(imo);
    return status < 400 ? { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value } : { content: [{ type: 'text', text: JSON.stringify(value) }], isError: true };
  });
  return server;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch (err) { reject(err); }
    });
    req.on('error', reject);
  });
}

function badRequest(res) {
  res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}');
}

async function sdkPerRequest() {
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const http = createServer(async (req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    let body;
    try { body = await readJson(req); } catch { return badRequest(res); }
    // Stateless: a fresh server and transport for this request alone, closed when it is answered.
    const server = await sdkServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  return listen(http);
}

async function sdkShared() {
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const server = await sdkServer();
  // One session transport, opened by the first `initialize`; every later request carries its id.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await server.connect(transport);
  const http = createServer(async (req, res) => {
    let body;
    if (req.method === 'POST') {
      try { body = await readJson(req); } catch { return badRequest(res); }
    }
    await transport.handleRequest(req, res, body);
  });
  return listen(http);
}

const starters = { handwritten, floor, 'sdk-per-request': sdkPerRequest, 'sdk-shared': sdkShared };
const start = starters[kind];
if (!start) {
  process.stderr.write(`unknown server kind ${kind}; one of ${Object.keys(starters).join(', ')}\n`);
  process.exit(2);
}
const listening = await start();
process.stdout.write(`${JSON.stringify({ port: listening })}\n`);
process.on('SIGTERM', () => process.exit(0));
