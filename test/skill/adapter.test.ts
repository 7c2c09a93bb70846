/**
 * The skill adapter served in-process on a real fastify server (127.0.0.1, random port): a
 * capability with rest + mcp + two skill adapters (one with bearer authentication), compiled
 * with `checkSpec`, skill files in a temp folder. Covers every route, 404s, path traversal,
 * the zip download (read back with yauzl), authentication and start-up errors.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec, type CapabilityGraph, type SkillAdapterNode } from '@capstan/spec';
import { createInboundAuth, Executor } from '@capstan/runtime';
import { createRestServer } from '@capstan/rest';
import { registerSkillAdapter, resolveLocation, SkillAdapterError } from '@capstan/skill';
import { runCli } from '../helpers/cli.js';
import { raw } from '../helpers/http.js';

/** yauzl, resolved from the skill package (a dev dependency there): the zip is read back by an independent reader. */
const yauzl = createRequire(new URL('../../packages/skill/package.json', import.meta.url))('yauzl') as {
  fromBuffer(buf: Buffer, opts: { lazyEntries: boolean }, cb: (err: Error | null, zip: ZipReader) => void): void;
};
interface ZipEntry { fileName: string }
interface ZipReader {
  readEntry(): void;
  on(ev: 'entry', cb: (e: ZipEntry) => void): void;
  on(ev: 'end', cb: () => void): void;
  on(ev: 'error', cb: (err: Error) => void): void;
  openReadStream(e: ZipEntry, cb: (err: Error | null, s: NodeJS.ReadableStream) => void): void;
}

const SECRET = 'TOP-SECRET-OUTSIDE-THE-SKILL';
const TOKEN = 'sk-skill-0123456789';

const SPEC = (absSkill: string) => `naftiko: "1.0.0-alpha2"
binds:
  - namespace: skill-env
    keys:
      SKILL_TOKEN: SKILL_TOKEN_VAR
capability:
  consumes:
    - namespace: registry
      type: http
      baseUri: "http://registry.invalid/v1"
      resources:
        - name: ships
          path: "/ships/{imo}"
          operations:
            - name: get-ship
              method: GET
  exposes:
    - type: mcp
      port: 3001
      namespace: tools
      tools:
        - name: get-ship
          description: "Get a ship"
          inputParameters:
            - name: imo
              type: string
              description: "IMO number"
          call: registry.get-ship
          with:
            imo: tools.imo
    - type: rest
      port: 3002
      namespace: api
      resources:
        - path: "/ships/{imo}"
          name: ships
          inputParameters:
            - name: imo
              in: path
              type: string
              description: "IMO number"
          operations:
            - method: GET
              name: read-ship
              call: registry.get-ship
              with:
                imo: api.imo
    - type: skill
      port: 3003
      namespace: catalog
      description: "Skill catalog"
      skills:
        - name: ship-ops
          description: "Ship operations"
          license: "Apache-2.0"
          compatibility: "Any MCP client"
          argument-hint: "[imo]"
          allowed-tools: "get-ship read-ship"
          user-invocable: false
          disable-model-invocation: true
          metadata:
            author: capstan
            version: "1.2"
          location: "file:///./skills/ship-ops"
          tools:
            - name: get-ship
              description: "Get a ship over MCP"
              from:
                sourceNamespace: tools
                action: get-ship
            - name: read-ship
              description: "Get a ship over REST"
              from:
                sourceNamespace: api
                action: read-ship
            - name: guide
              description: "How to inspect a ship"
              instruction: guide.md
            - name: deep-notes
              description: "Nested notes"
              instruction: docs/deep/notes.txt
        - name: bare
          description: "No location"
          tools:
            - name: get-ship
              description: "Get a ship"
              from:
                sourceNamespace: tools
                action: get-ship
        - name: ghost
          description: "Location folder missing"
          location: "file:///./skills/missing"
        - name: file-location
          description: "Location is a file"
          location: "file:///./skills/ship-ops/guide.md"
        - name: absolute
          description: "Absolute location"
          location: "file://${absSkill}"
          tools:
            - name: readme
              description: "Read me"
              instruction: README.md
    - type: skill
      port: 3004
      namespace: secure-catalog
      authentication:
        type: bearer
        token: "{{SKILL_TOKEN}}"
      skills:
        - name: locked
          description: "Needs a token"
          location: "file:///./skills/ship-ops"
          tools:
            - name: get-ship
              description: "Get a ship"
              from:
                sourceNamespace: tools
                action: get-ship
`;

