/** Shared shapes of inbound authentication (REST, MCP, skill and control adapters). */
import type { Caller } from '../identity/caller.js';

/** What an authenticator needs from an incoming request. */
export interface InboundRequest {
  method: string;
  /** Path and query as received, e.g. `/ships?x=1`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The peer's IP address, for identity headers honoured only from trusted networks. */
  remoteAddress?: string;
}

/** Accepted (with the verified caller, when the credential names one), or refused with the status and challenge headers to answer. */
export type AuthDecision =
  | { ok: true; caller?: Caller }
  | { ok: false; status: 401 | 403; headers: Record<string, string>; detail: string };

/** Checks requests against one adapter's `authentication`. */
export interface InboundAuthenticator {
  /** Scheme name for start-up logs, e.g. `bearer`, `oauth2 (https://as.example)`. */
  readonly scheme: string;
  check(request: InboundRequest): Promise<AuthDecision>;
}

/** Renders `{{VAR}}` templates in auth settings from binds (and the environment as a fallback). */
export type SecretResolver = (template: string) => string;

/** First value of a header. */
export function header(request: InboundRequest, name: string): string | undefined {
  const v = request.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
