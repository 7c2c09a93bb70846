/**
 * Consumed APIs behind a tunnel (Ikanos beta5 `consumes[].tunnel`). The overlay is played by a
 * provider that maps service names to real servers on 127.0.0.1: the API's base URI names a
 * private host no resolver knows (`crm.internal`), so an answer can only come through the tunnel.
 * What goes in comes out: method, path, query, body bytes, the Host of the base URI, and the
 * consumed authentication injected as for a direct call; the provider is opened once with the
 * identity rendered from binds; only the tunnelled API uses it. Start-up refuses a tunnel it
 * cannot open (no provider, identity that does not resolve, not ready) unless `fallback: direct`.
 */
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { Executor, type TunnelProvider, type TunnelTarget } from '@capstan/runtime';
import { startCapstan } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';
import { serveInProcess, type Served } from '../rest/inprocess.js';

const spec = (tunnel: string, baseUri = 'http://crm.internal:8443/v1'): string => `ikanos: "1.0.0-beta5"
info:
  display: CRM
  description: A private CRM behind an overlay, and a public directory.
binds:
  - namespace: secrets
    keys:
      ZITI_IDENTITY: ZITI_IDENTITY
      CRM_TOKEN: CRM_TOKEN
capability:
  consumes:
    - namespace: crm
      type: http
      baseUri: ${baseUri}
      authentication:
        type: bearer
        token: "{{CRM_TOKEN}}"
${tunnel}      resources:
        customers:
          path: /customers/{{id}}
          operations:
            get-customer:
              method: GET
              inputParameters:
                id:
                  in: path
                fields:
                  in: query
            update-customer:
              method: PUT
              inputParameters:
                id:
                  in: path
    - namespace: directory
      type: http
      baseUri: http://127.0.0.1:9/dir
      resources:
        people:
          path: /people
          operations:
            list-people:
              method: GET
  exposes:
    - type: rest
      namespace: crm-api
      port: 8080
      resources:
        customer:
          path: /customers/{id}
          operations:
            read:
              method: GET
              inputParameters:
                id:
                  in: path
                  type: string
                  description: Customer id.
                fields:
                  in: query
                  type: string
                  description: Fields.
              call: crm.get-customer
            write:
              method: PUT
              inputParameters:
                id:
                  in: path
                  type: string
                  description: Customer id.
              call: crm.update-customer
        people:
          path: /people
          operations:
            list:
              method: GET
              call: directory.list-people
`;

const ZITI = `      tunnel:
        type: ziti
        service: crm-api
        identity: "{{secrets.ZITI_IDENTITY}}"
`;

const ENV = { ZITI_IDENTITY: '/etc/ziti/capstan.json', CRM_TOKEN: 'crm-token-1234' };

/** An overlay that knows one service, reached on a real local server. */
function overlay(services: Record<string, number>) {
  const dials: TunnelTarget[] = [];
  const identities: string[] = [];
  const provider: TunnelProvider = {
    async open({ identity }) {
      identities.push(identity);
      return {
        dial: (target) =>
          new Promise<Socket>((done, fail) => {
            dials.push(target);
            const port = services[target.service];
            if (port === undefined) return fail(new Error(`service ${target.service} is not authorised for this identity`));
            const socket = connect(port, '127.0.0.1', () => done(socket));
            socket.once('error', fail);
          }),
      };
    },
  };
  return { provider, dials, identities };
}

