/** `binds` (root and `capability.binds`) → bind nodes; their variables become known template names. */
import { dirname } from 'node:path';
import type { BindNode } from '../graph.js';
import type { PathSegment } from '../source.js';
import { child, type CompileContext } from './context.js';
import { isObj, optional, text, type BindSection } from './document.js';
import { sectionEntries } from './imported.js';

/** Binds of the section at `base` (imported ones too: their `file:` locations resolve against their own file). */
export function compileBinds(ctx: CompileContext, value: unknown, base: PathSegment[], scope: BindNode['scope']): BindNode[] {
  return sectionEntries<BindSection>(ctx, 'binds', value, base).map(({ entry: b, where, namespaceAt }) => {
    const namespace = text(b.namespace);
    ctx.claimNamespace(namespace, 'bind', namespaceAt);
    const keys: Record<string, string> = isObj(b.keys) ? Object.fromEntries(Object.entries(b.keys).map(([k, v]) => [k, text(v)])) : {};
    if (Object.keys(keys).length === 0) {
      ctx.report('error', child(where, 'keys'), 'key', 'empty-bind', `bind \`${namespace}\` declares no keys`, { fix: 'add at least one `VARIABLE_NAME: provider-key` entry under `keys`' });
    }
    for (const name of Object.keys(keys)) {
      ctx.knownNames.add(name);
      ctx.knownNames.add(`${namespace}.${name}`);
    }
    return { namespace, ...optional('location', b.location), baseDir: dirname(where.doc.absPath), keys, scope, origin: ctx.origin(where) };
  });
}
