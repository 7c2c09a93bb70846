/**
 * beta5 imports in all four sections (`consumes`, `exposes`, `aggregates`, `binds`): each entry is
 * copied from the named file (root section first, else under `capability`), `as` renames it, and
 * findings in imported text point at the file that holds it. A capability built only from imports
 * runs through `capstan run` against a real upstream. Bad imports (missing file, unknown
 * namespace, a chain or cycle between files, the file itself) are positioned errors at the import.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type Diagnostic } from '@capstan/spec';
import { startCapstan, type CapstanRun } from '../helpers/process.js';
import { tempSpecDir } from '../helpers/tmp.js';
import { json, startUpstream, type Upstream } from '../helpers/upstream.js';

/** A consumes file whose calls carry a bind variable as a header. */
const CONSUMES = `ikanos: "1.0.0-beta5"
consumes:
  - namespace: harbour
    type: http
    baseUri: http://127.0.0.1:9/api
    inputParameters:
      X-Harbour-Key:
        in: header
        value: "{{HARBOUR_KEY}}"
    resources:
      berths:
        path: /berths/{{berth}}
        operations:
          get-berth:
            method: GET
            inputParameters:
              berth:
                in: path
            outputParameters:
              ship:
                type: string
                value: $.ship
`;

/** A standalone aggregates file (its flow calls the imported consumes namespace). */
const AGGREGATES = `ikanos: "1.0.0-beta5"
aggregates:
  - namespace: port-ops
    display: Port operations
    flows:
      who-is-at:
        description: The ship at a berth.
        inputParameters:
          berth:
            type: string
            description: Berth number.
        call: harbour.get-berth
        with:
          berth: "{{berth}}"
`;

/** A standalone exposes file: a REST adapter over the aggregate flow. */
const EXPOSES = `ikanos: "1.0.0-beta5"
exposes:
  - type: rest
    namespace: berth-api
    port: 8080
    resources:
      berth:
        path: /berths/{berth}
        operations:
          read-berth:
            method: GET
            inputParameters:
              berth:
                in: path
                type: string
                description: Berth number.
            ref: port-ops.who-is-at
`;

/** A standalone binds file; its key file sits beside it. */
const BINDS = `ikanos: "1.0.0-beta5"
binds:
  - namespace: harbour-secrets
    description: Harbour API key.
    location: file:///./harbour.yaml
    keys:
      HARBOUR_KEY: harbour-key
`;

const CAPABILITY = `ikanos: "1.0.0-beta5"
info:
  display: Harbour
  description: Built from imports only.
binds:
  - from: ./shared/secrets.binds.yml
    import: harbour-secrets
capability:
  consumes:
    - from: ./shared/harbour.consumes.yml
      import: harbour
  aggregates:
    - from: ./shared/ops.aggregates.yml
      import: port-ops
  exposes:
    - from: ./shared/api.exposes.yml
      import: berth-api
      as: berths
`;

const FILES = {
  'cap.yml': CAPABILITY,
  'shared/harbour.consumes.yml': CONSUMES,
  'shared/ops.aggregates.yml': AGGREGATES,
  'shared/api.exposes.yml': EXPOSES,
  'shared/secrets.binds.yml': BINDS,
  'shared/harbour.yaml': 'harbour-key: s3cret-harbour-key\n',
};

const errors = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('imports in every section (beta5 `from` / `import` / `as`)', () => {
  it('consumes, aggregates, exposes and binds entries are copied in, `as` renames, with no finding in --strict', () => {
    const dir = tempSpecDir(FILES);
    const result = checkSpec(join(dir, 'cap.yml'), { strict: true });
    expect(result.diagnostics).toEqual([]);
    const graph = result.graph!;
    expect([...graph.consumes.keys()]).toEqual(['harbour']);
    expect([...graph.aggregates.keys()]).toEqual(['port-ops.who-is-at']);
    expect(graph.adapters.map((a) => `${a.type} ${a.namespace}`)).toEqual(['rest berths']);
    expect(graph.binds.map((b) => ({ namespace: b.namespace, keys: b.keys, baseDir: b.baseDir }))).toEqual([{ namespace: 'harbour-secrets', keys: { HARBOUR_KEY: 'harbour-key' }, baseDir: join(dir, 'shared') }]);
    // The imported flow is positioned in the file that declares it (at the flow's body).
    expect(graph.aggregates.get('port-ops.who-is-at')!.origin).toMatchObject({ file: join(dir, 'shared/ops.aggregates.yml'), line: lineOf(AGGREGATES, 'who-is-at:') + 1 });
  });

  it('a section kept under `capability` in the source file is found there too', () => {
    const body = EXPOSES.slice(EXPOSES.indexOf('  - type')).replace(/^/gm, '  ');
    const underCapability = `ikanos: "1.0.0-beta5"\ninfo:\n  display: API\n  description: An adapter.\ncapability:\n  exposes:\n${body}`;
    const dir = tempSpecDir({ ...FILES, 'shared/api.exposes.yml': underCapability });
    const result = checkSpec(join(dir, 'cap.yml'));
    expect(errors(result.diagnostics)).toEqual([]);
    expect(result.graph!.adapters.map((a) => a.namespace)).toEqual(['berths']);
  });

  it('a finding inside imported text points at the source file', () => {
    const dir = tempSpecDir({ ...FILES, 'shared/ops.aggregates.yml': AGGREGATES.replace('call: harbour.get-berth', 'call: harbour.get-berht') });
    const found = errors(checkSpec(join(dir, 'cap.yml')).diagnostics).filter((d) => d.message.includes('get-berht'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: join(dir, 'shared/ops.aggregates.yml'), line: lineOf(AGGREGATES, 'call: harbour') });
  });
});