describe('a consumed API behind a tunnel (REST adapter in-process, real upstreams)', () => {
  let crm: Upstream<Buffer>;
  let directory: Upstream;
  let served: Served;
  let net: ReturnType<typeof overlay>;

  beforeAll(async () => {
    crm = await startUpstream((req, res) => json(res, 200, { method: req.method, url: req.url, host: req.headers.host, auth: req.headers.authorization, body: req.body.toString('base64') }), { body: 'buffer' });
    directory = await startUpstream((_req, res) => json(res, 200, [{ name: 'Ada' }]));
    net = overlay({ 'crm-api': Number(new URL(crm.url).port) });
    served = await serveInProcess([spec(ZITI)], { executor: { env: ENV, upstreams: { directory: directory.url }, tunnels: { ziti: net.provider } } });
  });
  afterAll(async () => {
    await served?.close();
    await crm?.close();
    await directory?.close();
  });

  it('the request goes through the tunnel to the service, with its method, path, query, Host and injected bearer', async () => {
    const res = await fetch(`${served.url}/customers/C-42?fields=name`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: 'GET', url: '/v1/customers/C-42?fields=name', host: 'crm.internal:8443', auth: 'Bearer crm-token-1234', body: '' });
    expect(net.dials.at(-1)).toEqual({ service: 'crm-api', host: 'crm.internal', port: 8443 });
  });

  it('body bytes come out as they went in', async () => {
    const body = JSON.stringify({ name: 'Zoë', notes: 'ü'.repeat(5000) });
    const res = await fetch(`${served.url}/customers/C-42`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
    const echoed = (await res.json()) as { method: string; body: string };
    expect(echoed.method).toBe('PUT');
    expect(Buffer.from(echoed.body, 'base64').toString('utf8')).toBe(body);
  });

  it('the provider was opened once, with the identity rendered from the binds', () => {
    expect(net.identities).toEqual(['/etc/ziti/capstan.json']);
  });

  it('an API without a tunnel is called directly (no dial)', async () => {
    const before = net.dials.length;
    const res = await fetch(`${served.url}/people`);
    expect(await res.json()).toEqual([{ name: 'Ada' }]);
    expect(net.dials.length).toBe(before);
    expect(directory.seen).toHaveLength(1);
  });
});

describe('when the tunnel cannot carry the call', () => {
  it('a dial the overlay refuses is a 502 naming the upstream; the token does not leak', async () => {
    const net = overlay({});
    const served = await serveInProcess([spec(ZITI)], { executor: { env: ENV, tunnels: { ziti: net.provider } } });
    try {
      const res = await fetch(`${served.url}/customers/C-1`);
      expect(res.status).toBe(502);
      const text = await res.text();
      expect(text).toContain('crm.get-customer');
      expect(text).not.toContain('crm-token-1234');
      expect(net.dials).toEqual([{ service: 'crm-api', host: 'crm.internal', port: 8443 }]);
    } finally {
      await served.close();
    }
  });

  const graphOf = (yaml: string) => {
    const dir = tempSpecDir({ 'cap.yml': yaml });
    const result = checkSpec(join(dir, 'cap.yml'));
    if (!result.graph) throw new Error(JSON.stringify(result.diagnostics));
    return result.graph;
  };

  it('start-up stops when no provider is loaded for the type, naming the namespace and the flag', async () => {
    await expect(Executor.create(graphOf(spec(ZITI)), { env: ENV })).rejects.toThrow('`crm` is reachable only through its `ziti` tunnel, which has no provider (start Capstan with `--tunnel ziti=MODULE`)');
  });

  it('start-up stops when the identity does not resolve from the binds', async () => {
    const net = overlay({});
    await expect(Executor.create(graphOf(spec(ZITI)), { env: { ...ENV, ZITI_IDENTITY: '' }, tunnels: { ziti: net.provider } })).rejects.toThrow(/bind|ZITI_IDENTITY/);
    expect(net.identities).toEqual([]);
  });

  it('start-up stops when the tunnel does not open in time', async () => {
    const never: TunnelProvider = { open: () => new Promise(() => {}) };
    await expect(Executor.create(graphOf(spec(ZITI)), { env: ENV, tunnels: { ziti: never }, tunnelReadyMs: 200 })).rejects.toThrow('did not open (not ready within 200 ms)');
  });

  it('`fallback: direct`: without a provider the base URI is called directly, with a warning', async () => {
    const crm = await startUpstream((req, res) => json(res, 200, { url: req.url }));
    const warnings: string[] = [];
    const logger = { debug: () => {}, warn: (_o: object, msg?: string) => warnings.push(msg ?? '') };
    const served = await serveInProcess([spec(`${ZITI}        fallback: direct\n`, `${crm.url}/v1`)], { executor: { env: ENV, logger } });
    try {
      const res = await fetch(`${served.url}/customers/C-9`);
      expect(await res.json()).toEqual({ url: '/v1/customers/C-9' });
      expect(warnings.join('\n')).toContain('calling its base URI directly (`fallback: direct`)');
    } finally {
      await served.close();
      await crm.close();
    }
  });
});

