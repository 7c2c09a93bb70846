// CPU µs per upstream request built (no network): `buildRequest` for one consumed operation,
// with its parameters, path template, auth templates and final URL checks.
//   node bench/build-request.mjs [calls=20000] [rounds=7]
// Cases: the Paragon proxy GET (bearer token template, three path placeholders, a trailing
// multi-segment one with a query) and the fleet GET /ships (no parameters).
import { join } from 'node:path';
import { median, ROOT } from './lib.mjs';

const [calls = 20000, rounds = 7] = process.argv.slice(2).map(Number);
const { checkSpec } = await import(join(ROOT, 'packages/spec/dist/index.js'));
const { buildRequest } = await import(join(ROOT, 'packages/runtime/dist/executor/request.js'));
const { prepareBase } = await import(join(ROOT, 'packages/runtime/dist/executor/base-uri.js'));

function operation(file, namespace, name) {
  const { graph, diagnostics } = checkSpec(join(ROOT, file));
  if (!graph) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const api = graph.consumes.get(namespace);
  return { api, op: api.operations.get(name) };
}

const CASES = {
  'paragon proxy GET': { ...operation('specs/paragon-proxy.yaml', 'paragon', 'proxygetrequest'), params: { projectId: 'bench', integrationType: 'slack', apiPath: 'api/conversations.list?limit=20&cursor=abc' }, lower: [{ PARAGON_TOKEN: 'bench-token' }] },
  'fleet GET /ships': { ...operation('bench/fleet.yaml', 'registry', 'list-ships'), params: {}, lower: [] },
};

const out = {};
for (const [name, c] of Object.entries(CASES)) {
  const base = prepareBase(c.api, 'http://127.0.0.1:9', {});
  const input = { api: c.api, op: c.op, base, params: c.params, lower: c.lower, env: {}, requestId: 'bench-1' };
  const sample = await buildRequest(input);
  const batch = async () => {
    for (let i = 0; i < calls; i++) await buildRequest(input);
  };
  await batch();
  const us = [];
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    await batch();
    const used = process.cpuUsage(before);
    us.push((used.user + used.system) / calls);
  }
  out[name] = { url: sample.request.url.href, medianUs: Math.round(median(us) * 100) / 100, minUs: Math.round(Math.min(...us) * 100) / 100 };
}
console.log(JSON.stringify(out));
