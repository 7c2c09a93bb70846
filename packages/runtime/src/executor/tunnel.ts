/**
 * Consumed APIs behind a tunnel (beta5 `consumes[].tunnel`), with the reference engine's
 * semantics: a provider per tunnel `type` is opened once at start-up with the identity (rendered
 * from binds; one that does not resolve stops start-up), and waited for up to 30 s; then every
 * connection to that API's upstream is dialled through it, by service and by the base URI's own
 * host and port (no DNS lookup), with TLS on top for `https`. HTTP, authentication and every other
 * request rule stay as for a direct call, and only the tunnelled API's connections use it.
 *
 * Providers are plugged in (the engine finds them with Java's ServiceLoader; Capstan takes them
 * from `ExecutorOptions.tunnels`, which `capstan run --tunnel TYPE=MODULE` fills). A tunnel whose
 * type has no provider, or that does not open, stops start-up, unless it declares
 * `fallback: direct`: then the API is called directly, with a warning.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { buildConnector } from 'undici';
import type { CapabilityGraph, ConsumedTunnel } from '@capstan/spec';

/** Where a connection is dialled to. */
export interface TunnelTarget {
  /** The tunnel's `service`. */
  service: string;
  /** Host and port of the API's base URI, unresolved. */
  host: string;
  port: number;
}

/** An open tunnel: dials connections through the overlay. */
export interface TunnelDialer {
  /** A connected byte stream to the target (a `net.Socket` or any duplex stream). */
  dial(target: TunnelTarget): Promise<Duplex>;
  /** Releases the overlay (at executor close). */
  close?(): Promise<void> | void;
}

/** A tunnel transport, one per `tunnel.type`. */
export interface TunnelProvider {
  /** Opens the overlay with an identity (as rendered from binds); resolves once dials can succeed. */
  open(settings: { identity: string }): Promise<TunnelDialer>;
}

/** How long a tunnel may take to open (the engine's readiness gate). */
export const TUNNEL_READY_MS = 30_000;

/** undici's connect function for the pools of tunnelled APIs. */
export type TunnelConnect = buildConnector.connector;

/** The open tunnels of one executor. */
export interface OpenTunnels {
  /** Per consumed namespace, the connect function of its connections. */
  connectors: Map<string, TunnelConnect>;
  close(): Promise<void>;
}

/** Settings for {@link openTunnels}. */
export interface TunnelSettings {
  providers: Readonly<Record<string, TunnelProvider>>;
  /** Renders the identity template against binds (then the environment). */
  render: (template: string) => string;
  /** Per namespace, the TLS options of its connections (client certificates). */
  tls?: ReadonlyMap<string, ConnectionOptions>;
  warn: (message: string) => void;
  /** How long a tunnel may take to open (default {@link TUNNEL_READY_MS}). */
  readyMs?: number | undefined;
  connectMs: number;
}

/** Opens every tunnel the graph declares; throws naming the namespace when one is required and cannot be used. */
export async function openTunnels(graph: CapabilityGraph, settings: TunnelSettings): Promise<OpenTunnels> {
  const dialers = new Map<string, Promise<TunnelDialer>>();
  const connectors = new Map<string, TunnelConnect>();
  const opened: TunnelDialer[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(opened.map(async (d) => d.close?.()));
  };
  try {
    for (const api of graph.consumes.values()) {
      if (!api.tunnel) continue;
      const dialer = await openOne(api.namespace, api.tunnel, settings, dialers, opened);
      if (dialer) connectors.set(api.namespace, tunnelConnector(dialer, api.tunnel, settings.tls?.get(api.namespace), settings.connectMs));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { connectors, close };
}

async function openOne(namespace: string, tunnel: ConsumedTunnel, settings: TunnelSettings, dialers: Map<string, Promise<TunnelDialer>>, opened: TunnelDialer[]): Promise<TunnelDialer | undefined> {
  const unusable = (why: string): undefined => {
    if (tunnel.fallback !== 'direct') throw new Error(`\`${namespace}\` is reachable only through its \`${tunnel.type}\` tunnel, which ${why}`);
    settings.warn(`\`${namespace}\`: the \`${tunnel.type}\` tunnel ${why}; calling its base URI directly (\`fallback: direct\`)`);
    return undefined;
  };
  const provider = settings.providers[tunnel.type];
  if (!provider) return unusable(`has no provider (start Capstan with \`--tunnel ${tunnel.type}=MODULE\`)`);
  const identity = settings.render(tunnel.identity);
  // A template that rendered empty (or left a tag) would hand the provider a wrong identity.
  if (tunnel.identity.includes('{{') && (!identity.trim() || identity.includes('{{'))) {
    throw new Error(`\`${namespace}\`: the tunnel identity \`${tunnel.identity}\` does not resolve from the binds`);
  }
  const key = `${tunnel.type}\n${identity}`;
  if (!dialers.has(key)) dialers.set(key, withDeadline(provider.open({ identity }), settings.readyMs ?? TUNNEL_READY_MS));
  try {
    const dialer = await dialers.get(key)!;
    if (!opened.includes(dialer)) opened.push(dialer);
    return dialer;
  } catch (err) {
    return unusable(`did not open (${(err as Error).message})`);
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Dials each connection through the tunnel (TLS over it for https); a failed dial is a connect error. */
function tunnelConnector(dialer: TunnelDialer, tunnel: ConsumedTunnel, tls: ConnectionOptions | undefined, connectMs: number): TunnelConnect {
  return (opts, callback) => {
    const https = opts.protocol === 'https:';
    const port = Number(opts.port) || (https ? 443 : 80);
    const fail = (why: string): void => callback(Object.assign(new Error(`the ${tunnel.type} tunnel could not dial \`${tunnel.service}\` (${why})`), { code: 'TUNNEL_DIAL_FAILED' }), null);
    withDeadline(dialer.dial({ service: tunnel.service, host: opts.hostname, port }), connectMs).then(
      (stream) => {
        // undici needs only the stream side of a socket; a provider may give any duplex stream.
        if (!https) return callback(null, stream as Socket);
        const secure = tlsConnect({ ...tls, socket: stream, servername: opts.servername || opts.hostname, ALPNProtocols: ['http/1.1'] });
        secure.once('secureConnect', () => callback(null, secure));
        secure.once('error', (err) => fail(err.message));
      },
      (err: Error) => fail(err.message),
    );
  };
}