describe('tunnel checks at load time', () => {
  it('an identity that names no bind variable is an error; `fallback: direct` off loopback is a warning', () => {
    const yaml = spec(ZITI.replace('secrets.ZITI_IDENTITY', 'secrets.ZITI_IDENTITI') + '        fallback: direct\n');
    const diagnostics = checkSpec(join(tempSpecDir({ 'cap.yml': yaml }), 'cap.yml')).diagnostics;
    const line = (needle: string) => yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(diagnostics.find((d) => d.code === 'tunnel-identity-unbound')).toMatchObject({ severity: 'error', line: line('identity:') });
    expect(diagnostics.find((d) => d.code === 'tunnel-fallback-direct')).toMatchObject({ severity: 'warning', line: line('fallback:') });
  });

  it('the same file is valid in --strict with a bound identity and `fallback: fail`', () => {
    expect(checkSpec(join(tempSpecDir({ 'cap.yml': spec(ZITI) }), 'cap.yml'), { strict: true }).diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});

/** A provider module for `--tunnel`: the overlay knows `crm-api`, reached on 127.0.0.1:$CRM_PORT. */
const PROVIDER = `import { connect } from 'node:net';
export default {
  async open({ identity }) {
    if (identity !== '/etc/ziti/capstan.json') throw new Error('wrong identity');
    return { dial: ({ service }) => new Promise((done, fail) => {
      if (service !== 'crm-api') return fail(new Error('unknown service'));
      const s = connect(Number(process.env.CRM_PORT), '127.0.0.1', () => done(s));
      s.once('error', fail);
    }) };
  },
};
`;

describe('`capstan run --tunnel ziti=MODULE`', () => {
  it('loads the provider module and serves through it', async () => {
    const crm = await startUpstream((req, res) => json(res, 200, { url: req.url, host: req.headers.host }));
    const dir = tempSpecDir({ 'cap.yml': spec(ZITI), 'ziti-provider.mjs': PROVIDER });
    const run = await startCapstan([join(dir, 'cap.yml')], { namespaces: ['crm-api'], env: { ...ENV, CRM_PORT: new URL(crm.url).port }, args: ['--tunnel', `ziti=${join(dir, 'ziti-provider.mjs')}`] });
    try {
      const res = await fetch(`${run.rest['crm-api']}/customers/C-7`);
      expect(await res.json()).toEqual({ url: '/v1/customers/C-7', host: 'crm.internal:8443' });
    } finally {
      await run.stop();
      await crm.close();
    }
  });

  it('an https base URI: TLS runs over the tunnel, verified for the base URI\'s own host name', async () => {
    const pem = await generate([{ name: 'commonName', value: 'crm.internal' }], { keySize: 2048, algorithm: 'sha256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'crm.internal' }] }, { name: 'basicConstraints', cA: true }] });
    const server = createHttpsServer({ cert: pem.cert, key: pem.private }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, host: req.headers.host, auth: req.headers.authorization }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const dir = tempSpecDir({ 'cap.yml': spec(ZITI, 'https://crm.internal/v1'), 'ziti-provider.mjs': PROVIDER, 'ca.pem': pem.cert });
    const run = await startCapstan([join(dir, 'cap.yml')], { namespaces: ['crm-api'], env: { ...ENV, CRM_PORT: String((server.address() as AddressInfo).port), NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }, args: ['--tunnel', `ziti=${join(dir, 'ziti-provider.mjs')}`] });
    try {
      const res = await fetch(`${run.rest['crm-api']}/customers/C-8`);
      expect(await res.json()).toEqual({ url: '/v1/customers/C-8', host: 'crm.internal', auth: 'Bearer crm-token-1234' });
    } finally {
      await run.stop();
      server.close();
    }
  });
});
