/** The CLI overrides checked against the files before anything starts (see overrides.ts). */
import { clashMessage, exposedCredentialsWarning, portClashes, resolveUpstreams, unknownPortNamespace } from '../overrides.js';
import { GatewayError, type GatewayOptions, type Loaded } from './types.js';

/** The resolved upstream overrides and a warning to show once; throws GatewayError naming the problem. */
export function preflight(loaded: Loaded[], options: GatewayOptions): { upstreams: Record<string, string>; warning?: string } {
  const upstreams = resolveUpstreams(loaded, options.upstreams ?? {});
  if (typeof upstreams === 'string') throw new GatewayError(upstreams);
  const badPort = unknownPortNamespace(loaded, options.ports ?? {});
  if (badPort) throw new GatewayError(badPort);
  const clash = portClashes(loaded, options.ports, options.host)[0];
  if (clash) throw new GatewayError(clashMessage(clash));
  const warning = exposedCredentialsWarning(loaded, options.host);
  return { upstreams, ...(warning ? { warning } : {}) };
}
