// A local echo upstream for the demo and the tests: answers every request with JSON describing
// what it received (method, path, query, headers, body), and records it. Loopback only.
import { createServer } from 'node:http';

/**
 * Starts the echo upstream on 127.0.0.1. `routes` may override answers:
 * `{ 'GET /path': (req, body) => ({ status, headers, body }) }` (exact path, no query).
 */
export async function startEchoUpstream({ port = 0, routes = {} } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      let json;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const seen = { method: req.method, path: url.pathname, rawPath: (req.url ?? '').split('?')[0], query: url.search.slice(1), headers: req.headers, body: json ?? (text || undefined) };
      requests.push(seen);
      const route = routes[`${req.method} ${url.pathname}`];
      const answer = route ? route(seen) : { status: 200, body: { echo: seen } };
      const body = typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body ?? null);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
