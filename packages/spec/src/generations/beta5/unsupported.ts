/**
 * beta5 features Capstan does not run yet, reported at load time rather than at the first request:
 * - a consumed API behind a tunnel (`tunnel: {type: ziti, ...}`): Capstan does not dial overlay
 *   networks; with `fallback: direct` it calls `baseUri` directly (a warning), otherwise the
 *   upstream is unreachable (an error);
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { PathSegment, SourceDocument } from '../../source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** One diagnostic per unsupported use. */
export function checkUnsupported(doc: SourceDocument): Diagnostic[] {
  const root = doc.value as Obj;
  const out: Diagnostic[] = [];
  const report = (path: PathSegment[], severity: Diagnostic['severity'], code: string, message: string, fix: string) =>
    out.push({ file: doc.file, ...doc.locate(path, 'key'), severity, code, message, fix });
  const holders: Array<[Obj, PathSegment[]]> = [[root, []]];
  if (isObj(root.capability)) holders.push([root.capability, ['capability']]);
  for (const [holder, base] of holders) {
    if (Array.isArray(holder.consumes)) {
      (holder.consumes as unknown[]).forEach((api, i) => {
        if (!isObj(api)) return;
        if (isObj(api.tunnel)) tunnel(api, [...base, 'consumes', i], report);
      });
    }
  }
  return out;
}

function tunnel(api: Obj, at: PathSegment[], report: (path: PathSegment[], severity: Diagnostic['severity'], code: string, message: string, fix: string) => void): void {
  const t = api.tunnel as Obj;
  const direct = t.fallback === 'direct';
  report([...at, 'tunnel'], direct ? 'warning' : 'error', 'tunnel-not-supported',
    direct
      ? `\`${String(api.namespace)}\` declares a \`${String(t.type)}\` tunnel; Capstan does not dial tunnels and calls \`baseUri\` directly (\`fallback: direct\`)`
      : `\`${String(api.namespace)}\` is reachable only through a \`${String(t.type)}\` tunnel, which Capstan does not dial`,
    direct ? 'make sure `baseUri` is reachable from where Capstan runs' : 'set `fallback: direct` to call `baseUri` directly, or run this capability on the reference engine');
}
