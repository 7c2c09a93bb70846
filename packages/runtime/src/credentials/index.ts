/**
 * Per-caller upstream credentials: minted JWTs, per-caller stores and pass-through, chosen from
 * the verified request context. The executor calls `withGrant` once per upstream request.
 */
import type { ConsumedApi } from '@capstan/spec';
import type { RequestContext } from '../identity/caller.js';
import type { InboundResponse } from '../executor/http.js';
import type { Scope } from '../executor/mustache.js';
import type { CredentialBroker } from './broker.js';

export { CredentialBroker, replacedBindVariables, type CredentialOverrides, type Grant } from './broker.js';
export { CredentialError } from './errors.js';
export { CREDENTIALS_KEY, parseCredentialSpec, type CredentialSpec } from './spec.js';

/** What one upstream request uses: the API (with its effective authentication), scope, forced parameters and headers. */
export interface AppliedGrant {
  api: ConsumedApi;
  scope: Scope;
  parameters: Record<string, string>;
  headers: Record<string, string>;
  /** Removes this call's credential values from an error answer's body. */
  redact(res: InboundResponse): InboundResponse;
}

const same = (res: InboundResponse): InboundResponse => res;

/** The credential of one call to `api` (nothing changes for an API without credential settings). */
export async function withGrant(broker: CredentialBroker, api: ConsumedApi, context: RequestContext | undefined, scope: Scope): Promise<AppliedGrant> {
  if (!broker.has(api.namespace)) return { api, scope, parameters: {}, headers: {}, redact: same };
  const grant = await broker.grant(api, context, scope);
  return {
    api: grant.auth === api.auth ? api : { ...api, ...(grant.auth ? { auth: grant.auth } : {}) },
    scope: [grant.layer, ...scope],
    parameters: grant.parameters,
    headers: grant.headers,
    redact: (res) => {
      if (res.status < 400 || !grant.secrets.some((secret) => res.body.includes(secret))) return res;
      let text = res.body.toString('utf8');
      for (const secret of grant.secrets) text = text.split(secret).join('***');
      return { ...res, body: Buffer.from(text, 'utf8') };
    },
  };
}
