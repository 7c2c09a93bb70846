/**
 * `@capstan/runtime/internals`: building blocks that tests exercise on their own. Not part of the
 * main API of `@capstan/runtime`.
 */
export { prepareBase, resolveBase } from './executor/base-uri.js';
export { DigestSession, pickDigestChallenge } from './executor/digest.js';
export { render, singleTag } from './executor/mustache.js';
export { OutboundLimiter } from './executor/resilience/outbound-limit.js';
export { SharedLimitStore, SharedOutboundLimiter } from './executor/resilience/shared-limit.js';
export { backoffCeiling, retryAfterMs } from './executor/resilience/retry.js';
export { buildTarget, finalUrl, forwardPath, forwardQuery, type UrlMemo } from './executor/url.js';
export { DigestVerifier } from './inbound-auth/digest.js';
export { parseHeaders, Pool, retryInterceptor, webClasses } from './executor/undici-parts.js';
export { generatedObject, generatedWalk } from './executor/generated-access.js';
