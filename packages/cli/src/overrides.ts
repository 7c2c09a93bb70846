/**
 * What `run` and `validate` check across the capability files given, before anything listens:
 * `--upstream` and `--port` namespaces must exist (a typo would otherwise send traffic, with real
 * credentials, to the production `baseUri`); `--upstream` with a bare origin keeps the `baseUri`'s
 * path; adapters of different files must not claim the same port (REST adapters may share one,
 * their routes are checked when they start); and an adapter that attaches bound credentials to
 * upstream calls should not listen beyond loopback without inbound authentication.
 */
import type { AdapterNode, CapabilityGraph } from '@capstan/spec';

/** A capability and the file it came from. */
export interface FileGraph {
  file: string;
  graph: CapabilityGraph;
}

const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

function known(names: Iterable<string>): string {
  const list = [...names].map((n) => `\`${n}\``);
  return list.length ? list.join(', ') : 'none';
}

/**
 * The base URI of every overridden consumed namespace (`*` applies to all), or an error message.
 * A bare origin keeps the `baseUri`'s path; a URL with a path replaces the `baseUri` whole.
 */
export function resolveUpstreams(graphs: readonly FileGraph[], upstreams: Readonly<Record<string, string>>): Record<string, string> | string {
  const consumed = new Map<string, string>();
  for (const { graph } of graphs) for (const api of graph.consumes.values()) consumed.set(api.namespace, api.baseUri);
  const out: Record<string, string> = {};
  for (const [ns, url] of Object.entries(upstreams)) {
    if (ns !== '*' && !consumed.has(ns)) return `--upstream ${ns}=${url}: no consumed namespace \`${ns}\` in the files given (consumed namespaces: ${known(consumed.keys())})`;
  }
  for (const [ns, baseUri] of consumed) {
    const url = upstreams[ns] ?? upstreams['*'];
    if (url === undefined) continue;
    const origin = ORIGIN.exec(url)?.[0] ?? url;
    const bare = url.slice(origin.length).replace(/\/+$/, '') === '';
    out[ns] = bare ? `${origin}${baseUri.replace(ORIGIN, '')}` : url.replace(/\/+$/, '');
  }
  return out;
}

/** An error message when a `--port` namespace names no adapter of the files given. */
export function unknownPortNamespace(graphs: readonly FileGraph[], ports: Readonly<Record<string, number>>): string | undefined {
  const adapters = new Set(graphs.flatMap(({ graph }) => graph.adapters.map((a) => a.namespace)));
  const wrong = Object.keys(ports).find((ns) => !adapters.has(ns));
  return wrong === undefined ? undefined : `--port ${wrong}=${ports[wrong]}: no adapter \`${wrong}\` in the files given (adapters: ${known(adapters)})`;
}

/** The address an adapter listens on (the file's `address`, else the type's default), unless overridden. */
export function listenHost(adapter: AdapterNode, host?: string): string {
  return host ?? adapter.address ?? (adapter.type === 'mcp' || adapter.type === 'control' ? 'localhost' : '0.0.0.0');
}

function listens(adapter: AdapterNode): adapter is AdapterNode & { port: number } {
  return adapter.port !== undefined && !(adapter.type === 'mcp' && adapter.transport === 'stdio');
}

/** Two adapters of different files on one port, when not both REST (REST adapters share a server). */
export interface PortClash {
  port: number;
  first: { file: string; adapter: AdapterNode };
  second: { file: string; adapter: AdapterNode };
}

/** Port clashes across files, with the ports and host `run` would use. */
export function portClashes(graphs: readonly FileGraph[], ports: Readonly<Record<string, number>> = {}, host?: string): PortClash[] {
  const bound: Array<{ file: string; adapter: AdapterNode; port: number; host: string }> = [];
  const clashes: PortClash[] = [];
  for (const { file, graph } of graphs) {
    for (const adapter of graph.adapters) {
      if (!listens(adapter)) continue;
      const port = ports[adapter.namespace] ?? adapter.port;
      if (port === 0) continue;
      const h = listenHost(adapter, host);
      const wild = (x: string) => x === '0.0.0.0' || x === '::';
      const other = bound.find((b) => b.file !== file && b.port === port && (b.host === h || wild(b.host) || wild(h)) && !(b.adapter.type === 'rest' && adapter.type === 'rest'));
      if (other) clashes.push({ port, first: { file: other.file, adapter: other.adapter }, second: { file, adapter } });
      bound.push({ file, adapter, port, host: h });
    }
  }
  return clashes;
}

/** One line naming both sides of a clash. */
export function clashMessage(c: PortClash): string {
  return `port ${c.port} is claimed by the ${c.first.adapter.type} adapter \`${c.first.adapter.namespace}\` (${c.first.file}) and the ${c.second.adapter.type} adapter \`${c.second.adapter.namespace}\` (${c.second.file}); give one of them another port (--port ${c.second.adapter.namespace}=PORT)`;
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|::1|\[::1\])$/;

/**
 * One warning naming the adapters that listen beyond loopback without inbound authentication
 * while their capability attaches bound credentials to upstream calls (anyone who reaches the
 * port borrows them); undefined when there is none.
 */
export function exposedCredentialsWarning(graphs: readonly FileGraph[], host?: string): string | undefined {
  const exposed: string[] = [];
  for (const { graph } of graphs) {
    const credentials = [...graph.consumes.values()].some((api) => api.auth !== undefined || api.inputParameters.some((p) => p.value?.includes('{{')));
    if (!credentials) continue;
    for (const adapter of graph.adapters) {
      if ((adapter.type !== 'rest' && adapter.type !== 'mcp') || !listens(adapter) || adapter.auth) continue;
      const h = listenHost(adapter, host);
      if (!LOOPBACK.test(h)) exposed.push(`${adapter.namespace} (${h})`);
    }
  }
  if (!exposed.length) return undefined;
  return `capstan: warning: ${exposed.join(', ')} ${exposed.length > 1 ? 'listen' : 'listens'} beyond loopback without inbound authentication, and ${exposed.length > 1 ? 'their capabilities attach' : 'its capability attaches'} bound credentials to upstream calls: anyone who reaches the port uses them. Declare \`authentication\` on the adapter, or use --host 127.0.0.1.\n`;
}