describe('bad imports are positioned errors at the import entry', () => {
  const capLine = (needle: string): number => lineOf(CAPABILITY, needle);

  it('a missing file: at `from`', () => {
    const { 'shared/api.exposes.yml': _gone, ...rest } = FILES;
    const dir = tempSpecDir(rest);
    const found = errors(checkSpec(join(dir, 'cap.yml')).diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: join(dir, 'cap.yml'), code: 'import-not-found', line: capLine('api.exposes.yml'), column: 13 });
  });

  it('an unknown namespace: at `import`, with the closest name', () => {
    const dir = tempSpecDir({ ...FILES, 'cap.yml': CAPABILITY.replace('import: port-ops', 'import: port-op') });
    const [d] = errors(checkSpec(join(dir, 'cap.yml')).diagnostics);
    expect(d).toMatchObject({ code: 'import-namespace-not-found', line: capLine('import: port-ops'), fix: 'write `import: port-ops`' });
  });

  it('a source without that section: at `from`', () => {
    const dir = tempSpecDir({ ...FILES, 'cap.yml': CAPABILITY.replace('./shared/ops.aggregates.yml', './shared/api.exposes.yml') });
    const [d] = errors(checkSpec(join(dir, 'cap.yml')).diagnostics);
    expect(d).toMatchObject({ code: 'import-section-missing', line: capLine('ops.aggregates.yml') });
    expect(d!.message).toContain('no `aggregates` entries');
  });

  it('two files importing from each other: a cycle, at `import`', () => {
    const loop = EXPOSES.replace('exposes:\n', 'exposes:\n  - from: ../cap.yml\n    import: berth-api\n').replace(/ {2}- type: rest[\s\S]*$/, '');
    const dir = tempSpecDir({ ...FILES, 'shared/api.exposes.yml': `${loop}` });
    const [d] = errors(checkSpec(join(dir, 'cap.yml')).diagnostics);
    expect(d).toMatchObject({ code: 'import-cycle', file: join(dir, 'cap.yml'), line: capLine('import: berth-api') });
    expect(d!.message).toContain('the two files import from each other');
  });

  it('a chain of imports: imports are not transitive', () => {
    const chained = `ikanos: "1.0.0-beta5"\nconsumes:\n  - from: ./harbour.consumes.yml\n    import: harbour\n`;
    const dir = tempSpecDir({ ...FILES, 'shared/relay.consumes.yml': chained, 'cap.yml': CAPABILITY.replace('./shared/harbour.consumes.yml', './shared/relay.consumes.yml') });
    const [d] = errors(checkSpec(join(dir, 'cap.yml')).diagnostics);
    expect(d).toMatchObject({ code: 'import-not-transitive', line: capLine('harbour.consumes.yml') + 1, fix: 'import `harbour` from `./harbour.consumes.yml` directly' });
  });

  it('the file itself: at `from`', () => {
    const dir = tempSpecDir({ ...FILES, 'cap.yml': CAPABILITY.replace('./shared/api.exposes.yml', './cap.yml') });
    const [d] = errors(checkSpec(join(dir, 'cap.yml')).diagnostics);
    expect(d).toMatchObject({ code: 'import-cycle', line: capLine('api.exposes.yml') });
  });
});

describe('a capability made of imports runs (`capstan run`, real upstream)', () => {
  let upstream: Upstream;
  let run: CapstanRun;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => json(res, 200, { ship: `MV Ardent at ${req.url}` }));
    const dir = tempSpecDir(FILES);
    run = await startCapstan([join(dir, 'cap.yml')], { namespaces: ['berths'], upstream: upstream.url });
  });
  afterAll(async () => {
    await run?.stop();
    await upstream?.close();
  });

  it('the imported REST adapter serves the imported flow, which calls the imported API with the imported bind', async () => {
    const res = await fetch(`${run.rest.berths}/berths/B7`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ship: 'MV Ardent at /api/berths/B7' });
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]!.headers['x-harbour-key']).toBe('s3cret-harbour-key');
    expect(run.stdout() + run.stderr()).not.toContain('s3cret-harbour-key');
  });
});
