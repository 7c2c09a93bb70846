/** `capability.exposes` entries → adapter nodes, dispatched by `type`. */
import type { AdapterNode, AuthSpec } from '../graph.js';
import { quoteList } from '../suggest.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj, list, optional, portOf, text, type AdapterSection } from './document.js';
import { compileMcp, type AdapterBase } from './mcp.js';
import { compileRestResources } from './rest.js';
import { inboundRateLimit } from './resilience.js';
import { maxBinarySize } from './binary.js';

const ADAPTER_TYPES = ['rest', 'mcp', 'skill', 'control'];

/** The adapter's node; undefined (with a warning) for a type Capstan does not serve. */
export function compileAdapter(ctx: CompileContext, adapter: AdapterSection, where: At, namespaceAt: At = child(where, 'namespace')): AdapterNode | undefined {
  const type = text(adapter.type);
  if (!ADAPTER_TYPES.includes(type)) {
    ctx.report('warning', child(where, 'type'), 'value', 'unknown-adapter-type', `adapter type \`${type}\` is not one Capstan serves; this adapter is skipped (the reference engine refuses the whole file)`, {
      expected: `one of ${quoteList(ADAPTER_TYPES)}`,
    });
    return undefined;
  }
  // A control adapter has no namespace in the spec; it is named `control` in logs and status.
  const namespace = typeof adapter.namespace === 'string' ? adapter.namespace : type;
  if (typeof adapter.namespace === 'string') ctx.claimNamespace(namespace, `${type} adapter`, namespaceAt);
  const auth = isObj(adapter.authentication) ? (adapter.authentication as AuthSpec) : undefined;
  if (auth) ctx.collectTemplates(auth, child(where, 'authentication'));
  const base: AdapterBase = {
    namespace,
    ...optional('address', adapter.address),
    ...optional('description', adapter.description),
    ...(auth ? { auth } : {}),
    origin: ctx.origin(where),
  };
  const port = portOf(adapter.port);
  switch (type) {
    case 'rest':
      return { ...base, type: 'rest', port, resources: compileRestResources(ctx, adapter.resources, where, namespace, 'authentication' in adapter), ...inboundRateLimit(adapter as Record<string, unknown>), ...maxBinarySize(ctx, adapter, where) };
    case 'mcp':
      return { ...compileMcp(ctx, adapter, where, base), ...inboundRateLimit(adapter as Record<string, unknown>) };
    case 'skill':
      return { ...base, type: 'skill', port, skills: list(adapter.skills).filter(isObj) };
    default:
      return { ...base, type: 'control', port, spec: adapter as Record<string, unknown> };
  }
}
