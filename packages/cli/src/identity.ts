/**
 * Caller identity for `capstan run`: the `--credentials` file (or `CAPSTAN_CREDENTIALS`) gives
 * the gateway-level identity settings and the per-caller credential settings of consumed APIs;
 * this module turns them into each adapter's authenticator and the MCP authentication hook.
 */
import type { IncomingMessage } from 'node:http';
import { IdentityResolver, loadCredentialsFile, withIdentity, type CredentialsFile, type InboundAuthenticator, type RequestContext } from '@capstan/runtime';
import type { AuthOutcome } from '@capstan/mcp';

/** What the gateway needs from a credentials file. */
export interface GatewayCredentials {
  /** Consumed namespace → credential settings, for every executor. */
  consumes: CredentialsFile['consumes'];
  identity?: IdentityResolver;
}

/** Reads the credentials file (`path`, else `CAPSTAN_CREDENTIALS`); undefined when neither is given. */
export function gatewayCredentials(path: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayCredentials | undefined {
  const file = path ?? (env.CAPSTAN_CREDENTIALS || undefined);
  if (!file) return undefined;
  const loaded = loadCredentialsFile(file);
  let identity: IdentityResolver | undefined;
  try {
    identity = loaded.identity ? new IdentityResolver(loaded.identity, loaded.resolvePath) : undefined;
  } catch (err) {
    throw new Error(`credentials file ${file}: ${(err as Error).message}`);
  }
  return { consumes: loaded.consumes, ...(identity ? { identity } : {}) };
}

/** The adapter's own authenticator combined with the gateway's identity (REST and MCP over HTTP). */
export function callerAuthenticator(auth: InboundAuthenticator | undefined, credentials: GatewayCredentials | undefined): InboundAuthenticator | undefined {
  return withIdentity(auth, credentials?.identity);
}

/**
 * The MCP authentication hook: refuses as the authenticator says, and hands each accepted
 * request's context (caller, headers) to tool calls through `authInfo.extra.context`.
 */
export function mcpAuthenticate(auth: InboundAuthenticator | undefined): (req: IncomingMessage) => Promise<AuthOutcome> {
  return async (req) => {
    const context: RequestContext = { headers: req.headers };
    if (auth) {
      const decision = await auth.check({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}) });
      if (!decision.ok) {
        const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: `Unauthorized: ${decision.detail}` } });
        return { ok: false, status: decision.status, headers: { ...decision.headers, 'content-type': 'application/json' }, body };
      }
      if (decision.caller) context.caller = decision.caller;
    }
    return { ok: true, authInfo: { token: '', clientId: context.caller?.sub ?? '', scopes: [], extra: { context } } };
  };
}
