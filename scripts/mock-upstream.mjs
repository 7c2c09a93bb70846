// Local upstreams for the demo and the tests, on 127.0.0.1 only: the echo upstream (answers every
// request with JSON describing what it received, and records it), and the pieces the test
// helpers (test/helpers/upstream.ts) build their own upstreams from.
import { createServer } from 'node:http';

/**
 * Counts the connections a server (node:http or node:net) accepts: `opened()` so far, `open()`
 * now, `peak()` at once; `sockets` holds the open ones, for `close`.
 */
export function trackConnections(server) {
  const sockets = new Set();
  let opened = 0;
  let peak = 0;
  server.on('connection', (socket) => {
    opened++;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return { sockets, opened: () => opened, open: () => sockets.size, peak: () => peak };
}

/**
 * Listens on 127.0.0.1 (`port` 0: chosen by the OS) with connections tracked; `close()`
 * destroys the open connections, then closes the server.
 */
export async function listenLoopback(server, port = 0) {
  const connections = trackConnections(server);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = server.address().port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    opened: connections.opened,
    open: connections.open,
    peak: connections.peak,
    close: () =>
      new Promise((resolve) => {
        for (const socket of connections.sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server on 127.0.0.1 that reads each request whole, then calls `onRequest(req, body, res)` (body: a Buffer). */
export function startRecordingServer(onRequest, { port = 0 } = {}) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => onRequest(req, Buffer.concat(chunks), res));
  });
  return listenLoopback(server, port);
}

/**
 * Starts the echo upstream on 127.0.0.1. `routes` may override answers:
 * `{ 'GET /path': (req, body) => ({ status, headers, body }) }` (exact path, no query).
 */
export async function startEchoUpstream({ port = 0, routes = {} } = {}) {
  const requests = [];
  const server = await startRecordingServer((req, raw, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = raw.toString('utf8');
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const seen = { method: req.method, path: url.pathname, rawPath: (req.url ?? '').split('?')[0], query: url.search.slice(1), headers: req.headers, body: json ?? (text || undefined), ...(text ? { text } : {}) };
    requests.push(seen);
    const route = routes[`${req.method} ${url.pathname}`];
    const answer = route ? route(seen) : { status: 200, body: { echo: seen } };
    const body = typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body ?? null);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
    res.end(body);
  }, { port });
  return { url: server.url, port: server.port, requests, close: server.close };
}
