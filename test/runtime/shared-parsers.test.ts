/**
 * The runtime's shared building blocks that two adapters or two directions rely on:
 * - safe files (skill contents and MCP static resources): segments checked, symlinks followed
 *   only inside the folder, a final symlink never opened, one media-type table;
 * - the HTTP auth-parameter parser (outbound digest challenges, inbound digest credentials).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTextual, listFiles, mediaType, MissingFileError, readInside, realFolder, UnsafePathError } from '@capstan/runtime';
import { parseAuthHeader } from '@capstan/runtime';
import { DigestVerifier } from '@capstan/runtime/internals';
import { tempSpecDir } from '../helpers/tmp.js';

function folder(): { root: string; outside: string } {
  const base = tempSpecDir({ 'in/a.md': '# a\n', 'in/sub/b.json': '{}', 'in/script.ts': 'x', 'out/secret.txt': 'secret' });
  const root = join(base, 'in');
  symlinkSync(join(base, 'out/secret.txt'), join(root, 'escape.txt'));
  symlinkSync(join(base, 'out'), join(root, 'outdir'));
  symlinkSync(join(root, 'a.md'), join(root, 'inner.md'));
  mkdirSync(join(root, 'loop'));
  symlinkSync(root, join(root, 'loop', 'back'));
  writeFileSync(join(root, 'has space.txt'), 'x');
  return { root, outside: join(base, 'out') };
}

describe('safe files', () => {
  it('lists only files a read would accept: inside the folder, safe names, no cycles', async () => {
    const { root } = folder();
    const real = (await realFolder(root))!;
    const files = await listFiles(real);
    expect(files.map((f) => f.path)).toEqual(['a.md', 'inner.md', 'script.ts', 'sub/b.json']);
    expect(files.map((f) => f.type)).toEqual(['text/markdown', 'text/markdown', 'text/x-typescript', 'application/json']);
  });

  it('reads inside, refuses escapes and bad segments, and says what is missing', async () => {
    const { root } = folder();
    const real = (await realFolder(root))!;
    expect((await readInside(real, ['sub', 'b.json'])).data.toString()).toBe('{}');
    expect((await readInside(real, ['inner.md'])).data.toString()).toBe('# a\n');
    for (const bad of [['..', 'out', 'secret.txt'], ['escape.txt'], ['outdir', 'secret.txt'], ['has space.txt'], ['sub', ''], ['.']]) {
      await expect(readInside(real, bad), bad.join('/')).rejects.toBeInstanceOf(UnsafePathError);
    }
    await expect(readInside(real, ['nope.md'])).rejects.toBeInstanceOf(MissingFileError);
    await expect(readInside(real, ['sub'])).rejects.toBeInstanceOf(MissingFileError);
    expect(await realFolder(join(root, 'missing'))).toBeUndefined();
  });

  it('one media-type table decides text or binary', () => {
    expect(mediaType('x.yaml')).toBe('text/yaml');
    expect(mediaType('x.unknown-ext')).toBe('application/octet-stream');
    expect(['text/markdown', 'application/json', 'application/yaml', 'image/svg+xml', 'application/ld+json'].every(isTextual)).toBe(true);
    expect(['image/png', 'application/pdf', 'application/octet-stream'].some(isTextual)).toBe(false);
  });
});

describe('HTTP auth parameters', () => {
  it('reads several challenges per header value and across values, quoted and token values', () => {
    const parsed = parseAuthHeader(['Basic realm="a, b", Digest realm="r\\"q", nonce=abc, qop="auth,auth-int"', 'Digest realm=x, algorithm=SHA-256']);
    expect(parsed).toEqual([
      { scheme: 'Basic', params: { realm: 'a, b' } },
      { scheme: 'Digest', params: { realm: 'r"q', nonce: 'abc', qop: 'auth,auth-int' } },
      { scheme: 'Digest', params: { realm: 'x', algorithm: 'SHA-256' } },
    ]);
    expect(parseAuthHeader(undefined)).toEqual([]);
  });

  it('inbound digest takes only an Authorization whose first credential is Digest', () => {
    const verifier = new DigestVerifier('realm', 'user', 'pass');
    const request = (authorization: string) => ({ method: 'GET', url: '/x', headers: { authorization } });
    for (const auth of ['Bearer abc Digest username="user"', 'Basic dXNlcjpwYXNz, Digest username="user"', 'Digestx username="user"']) {
      const decision = verifier.verify(request(auth));
      expect(decision.ok, auth).toBe(false);
      if (!decision.ok) expect(decision.detail).toBe('digest credentials required');
    }
    const incomplete = verifier.verify(request('Digest username="user", realm="realm"'));
    expect(!incomplete.ok && incomplete.detail).toBe('incomplete digest credentials');
  });
});
