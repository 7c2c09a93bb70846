/**
 * Capstan's extensions to the alpha2 schema: resilience policies (`resiliency`, shape of
 * naftiko/ikanos#384), REST `cacheControl` (ikanos#486), per-client inbound rate limits
 * (`x-capstan-rateLimit`), the OAuth2 client of a consumed API (`x-capstan-client*`) and the
 * allowed values of an input (`x-capstan-enum`). The default mode runs them silently; `--strict`
 * (the official schema's letter) reports each one.
 */
import type { Diagnostic } from './diagnostics.js';
import type { PathSegment, SourceDocument } from './source.js';

/** Extension keys and what each is, for the strict-mode message. */
export const EXTENSION_KEYS: Readonly<Record<string, string>> = {
  resiliency: 'resilience policies, proposed in naftiko/ikanos#384',
  cacheControl: 'REST Cache-Control, proposed in naftiko/ikanos#486',
  'x-capstan-rateLimit': 'a per-client inbound rate limit',
  'x-capstan-clientId': 'the OAuth2 client of a consumed API',
  'x-capstan-clientSecret': 'the OAuth2 client of a consumed API',
  'x-capstan-refreshToken': 'the OAuth2 refresh token of a consumed API',
  'x-capstan-enum': 'the values an input accepts',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** One error per extension key used where Capstan reads it (strict mode only). */
export function detectExtensions(doc: SourceDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (node: unknown, path: PathSegment[]) => {
    if (!isObj(node)) return;
    for (const key of Object.keys(node)) {
      if (!(key in EXTENSION_KEYS)) continue;
      out.push({
        file: doc.file, ...doc.locate([...path, key], 'key'), path: [...path, key], severity: 'error', code: 'capstan-extension',
        message: `\`${key}\` is a Capstan extension (${EXTENSION_KEYS[key]}), not part of the official alpha2 schema`,
        fix: `remove \`${key}\` for strict official conformance, or validate without --strict`,
      });
    }
  };
  // Input parameters (at every level that has them) carry their own extension keys.
  const checkInputs = (node: unknown, path: PathSegment[]) => {
    if (isObj(node)) list(node.inputParameters).forEach((p, i) => check(p, [...path, 'inputParameters', i]));
  };
  const root = doc.value;
  if (!isObj(root)) return out;
  const capability = isObj(root.capability) ? root.capability : undefined;
  if (capability) check(capability, ['capability']);
  const consumed: Array<[unknown, PathSegment[]]> = [[root.consumes, ['consumes']], [capability?.consumes, ['capability', 'consumes']]];
  for (const [apis, base] of consumed) {
    list(apis).forEach((api, i) => {
      check(api, [...base, i]);
      checkInputs(api, [...base, i]);
      if (!isObj(api)) return;
      check(api.authentication, [...base, i, 'authentication']);
      list(api.resources).forEach((res, r) => {
        check(res, [...base, i, 'resources', r]);
        checkInputs(res, [...base, i, 'resources', r]);
        if (isObj(res)) list(res.operations).forEach((op, o) => {
          check(op, [...base, i, 'resources', r, 'operations', o]);
          checkInputs(op, [...base, i, 'resources', r, 'operations', o]);
        });
      });
    });
  }
  list(capability?.exposes).forEach((adapter, a) => {
    check(adapter, ['capability', 'exposes', a]);
    if (!isObj(adapter)) return;
    list(adapter.resources).forEach((res, r) => {
      checkInputs(res, ['capability', 'exposes', a, 'resources', r]);
      if (isObj(res)) list(res.operations).forEach((op, o) => {
        check(op, ['capability', 'exposes', a, 'resources', r, 'operations', o]);
        checkInputs(op, ['capability', 'exposes', a, 'resources', r, 'operations', o]);
      });
    });
    list(adapter.tools).forEach((tool, t) => checkInputs(tool, ['capability', 'exposes', a, 'tools', t]));
  });
  list(capability?.aggregates).forEach((agg, g) => {
    if (isObj(agg)) list(agg.functions).forEach((fn, f) => checkInputs(fn, ['capability', 'aggregates', g, 'functions', f]));
  });
  return out;
}
