/**
 * Start-up preparation of every consumed API: its base (override, or `baseUri` with binds
 * rendered: base-uri.ts) and, for `type: certificate`, the TLS options of its connections
 * (auth/certificate.ts), with the key material to redact.
 */
import { dirname } from 'node:path';
import type { CapabilityGraph } from '@capstan/spec';
import { clientTls, type ClientTls } from './auth/certificate.js';
import { prepareBase, type UpstreamBase } from './base-uri.js';
import { render } from './mustache.js';

/** What the executor keeps per consumed namespace. */
export interface PreparedUpstreams {
  bases: Map<string, UpstreamBase>;
  clientTls: Map<string, ClientTls>;
  /** Secrets read from files (client keys), for redaction. */
  secrets: string[];
}

/** Prepares every consumed API; throws naming the namespace when one cannot be used. */
export function prepareUpstreams(graph: CapabilityGraph, overrides: Readonly<Record<string, string>> | undefined, binds: Record<string, unknown>): PreparedUpstreams {
  const out: PreparedUpstreams = { bases: new Map(), clientTls: new Map(), secrets: [] };
  for (const api of graph.consumes.values()) {
    out.bases.set(api.namespace, prepareBase(api, overrides?.[api.namespace] ?? overrides?.['*'], binds));
    if (api.auth?.type === 'certificate') {
      const { tls, secrets } = clientTls(api.auth, (t) => (t === undefined ? '' : render(t, [binds])), dirname(graph.file), api.namespace);
      out.clientTls.set(api.namespace, tls);
      out.secrets.push(...secrets);
    }
  }
  return out;
}
