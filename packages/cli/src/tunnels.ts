/**
 * `capstan run --tunnel TYPE=MODULE`: the tunnel providers of beta5 `consumes[].tunnel` blocks.
 * A module's default export (or its `provider` export) is a `TunnelProvider`: `open({ identity })`
 * resolves to a dialer whose `dial({ service, host, port })` gives a connected stream. Capstan
 * ships none: an overlay network (OpenZiti) needs its own SDK.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TunnelProvider } from '@capstan/runtime';
import { UsageError } from './io.js';

/** Help line for the flag. */
export const TUNNEL_HELP = `  --tunnel TYPE=MODULE        load the provider of \`tunnel: {type: TYPE}\` blocks from an ES module
`;

const isProvider = (v: unknown): v is TunnelProvider => !!v && typeof (v as TunnelProvider).open === 'function';

/** Loads each `TYPE=MODULE` (a path relative to the working folder, or a package name). */
export async function loadTunnelProviders(specs: readonly string[] | undefined): Promise<Record<string, TunnelProvider>> {
  const out: Record<string, TunnelProvider> = {};
  for (const spec of specs ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--tunnel takes TYPE=MODULE, not \`${spec}\``);
    const [type, module] = [spec.slice(0, eq), spec.slice(eq + 1)];
    const target = /^[./]/.test(module) ? pathToFileURL(resolve(module)).href : module;
    let loaded: { default?: unknown; provider?: unknown };
    try {
      loaded = (await import(target)) as { default?: unknown; provider?: unknown };
    } catch (err) {
      throw new UsageError(`--tunnel ${type}=${module}: cannot load the module (${(err as Error).message})`);
    }
    const provider = isProvider(loaded.default) ? loaded.default : isProvider(loaded.provider) ? loaded.provider : undefined;
    if (!provider) throw new UsageError(`--tunnel ${type}=${module}: the module exports no tunnel provider (an object with \`open({ identity })\`)`);
    out[type] = provider;
  }
  return out;
}
