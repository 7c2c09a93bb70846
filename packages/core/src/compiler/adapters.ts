/** `capability.exposes` entries → adapter nodes, dispatched by `type`. */
import type { AdapterNode, AuthSpec } from '../graph.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj, list, optional, text, type AdapterSection } from './document.js';
import { compileMcp, type AdapterBase } from './mcp.js';
import { compileRestResources } from './rest.js';
import { inboundRateLimit } from './resilience.js';

export function compileAdapter(ctx: CompileContext, adapter: AdapterSection, where: At): AdapterNode {
  const type = text(adapter.type);
  // A control adapter has no namespace in the spec; it is named `control` in logs and status.
  const namespace = typeof adapter.namespace === 'string' ? adapter.namespace : type;
  if (typeof adapter.namespace === 'string') ctx.claimNamespace(namespace, `${type} adapter`, child(where, 'namespace'));
  const auth = isObj(adapter.authentication) ? (adapter.authentication as AuthSpec) : undefined;
  if (auth) ctx.collectTemplates(auth, child(where, 'authentication'));
  const base: AdapterBase = {
    namespace,
    ...optional('address', adapter.address),
    ...optional('description', adapter.description),
    ...(auth ? { auth } : {}),
    origin: ctx.origin(where),
  };
  switch (type) {
    case 'rest':
      return { ...base, type: 'rest', port: Number(adapter.port), resources: compileRestResources(ctx, adapter.resources, where, namespace, 'authentication' in adapter), ...inboundRateLimit(adapter as Record<string, unknown>) };
    case 'mcp':
      return compileMcp(ctx, adapter, where, base);
    case 'skill':
      return { ...base, type: 'skill', port: Number(adapter.port), skills: list(adapter.skills) as Array<Record<string, unknown>> };
    default:
      return { ...base, type: 'control', port: Number(adapter.port), spec: adapter as Record<string, unknown> };
  }
}
