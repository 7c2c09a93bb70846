/**
 * A consumed API's `tunnel` (Ikanos 1.0.0-beta5): its requests travel through an overlay network
 * (`type: ziti`, the `service` to dial, the `identity` to dial with) instead of a TCP connection
 * to `baseUri`'s host. The checks are the reference project's rules: the identity should come
 * from a bind (a `{{…}}` that names no bind variable is an error: it would render empty), and
 * `fallback: direct` on a `baseUri` that is not loopback is a warning (the call could leave the
 * overlay for the open network).
 */
import type { ConsumedTunnel } from '../graph.js';
import { templateVariables } from '../templates.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj } from './document.js';

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/i;

/** `{ tunnel }` of a consumes entry, or nothing when it declares none. */
export function compileTunnel(ctx: CompileContext, entry: object, where: At, baseUri: string): { tunnel?: ConsumedTunnel } {
  const raw = (entry as { tunnel?: unknown }).tunnel;
  if (!isObj(raw)) return {};
  const at = child(where, 'tunnel');
  const identity = typeof raw.identity === 'string' ? raw.identity : '';
  for (const name of templateVariables(identity)) {
    if (ctx.knownNames.has(name) || ctx.knownNames.has(name.split('.')[0]!)) continue;
    ctx.report('error', child(at, 'identity'), 'value', 'tunnel-identity-unbound', `the tunnel identity reads \`{{${name}}}\`, which no bind declares`, {
      fix: 'declare the variable in a `binds` entry (the identity is a secret: never write it inline)',
    });
  }
  const fallback = raw.fallback === 'direct' ? 'direct' : 'fail';
  if (fallback === 'direct' && !LOOPBACK.test(baseUri)) {
    ctx.report('warning', child(at, 'fallback'), 'value', 'tunnel-fallback-direct', `\`fallback: direct\` calls \`${baseUri}\` over the open network when the tunnel cannot be opened`, {
      fix: 'use `fallback: fail` (the default) unless the base URI is loopback',
    });
  }
  return { tunnel: { type: String(raw.type ?? ''), service: String(raw.service ?? ''), identity, fallback, origin: ctx.origin(at) } };
}
