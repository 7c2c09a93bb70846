/** @capstan/runtime: executes a compiled capability (executor, formats, auth, binds, steps, scripts, inbound auth, limiter, error catalog). */
export * from './executor/index.js';
export * from './errors/index.js';
export * from './files/safe-files.js';
export { parseAuthHeader, type AuthChallenge } from './http/auth-params.js';
export { jsonPath } from './executor/jsonpath.js';
export * from './inbound-auth/index.js';
export { ConcurrencyLimiter, RETRY_AFTER_SECONDS } from './limiter.js';
export { callerView, type Caller, type RequestContext } from './identity/caller.js';
export { IdentityResolver, withIdentity, type IdentitySpec } from './identity/resolver.js';
export { CredentialError, CREDENTIALS_KEY, type CredentialOverrides } from './credentials/index.js';
export { loadCredentialsFile, type CredentialsFile } from './credentials/file.js';
