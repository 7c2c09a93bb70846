/** Secret values derived from binds, for log and error redaction. */
import type { CapabilityGraph } from '@capstan/spec';
import { render } from './mustache.js';

/** Secret forms the upstream sees but no bind holds as is: the base64 `user:password` of basic auth and of an OAuth2 client. */
export function derivedSecrets(graph: CapabilityGraph, layer: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const api of graph.consumes.values()) {
    if (api.auth?.type === 'oauth2' && api.auth['x-capstan-clientId']) {
      const id = encodeURIComponent(render(api.auth['x-capstan-clientId'], [layer]));
      out.push(Buffer.from(`${id}:${encodeURIComponent(render(api.auth['x-capstan-clientSecret'] ?? '', [layer]))}`).toString('base64'));
    }
    if (api.auth?.type !== 'basic') continue;
    const user = render(api.auth.username ?? '', [layer]);
    const pass = render(api.auth.password ?? '', [layer]);
    if (user || pass) out.push(Buffer.from(`${user}:${pass}`).toString('base64'));
  }
  return out;
}

