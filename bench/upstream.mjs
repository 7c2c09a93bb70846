// The benchmark's mock upstream, on 127.0.0.1 only: a fleet registry (a 20-ship list and ship
// lookups), `/items/:id` for the generated capabilities, an echo route for the proxy shape, and an
// OTLP trace sink (`POST /v1/traces`, exports counted by service at `GET /v1/traces/count`).
// Run as a child process (`node bench/upstream.mjs [port]`): prints `{"port":N}` once listening.
import { createServer } from 'node:http';

const STATUSES = ['active', 'docked', 'maintenance', 'retired'];
const FLAGS = ['NO', 'PA', 'LR', 'MT', 'SG'];

/** One ship as the registry stores it: 14 fields, some nested; the bench maps 5 of them. */
export function ship(i) {
  return {
    imo: `IMO-${9300000 + i}`,
    name: `Vessel ${i}`,
    type: i % 3 === 0 ? 'tanker' : 'cargo',
    status: STATUSES[i % STATUSES.length],
    flag: FLAGS[i % FLAGS.length],
    built: 1990 + (i % 30),
    callSign: `C${1000 + i}`,
    mmsi: String(257000000 + i),
    owner: { name: `Owner ${i % 7}`, country: FLAGS[(i + 1) % FLAGS.length] },
    specs: { tonnage: 20000 + i * 1500, length: 180 + i, beam: 28 + (i % 5), draught: 9.5 },
    position: { lat: 59.9 + i / 100, lon: 10.7 + i / 100, at: '2026-05-01T12:00:00Z' },
    crew: 18 + (i % 6),
    tags: ['bench', `group-${i % 4}`],
    notes: 'Registered for the Capstan benchmark; this text is not mapped.',
  };
}

export const SHIPS = Array.from({ length: 20 }, (_, i) => ship(i));
/** What the mapped routes must answer: 5 fields per ship. */
export const MAPPED = SHIPS.map((s) => ({ imo: s.imo, name: s.name, status: s.status, flag: s.flag, tonnage: s.specs.tonnage }));

const LIST_BODY = JSON.stringify({ ships: SHIPS, total: SHIPS.length });
const BY_IMO = new Map(SHIPS.map((s) => [s.imo, JSON.stringify(s)]));
const ITEMS_BODY = JSON.stringify({ items: [{ id: '1', name: 'one' }, { id: '2', name: 'two' }] });

/** OTLP trace exports received (`POST /v1/traces`), by the exporting service's `service.name`. */
const traceExports = {};

/** The `service.name`s of an OTLP/HTTP JSON export (a body that is not JSON counts as `unknown`). */
function exportedServices(text) {
  try {
    const names = JSON.parse(text).resourceSpans.map((r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? 'unknown');
    return [...new Set(names)];
  } catch {
    return ['unknown'];
  }
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function handle(req, res) {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (req.method === 'GET' && path === '/ships') return send(res, 200, LIST_BODY);
  if (req.method === 'GET' && path.startsWith('/ships/')) {
    const found = BY_IMO.get(decodeURIComponent(path.slice('/ships/'.length)));
    return found ? send(res, 200, found) : send(res, 404, '{"error":"no such ship"}');
  }
  if (req.method === 'GET' && path.startsWith('/items/')) return send(res, 200, ITEMS_BODY);
  if (path.startsWith('/projects/')) {
    // The proxy echo: what arrived (method, path, query, whether a bearer token came, body).
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body;
      try { body = text ? JSON.parse(text) : undefined; } catch { body = text; }
      const auth = req.headers.authorization ?? '';
      send(res, 200, JSON.stringify({ method: req.method, path, query: q < 0 ? '' : url.slice(q + 1), bearer: auth.startsWith('Bearer '), body: body ?? null, ok: true }));
    });
    return undefined;
  }
  if (path === '/openapi.json') return send(res, 200, JSON.stringify(openApi()));
  // An OTLP/HTTP trace sink for the tracing scenario: exports are read, counted and acknowledged.
  if (req.method === 'POST' && path === '/v1/traces') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      for (const name of exportedServices(Buffer.concat(chunks).toString('utf8'))) traceExports[name] = (traceExports[name] ?? 0) + 1;
      send(res, 200, '{}');
    });
    return undefined;
  }
  if (req.method === 'GET' && path === '/v1/traces/count') return send(res, 200, JSON.stringify(traceExports));
  return send(res, 404, '{"error":"not found"}');
}

/** The upstream's OpenAPI description, for OpenAPI-driven MCP servers. */
export function openApi() {
  return {
    openapi: '3.0.3',
    info: { title: 'Bench fleet registry', version: '1.0.0' },
    paths: {
      '/ships': { get: { operationId: 'listShips', summary: 'List ships', responses: { 200: { description: 'The ships', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/ships/{imo}': {
        get: {
          operationId: 'getShip', summary: 'Get a ship',
          parameters: [{ name: 'imo', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'The ship', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  };
}

export function startUpstream(port = 0) {
  const server = createServer({ keepAliveTimeout: 65_000 }, handle);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startUpstream(Number(process.argv[2] ?? 0));
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
}
