/**
 * Consumed APIs behind a tunnel (`tunnel: {type: ziti, ...}`). Capstan does not dial overlay
 * networks: with `fallback: direct` it calls `baseUri` directly (a warning says so); with
 * `fallback: fail` (the default) the upstream is unreachable for Capstan, which is an error.
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { PathSegment, SourceDocument } from '../../source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** One diagnostic per consumed API that declares a tunnel. */
export function checkTunnels(doc: SourceDocument): Diagnostic[] {
  const root = doc.value as Obj;
  const lists: Array<[unknown, PathSegment[]]> = [[root.consumes, ['consumes']], [isObj(root.capability) ? root.capability.consumes : undefined, ['capability', 'consumes']]];
  const out: Diagnostic[] = [];
  for (const [list, base] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((api, i) => {
      if (!isObj(api) || !isObj(api.tunnel)) return;
      const direct = api.tunnel.fallback === 'direct';
      out.push({
        file: doc.file, ...doc.locate([...base, i, 'tunnel'], 'key'), severity: direct ? 'warning' : 'error', code: 'tunnel-not-supported',
        message: direct
          ? `\`${String(api.namespace)}\` declares a \`${String(api.tunnel.type)}\` tunnel; Capstan does not dial tunnels and calls \`baseUri\` directly (\`fallback: direct\`)`
          : `\`${String(api.namespace)}\` is reachable only through a \`${String(api.tunnel.type)}\` tunnel, which Capstan does not dial`,
        fix: direct ? 'make sure `baseUri` is reachable from where Capstan runs' : 'set `fallback: direct` to call `baseUri` directly, or run this capability on the reference engine',
      });
    });
  }
  return out;
}
