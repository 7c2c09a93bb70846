/**
 * Property-based tests (fast-check):
 * - the executor's URL builder (packages/runtime/src/executor/url.ts) never yields a URL whose
 *   origin differs from the upstream's or whose path escapes the base path, whatever the
 *   placeholder values; the forward path builder neither;
 * - the loader never throws or hangs on mutated seed specs (specs/*.yaml): every mutation gives
 *   diagnostics or a graph, each within a time cap.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { InputError, UpstreamError } from '@capstan/runtime';
import { buildTarget, finalUrl, forwardPath, forwardQuery } from '@capstan/runtime/internals';
import { tempSpecDir } from '../helpers/tmp.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** Characters that matter to paths and URLs, over-represented so the interesting cases come often. */
const PATHISH = ['.', '.', '/', '/', '\\', '%', '2', 'e', 'E', 'f', 'F', '5', 'c', 'C', '?', '#', '@', ':', 'h', 't', 'p', 's', 'a', '\r', '\n', '\u0000', ' ', '~', '&', '=', '+', ';', '\u00ae', '\uff0e', '\u2215'];
const pathish = fc.array(fc.constantFrom(...PATHISH), { maxLength: 24 }).map((a) => a.join(''));
/** Arbitrary values: path-ish text, full unicode text, and pieces of attacks glued together. */
const value = fc.oneof(
  pathish,
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(fc.constantFrom('..', '.', '%2e', '%2E', '%252e', '%2f', '%2F', '%5c', '/', '//', '\\', 'http:', '//evil.example', '127.0.0.1:1', '?', '#', 'a', '%00', '%0d%0a', '@'), { maxLength: 8 }).map((a) => a.join('')),
);

const BASES = ['http://127.0.0.1:4010/base', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010/a/b', 'https://api.example.test/v1/'];
const TEMPLATES = ['/files/{name}/meta', '/proxy/{apiPath}', '/{a}/{b}', '/x{a}y/{{b}}', '/items/{{a}}', '{apiPath}', '/q/{a}?fixed=1'];
const IDS = { namespace: 'up', operation: 'op' };

/** The base path as the executor derives it (url.ts callers strip trailing slashes). */
const basePathOf = (base: URL) => base.pathname.replace(/\/+$/, '');

/** True when `url` is on `base`'s origin and every path segment stays under the base path, decoded once. */
function contained(url: URL, base: URL): string | undefined {
  if (url.origin !== base.origin) return `origin ${url.origin} is not ${base.origin}`;
  const basePath = basePathOf(base);
  if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return `path ${url.pathname} escapes ${basePath}`;
  for (const segment of url.pathname.slice(basePath.length).split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `segment ${segment} is malformed`;
    }
    if (decoded === '.' || decoded === '..') return `dot segment in ${url.pathname}`;
    if (decoded.includes('/') || decoded.includes('\\')) return `encoded separator in ${url.pathname}`;
  }
  if (url.hash) return `fragment ${url.hash}`;
  if (url.username || url.password) return 'credentials in the URL';
  return undefined;
}

describe('URL builder properties (url.ts)', () => {
  it('buildTarget + finalUrl never leave the upstream origin or base path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fc.constantFrom(...TEMPLATES), fc.dictionary(fc.constantFrom('name', 'apiPath', 'a', 'b'), value), fc.array(fc.tuple(fc.string({ maxLength: 8 }), value), { maxLength: 3 }), (baseText, template, values, query) => {
        const base = new URL(baseText);
        const basePath = basePathOf(base);
        let url: URL;
        try {
          const target = buildTarget(basePath, template, (name) => values[name]);
          url = finalUrl(base.origin, basePath, target, [...target.query, ...query], IDS);
        } catch (err) {
          // Refusing is always allowed; nothing else may be thrown.
          if (err instanceof InputError || (err instanceof UpstreamError && err.kind === 'bad-request-target')) return;
          throw err;
        }
        const problem = contained(url, base);
        if (problem) throw new Error(`${problem} (template ${JSON.stringify(template)}, values ${JSON.stringify(values)})`);
      }),
      { numRuns: 3_000, seed: 20260101 },
    );
  });

  it('a one-segment placeholder value comes out as exactly one segment, decoding back to the value', () => {
    fc.assert(
      fc.property(value, (v) => {
        let target;
        try {
          target = buildTarget('/base', '/files/{name}/meta', () => v);
        } catch (err) {
          if (err instanceof InputError) return;
          throw err;
        }
        const segments = target.path.split('/');
        expect(segments.length).toBe(5);
        expect(segments[4]).toBe('meta');
        expect(decodeURIComponent(segments[3]!)).toBe(v);
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });

  /** Builds a forwarded URL the way executor.ts forwardRequest does; undefined when refused. */
  function forwarded(base: URL, rawPath: string, rawQuery: string): URL | undefined {
    const basePath = basePathOf(base);
    try {
      const path = forwardPath(basePath, rawPath);
      const query = forwardQuery(rawQuery);
      const url = new URL(`${base.origin}${path}${query ? `?${query}` : ''}`);
      // The executor refuses anything the URL parser would have normalised.
      return url.pathname === (path || '/') ? url : undefined;
    } catch (err) {
      if (err instanceof InputError) return undefined;
      throw err;
    }
  }

  /** What Node's HTTP parser hands over as `req.url`: bytes as latin1 characters. */
  const asRequestLine = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

  it('forwardPath + forwardQuery never leave the upstream origin or base path (request-line input)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), value.map(asRequestLine), value.map(asRequestLine), (baseText, rawPath, rawQuery) => {
        const base = new URL(baseText);
        const url = forwarded(base, rawPath, rawQuery);
        if (!url) return;
        const problem = contained(url, base);
        if (problem) throw new Error(`${problem} (raw path ${JSON.stringify(rawPath)})`);
      }),
      { numRuns: 3_000, seed: 42 },
    );
  });

  // Latent over HTTP (Node gives latin1 `req.url`), but the functions must hold for any string:
  // lone surrogates are refused and the query is re-encoded by whole code points.
  it('forwardPath + forwardQuery refuse or encode any string, never throw anything but InputError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), value, value, (baseText, rawPath, rawQuery) => {
        forwarded(new URL(baseText), rawPath, rawQuery);
      }),
      { numRuns: 3_000, seed: 42 },
    );
  });
});

