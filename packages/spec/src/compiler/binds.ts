/** `binds` (root and `capability.binds`) → bind nodes; their variables become known template names. */
import { dirname } from 'node:path';
import type { BindNode } from '../graph.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj, optional, sections, text, type BindSection } from './document.js';

export function compileBinds(ctx: CompileContext, value: unknown, base: At, scope: BindNode['scope']): BindNode[] {
  return sections<BindSection>(value).map(([b, i]) => {
    const where = child(base, i);
    const namespace = text(b.namespace);
    ctx.claimNamespace(namespace, 'bind', child(where, 'namespace'));
    const keys: Record<string, string> = isObj(b.keys) ? Object.fromEntries(Object.entries(b.keys).map(([k, v]) => [k, text(v)])) : {};
    if (Object.keys(keys).length === 0) {
      ctx.report('error', child(where, 'keys'), 'key', 'empty-bind', `bind \`${namespace}\` declares no keys`, { fix: 'add at least one `VARIABLE_NAME: provider-key` entry under `keys`' });
    }
    for (const name of Object.keys(keys)) {
      ctx.knownNames.add(name);
      ctx.knownNames.add(`${namespace}.${name}`);
    }
    return { namespace, ...optional('location', b.location), baseDir: dirname(ctx.doc.absPath), keys, scope, origin: ctx.origin(where) };
  });
}
