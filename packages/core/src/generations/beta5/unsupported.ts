/**
 * beta5 features Capstan does not run yet, reported at load time rather than at the first request:
 * - a consumed API behind a tunnel (`tunnel: {type: ziti, ...}`): Capstan does not dial overlay
 *   networks; with `fallback: direct` it calls `baseUri` directly (a warning), otherwise the
 *   upstream is unreachable (an error);
 * - binary passthrough (`outputRawFormat: binary`, `responseBinary`): an error; documented
 *   `responses` are not shown in OpenAPI yet: a warning.
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { PathSegment, SourceDocument } from '../../source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const entries = (v: unknown): Array<[string, Obj]> => (isObj(v) ? Object.entries(v).filter((e): e is [string, Obj] => isObj(e[1])) : []);

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
        for (const [r, res] of entries(api.resources)) {
          for (const [o, op] of entries(res.operations)) {
            if (op.outputRawFormat === 'binary') report([...base, 'consumes', i, 'resources', r, 'operations', o, 'outputRawFormat'], 'error', 'binary-not-supported', `\`${o}\` passes binary answers through (\`outputRawFormat: binary\`), which Capstan does not support yet`, 'use a parsed format (json, xml, csv, ...) or run this capability on the reference engine');
          }
        }
      });
    }
    if (Array.isArray(holder.exposes)) {
      (holder.exposes as unknown[]).forEach((adapter, i) => {
        if (!isObj(adapter)) return;
        for (const [r, res] of entries(adapter.resources)) {
          for (const [o, op] of entries(res.operations)) {
            const at = [...base, 'exposes', i, 'resources', r, 'operations', o];
            if ('responseBinary' in op) report([...at, 'responseBinary'], 'error', 'binary-not-supported', `\`${o}\` answers with binary content (\`responseBinary\`), which Capstan does not support yet`, 'answer with JSON outputs, or run this capability on the reference engine');
            if ('responses' in op) report([...at, 'responses'], 'warning', 'responses-ignored', `\`${o}\` documents \`responses\`; Capstan does not show them in OpenAPI yet`, 'keep them for the reference engine; Capstan documents the mapped outputs');
          }
        }
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