// ---- loader robustness ------------------------------------------------------------------------

const SEEDS = readdirSync(join(REPO_ROOT, 'specs'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ name: f, text: readFileSync(join(REPO_ROOT, 'specs', f), 'utf8') }));

type Mutation =
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'reindent'; at: number; by: number }
  | { kind: 'insert'; at: number; col: number; text: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const NOISE = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(':', ': ', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '!!binary ', '? ', '|', '>', '#', '\t', '\u0000', '%YAML 1.2\n---\n', '<<: *a', '{{', '}}', '~', '\ufeff', '\r'),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reindent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), col: fc.nat(), text: NOISE }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** The scalar after `key: ` on a line, if any. */
const SCALAR = /^(\s*-?\s*[\w$.-]+:\s+)(\S.*)$/;

function mutate(text: string, mutations: Mutation[]): string {
  let lines = text.split('\n');
  for (const m of mutations) {
    const n = lines.length;
    if (n === 0) break;
    switch (m.kind) {
      case 'delete':
        lines.splice(m.at % n, m.count);
        break;
      case 'duplicate':
        lines.splice(m.at % n, 0, lines[m.at % n]!);
        break;
      case 'reindent': {
        const i = m.at % n;
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
        break;
      }
      case 'insert': {
        const i = m.at % n;
        const line = lines[i]!;
        const col = line.length ? m.col % (line.length + 1) : 0;
        lines[i] = line.slice(0, col) + m.text + line.slice(col);
        break;
      }
      case 'swap': {
        // Swap the scalar values of two `key: value` lines (types and references get mixed up).
        const withScalars = lines.map((l, i) => (SCALAR.test(l) ? i : -1)).filter((i) => i >= 0);
        if (withScalars.length < 2) break;
        const a = withScalars[m.a % withScalars.length]!;
        const b = withScalars[m.b % withScalars.length]!;
        const ma = SCALAR.exec(lines[a]!)!;
        const mb = SCALAR.exec(lines[b]!)!;
        lines[a] = ma[1] + mb[2]!;
        lines[b] = mb[1] + ma[2]!;
        break;
      }
      case 'truncate':
        lines = lines.slice(0, Math.max(1, m.at % n));
        break;
    }
  }
  return lines.join('\n');
}

/** Wall-clock cap per mutated file (load + validate + compile). */
const CASE_CAP_MS = 2_000;

describe('loader robustness (mutated seed specs)', () => {
  it('the seeds themselves load', () => {
    expect(SEEDS.length).toBeGreaterThan(0);
    const dir = tempSpecDir(Object.fromEntries(SEEDS.map((s) => [s.name, s.text])));
    for (const s of SEEDS) expect(checkSpec(join(dir, s.name)).graph, s.name).toBeDefined();
  });

  it('300 random mutations: always diagnostics or a graph, never a throw or a hang', () => {
    const dir = tempSpecDir({});
    let slowest = 0;
    let withErrors = 0;
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 5 }), (seed, mutations) => {
        const text = mutate(seed.text, mutations);
        const file = join(dir, 'mutated.yaml');
        writeFileSync(file, text);
        const started = performance.now();
        const result = checkSpec(file);
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        if (ms > CASE_CAP_MS) throw new Error(`checkSpec took ${Math.round(ms)} ms on a mutation of ${seed.name}: ${JSON.stringify(mutations)}`);
        expect(Array.isArray(result.diagnostics)).toBe(true);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length) withErrors++;
        // Either a graph without errors, or at least one positioned error without a graph.
        if (result.graph) expect(errors).toEqual([]);
        else expect(errors.length).toBeGreaterThan(0);
        for (const d of result.diagnostics) {
          expect(typeof d.message).toBe('string');
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300, seed: 1234 },
    );
    expect(withErrors).toBeGreaterThan(30);
    expect(slowest).toBeLessThan(CASE_CAP_MS);
  }, 60_000);
});