const SKILL_FILES: Record<string, string> = {
  'SKILL.md': '# Ship ops\n\nUse the tools to inspect ships.\n',
  'guide.md': '## Guide\n\nCall get-ship with an IMO number.\n',
  'data.json': '{"ships":2}\n',
  'docs/deep/notes.txt': 'nested notes\n',
  'scripts/check.py': 'print("ok")\n',
  'logo.bin': '\u0000\u0001\u0002binary',
  'has space.txt': 'not reachable by a safe path\n',
};

let dir = '';
let graph: CapabilityGraph;
let executor: Executor;
const apps: FastifyInstance[] = [];
let base = '';
let secureBase = '';

function skillNode(namespace: string): SkillAdapterNode {
  const node = graph.adapters.find((a) => a.namespace === namespace);
  if (!node || node.type !== 'skill') throw new Error(`no skill adapter ${namespace}`);
  return node;
}

async function serve(node: SkillAdapterNode): Promise<string> {
  const app = createRestServer();
  apps.push(app);
  const auth = node.auth ? createInboundAuth(node.auth, (t) => executor.renderSecret(t)) : undefined;
  registerSkillAdapter(app, node as never, graph as never, { baseDir: dir, ...(auth ? { auth } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/** A GET whose path is sent exactly as written (fetch would normalise `..` away); the body as bytes. */
async function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const res = await raw(url, 'GET', path, { headers });
  return { status: res.status, headers: res.headers, body: res.bytes };
}

async function getJson(path: string, headers: Record<string, string> = {}, at = base): Promise<{ status: number; type: string; json: any }> {
  const res = await fetch(`${at}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: await res.json() };
}

function unzip(buf: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = new Map<string, string>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('latin1'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'capstan-skill-')));
  const skill = join(dir, 'skills', 'ship-ops');
  for (const [name, text] of Object.entries(SKILL_FILES)) {
    mkdirSync(join(skill, name, '..'), { recursive: true });
    writeFileSync(join(skill, name), text, 'latin1');
  }
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret.txt'), SECRET);
  symlinkSync(join(dir, 'secret.txt'), join(skill, 'escape.txt'));
  symlinkSync(join(dir, 'outside'), join(skill, 'outdir'));
  symlinkSync('../../../secret.txt', join(skill, 'docs', 'relative-escape.txt'));
  symlinkSync('guide.md', join(skill, 'inner-link.md'));
  mkdirSync(join(dir, 'abs-skill'));
  writeFileSync(join(dir, 'abs-skill', 'README.md'), 'absolute\n');
  const file = join(dir, 'cap.yaml');
  writeFileSync(file, SPEC(join(dir, 'abs-skill')));
  const result = checkSpec(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  graph = result.graph!;
  executor = await Executor.create(graph, { env: { SKILL_TOKEN_VAR: TOKEN } });
  base = await serve(skillNode('catalog'));
  secureBase = await serve(skillNode('secure-catalog'));
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await executor?.close();
});

describe('GET /skills', () => {
  it('lists every skill with its tool names, license only where declared', async () => {
    const { status, type, json } = await getJson('/skills');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(json).toEqual({
      count: 5,
      skills: [
        { name: 'ship-ops', description: 'Ship operations', license: 'Apache-2.0', tools: ['get-ship', 'read-ship', 'guide', 'deep-notes'] },
        { name: 'bare', description: 'No location', tools: ['get-ship'] },
        { name: 'ghost', description: 'Location folder missing', tools: [] },
        { name: 'file-location', description: 'Location is a file', tools: [] },
        { name: 'absolute', description: 'Absolute location', tools: ['readme'] },
      ],
    });
  });
});

describe('GET /skills/{name}', () => {
  it('returns all metadata, derived tools with their mode, and instruction tools', async () => {
    const { status, json } = await getJson('/skills/ship-ops');
    expect(status).toBe(200);
    expect(json).toEqual({
      name: 'ship-ops',
      description: 'Ship operations',
      license: 'Apache-2.0',
      compatibility: 'Any MCP client',
      'argument-hint': '[imo]',
      'allowed-tools': 'get-ship read-ship',
      'user-invocable': false,
      'disable-model-invocation': true,
      metadata: { author: 'capstan', version: '1.2' },
      tools: [
        { name: 'get-ship', description: 'Get a ship over MCP', type: 'derived', invocationRef: { targetNamespace: 'tools', action: 'get-ship', mode: 'mcp' } },
        { name: 'read-ship', description: 'Get a ship over REST', type: 'derived', invocationRef: { targetNamespace: 'api', action: 'read-ship', mode: 'rest' } },
        { name: 'guide', description: 'How to inspect a ship', type: 'instruction', instruction: 'guide.md' },
        { name: 'deep-notes', description: 'Nested notes', type: 'instruction', instruction: 'docs/deep/notes.txt' },
      ],
    });
    expect(Object.keys(json)).toEqual(['name', 'description', 'license', 'compatibility', 'argument-hint', 'allowed-tools', 'user-invocable', 'disable-model-invocation', 'metadata', 'tools']);
  });

  it('omits the optional fields a skill does not declare', async () => {
    const { json } = await getJson('/skills/bare');
    expect(Object.keys(json)).toEqual(['name', 'description', 'tools']);
  });

  it('answers 404 problem+json for an unknown skill', async () => {
    const { status, type, json } = await getJson('/skills/no-such-skill');
    expect(status).toBe(404);
    expect(type).toMatch(/^application\/problem\+json/);
    expect(json).toMatchObject({ status: 404, title: 'Not Found' });
    expect(json.detail).toContain('no-such-skill');
    for (const path of ['/skills/no-such-skill/contents', '/skills/no-such-skill/contents/guide.md', '/skills/no-such-skill/download']) {
      expect((await getJson(path)).status, path).toBe(404);
    }
  });

  it('answers 405 for writes and 204 with Allow for OPTIONS', async () => {
    const res = await fetch(`${base}/skills/ship-ops`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const opt = await fetch(`${base}/skills`, { method: 'OPTIONS' });
    expect(opt.status).toBe(204);
  });
});

describe('GET /skills/{name}/contents', () => {
  it('lists the folder recursively, sorted, with sizes and media types; nothing outside it', async () => {
    const { status, json } = await getJson('/skills/ship-ops/contents');
    expect(status).toBe(200);
    expect(json).toEqual({
      name: 'ship-ops',
      files: [
        { path: 'SKILL.md', size: SKILL_FILES['SKILL.md']!.length, type: 'text/markdown' },
        { path: 'data.json', size: 12, type: 'application/json' },
        { path: 'docs/deep/notes.txt', size: 13, type: 'text/plain' },
        { path: 'guide.md', size: SKILL_FILES['guide.md']!.length, type: 'text/markdown' },
        { path: 'inner-link.md', size: SKILL_FILES['guide.md']!.length, type: 'text/markdown' },
        { path: 'logo.bin', size: 9, type: 'application/octet-stream' },
        { path: 'scripts/check.py', size: 12, type: 'text/x-python' },
      ],
    });
  });

  it('resolves an absolute file:/// location', async () => {
    const { status, json } = await getJson('/skills/absolute/contents');
    expect(status).toBe(200);
    expect(json.files).toEqual([{ path: 'README.md', size: 9, type: 'text/markdown' }]);
  });

  it('answers 404 without a location, with a missing folder, or a file as location', async () => {
    for (const name of ['bare', 'ghost', 'file-location']) {
      const { status, type } = await getJson(`/skills/${name}/contents`);
      expect(status, name).toBe(404);
      expect(type).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('GET /skills/{name}/contents/{file}', () => {
  it('serves files with their media type, nested ones too', async () => {
    const guide = await fetch(`${base}/skills/ship-ops/contents/guide.md`);
    expect(guide.status).toBe(200);
    expect(guide.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(guide.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await guide.text()).toBe(SKILL_FILES['guide.md']);
    const nested = await fetch(`${base}/skills/ship-ops/contents/docs/deep/notes.txt`);
    expect(nested.status).toBe(200);
    expect(nested.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await nested.text()).toBe('nested notes\n');
    const data = await fetch(`${base}/skills/ship-ops/contents/data.json`);
    expect(data.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await data.json()).toEqual({ ships: 2 });
    const bin = await fetch(`${base}/skills/ship-ops/contents/logo.bin`);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(Buffer.from(SKILL_FILES['logo.bin']!, 'latin1'));
    const link = await fetch(`${base}/skills/ship-ops/contents/inner-link.md`);
    expect(await link.text()).toBe(SKILL_FILES['guide.md']);
    const head = await fetch(`${base}/skills/ship-ops/contents/guide.md`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('answers 404 for a missing file or a folder', async () => {
    for (const path of ['missing.md', 'docs/missing.txt', 'docs', 'docs/deep']) {
      const res = await rawGet(base, `/skills/ship-ops/contents/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  const ATTACKS = [
    '../../secret.txt',
    '..%2f..%2fsecret.txt',
    '..%2F..%2Fsecret.txt',
    '%2e%2e/%2e%2e/secret.txt',
    '%2E%2E%2F%2E%2E%2Fsecret.txt',
    'docs/../../../secret.txt',
    'docs%2F..%2F..%2F..%2Fsecret.txt',
    './guide.md',
    '..%5c..%5csecret.txt',
    '/etc/passwd',
    '%2Fetc%2Fpasswd',
    `${'%2e%2e%2f'.repeat(12)}etc%2fpasswd`,
    'escape.txt',
    'outdir/secret.txt',
    'docs/relative-escape.txt',
    'has%20space.txt',
    'guide.md%00.txt',
  ];
  it.each(ATTACKS)('refuses %s with 400 and never serves outside content', async (attack) => {
    const res = await rawGet(base, `/skills/ship-ops/contents/${attack}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.toString('latin1')).not.toContain(SECRET);
    expect(res.body.toString('latin1')).not.toContain('root:');
  });

  it('refuses traversal that leaves the route itself with a problem, never file content', async () => {
    for (const path of ['/skills/ship-ops/contents/../../../../secret.txt', '/skills/../skills/ship-ops/contents/../../secret.txt', '/skills/%2e%2e/contents/secret.txt']) {
      const res = await rawGet(base, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString('latin1')).not.toContain(SECRET);
    }
  });
});

describe('GET /skills/{name}/download', () => {
  it('streams a zip of the folder whose entries are the listed files with their content', async () => {
    const res = await fetch(`${base}/skills/ship-ops/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="ship-ops.zip"');
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    expect([...entries.keys()].sort()).toEqual(['SKILL.md', 'data.json', 'docs/deep/notes.txt', 'guide.md', 'inner-link.md', 'logo.bin', 'scripts/check.py']);
    for (const [name, text] of entries) {
      expect(text, name).toBe(name === 'inner-link.md' ? SKILL_FILES['guide.md'] : SKILL_FILES[name]);
      expect(text).not.toContain(SECRET);
    }
  });

  it('answers HEAD without a body', async () => {
    const head = await fetch(`${base}/skills/ship-ops/download`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/zip');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(`${base}/skills`)).status).toBe(200);
  });

  it('answers 404 without a location folder', async () => {
    for (const name of ['bare', 'ghost', 'file-location']) expect((await getJson(`/skills/${name}/download`)).status, name).toBe(404);
  });
});

describe('authentication', () => {
  it('refuses a missing or wrong bearer token with 401 problem+json and a challenge', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }]) {
      for (const path of ['/skills', '/skills/locked', '/skills/locked/contents', '/skills/locked/contents/guide.md', '/skills/locked/download', '/skills/unknown']) {
        const res = await rawGet(secureBase, path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(res.body.toString()).not.toContain('Call get-ship');
      }
    }
  });

  it('serves every route with the right token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await getJson('/skills', auth, secureBase)).json).toMatchObject({ count: 1, skills: [{ name: 'locked' }] });
    expect((await getJson('/skills/locked', auth, secureBase)).json.tools[0].invocationRef).toEqual({ targetNamespace: 'tools', action: 'get-ship', mode: 'mcp' });
    expect((await getJson('/skills/locked/contents', auth, secureBase)).json.files).toHaveLength(7);
    const file = await rawGet(secureBase, '/skills/locked/contents/guide.md', auth);
    expect(file.body.toString()).toBe(SKILL_FILES['guide.md']);
    const zip = await rawGet(secureBase, '/skills/locked/download', auth);
    expect(zip.status).toBe(200);
    expect((await unzip(zip.body)).size).toBe(7);
  });

  it('leaves the unauthenticated adapter open', async () => {
    expect((await getJson('/skills')).status).toBe(200);
  });
});

describe('start-up checks', () => {
  const withSkills = (skills: unknown[]): SkillAdapterNode => ({ ...skillNode('catalog'), skills: skills as SkillAdapterNode['skills'] });
  const register = (node: SkillAdapterNode) => registerSkillAdapter(createRestServer(), node as never, graph as never, { baseDir: dir });

  it('fails on a missing instruction file, naming the skill and the file', () => {
    const node = withSkills([{ name: 'broken', description: 'd', location: 'file:///./skills/ship-ops', tools: [{ name: 't', description: 'd', instruction: 'docs/absent.md' }] }]);
    expect(() => register(node)).toThrow(SkillAdapterError);
    expect(() => register(node)).toThrow(/skill `broken`.*docs\/absent\.md/);
  });

  it('fails on an instruction that escapes the folder or is a folder, and on one without a location', () => {
    const tool = (instruction: string) => [{ name: 's', description: 'd', location: 'file:///./skills/ship-ops', tools: [{ name: 't', description: 'd', instruction }] }];
    expect(() => register(withSkills(tool('../../secret.txt')))).toThrow(/skill `s`.*not a safe relative path/);
    expect(() => register(withSkills(tool('escape.txt')))).toThrow(/leads outside/);
    expect(() => register(withSkills(tool('docs')))).toThrow(/not a file/);
    expect(() => register(withSkills([{ name: 'n', description: 'd', tools: [{ name: 't', description: 'd', instruction: 'guide.md' }] }]))).toThrow(/skill `n`.*needs the skill to have a `location`/);
  });

  it('fails on a `from` naming no sibling rest or mcp adapter, and on duplicate skill names', () => {
    expect(() => register(withSkills([{ name: 'x', description: 'd', tools: [{ name: 't', description: 'd', from: { sourceNamespace: 'secure-catalog', action: 'a' } }] }]))).toThrow(/`from.sourceNamespace: secure-catalog` names no rest or mcp adapter/);
    expect(() => register(withSkills([{ name: 'x', description: 'd' }, { name: 'x', description: 'e' }]))).toThrow(/two skills have this name/);
  });
});

describe('capstan run', () => {
  it('refuses to start when an instruction file is missing, naming the skill and the file', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, `naftiko: "1.0.0-alpha2"
capability:
  exposes:
    - type: skill
      port: 3005
      namespace: broken-catalog
      skills:
        - name: how-to
          description: "Instructions only"
          location: "file:///./skills/ship-ops"
          tools:
            - name: checklist
              description: "The checklist"
              instruction: docs/checklist.md
`);
    const r = runCli(['run', file, '--host', '127.0.0.1', '--port', 'broken-catalog=0', '--log-level', 'warn']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skill `how-to`, tool `checklist`: instruction file `docs\/checklist\.md` not found/);
    expect(r.stdout).not.toMatch(/^skill /m);
  });
});

describe('resolveLocation', () => {
  it('resolves the spec forms against the capability folder or as absolute paths', () => {
    expect(resolveLocation('file:///./skills/a', '/caps')).toBe('/caps/skills/a');
    expect(resolveLocation('file://./skills/a', '/caps')).toBe('/caps/skills/a');
    expect(resolveLocation('file:///../skills/a', '/caps/x')).toBe('/caps/skills/a');
    expect(resolveLocation('./skills/a', '/caps')).toBe('/caps/skills/a');
    expect(resolveLocation('file:///opt/skills/a', '/caps')).toBe('/opt/skills/a');
    expect(resolveLocation('file://localhost/opt/skills/a', '/caps')).toBe('/opt/skills/a');
    expect(resolveLocation('file:///opt/my%20skills', '/caps')).toBe('/opt/my skills');
    expect(() => resolveLocation('https://example.com/skills', '/caps')).toThrow(/not a file: URI/);
    expect(() => resolveLocation('file://server/share/skills', '/caps')).toThrow(/host `server`/);
  });
});
