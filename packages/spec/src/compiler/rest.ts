/** A REST adapter's resources → routes, each operation with its inputs (declared or implied) and handler. */
import type { ConsumedParam, ExposedParam, HttpMethod, RestAdapterNode, RestOperationNode, RestResourceNode } from '../graph.js';
import { closest, quoteList } from '../suggest.js';
import { pathPlaceholders } from '../templates.js';
import { child, type At, type CompileContext } from './context.js';
import { isObj, list, METHODS, optional, sections, str, text, type ExposedParamSection, type ForwardSection, type RestOperationSection, type RestResourceSection } from './document.js';
import { declaredEnum } from './enums.js';
import { compileHandler } from './handlers.js';
import { restCacheControl } from './resilience.js';
import { restBinaryMediaType } from './binary.js';

export function compileRestResources(ctx: CompileContext, value: unknown, where: At, namespace: string, authenticated: boolean): RestAdapterNode['resources'] {
  return sections<RestResourceSection>(value).map(([res, i]) => compileRestResource(ctx, res, child(where, 'resources', i), namespace, authenticated));
}

function compileRestResource(ctx: CompileContext, res: RestResourceSection, where: At, namespace: string, authenticated: boolean): RestResourceNode {
  const path = text(res.path);
  const placeholders = pathPlaceholders(path);
  const resourceParams = exposedParams(ctx, res.inputParameters, child(where, 'inputParameters'), placeholders, 'body');
  if (path.length > 1 && path.endsWith('/')) ctx.report('warning', child(where, 'path'), 'value', 'path-trailing-slash', 'an exposed resource `path` should not end with `/`', { fix: `write \`${path.replace(/\/+$/, '')}\`` });
  const seen = new Set<string>();
  const operations = sections<RestOperationSection>(res.operations).flatMap(([op, o]): RestOperationNode[] => {
    const opAt = child(where, 'operations', o);
    const method = text(op.method, 'GET').toUpperCase() as HttpMethod;
    if (!METHODS.includes(method)) {
      ctx.report('error', child(opAt, 'method'), 'value', 'unsupported-method', `Capstan cannot serve \`${method} ${path}\`: \`${method}\` is not an HTTP method it routes`, { expected: `one of ${quoteList(METHODS)}` });
      return [];
    }
    if (seen.has(method)) {
      ctx.report('warning', child(opAt, 'method'), 'value', 'duplicate-route', `\`${method} ${path}\` is declared twice; the first one answers, this one is not served`, { fix: 'merge the two operations, or give one another method' });
      return [];
    }
    seen.add(method);
    const opParams = exposedParams(ctx, op.inputParameters, child(opAt, 'inputParameters'), placeholders, BODILESS.has(method) ? 'query' : 'body');
    const inputs = [...new Set([...placeholders, ...resourceParams.map((p) => p.name), ...opParams.map((p) => p.name)])];
    const implied: ExposedParam[] = [];
    const declaresNone = resourceParams.length === 0 && opParams.length === 0;
    const imply = (name: string, feeds: ConsumedParam | undefined): boolean => {
      if (!declaresNone) return false;
      // A consumed path parameter that is not in the exposed path can only come from the query.
      const location: ExposedParam['in'] = feeds && feeds.in !== 'path' && feeds.in !== 'environment' ? feeds.in : 'query';
      const type = (feeds?.type ?? (location === 'body' && name === 'body' ? 'object' : 'string')) as ExposedParam['type'];
      implied.push({ name, in: location, type, ...optional('description', feeds?.description), required: feeds?.required === true });
      inputs.push(name);
      return true;
    };
    const handler = compileHandler(ctx, op, opAt, { namespace, defactoPrefix: 'rest', inputs, imply });
    const cacheControl = restCacheControl(op as Record<string, unknown>, handler, authenticated);
    return [{
      method,
      ...optional('name', op.name),
      ...optional('label', op.label),
      ...optional('description', op.description),
      inputParameters: [...opParams, ...implied],
      handler: handler ?? { kind: 'mock', with: {}, outputs: [] },
      ...(cacheControl ? { cacheControl } : {}),
      ...restBinaryMediaType(op),
      origin: ctx.origin(opAt),
    }];
  });
  return {
    path, pathPlaceholders: placeholders,
    ...optional('name', res.name),
    ...optional('label', res.label),
    ...optional('description', res.description),
    inputParameters: resourceParams, operations,
    ...forwardOf(ctx, res.forward, child(where, 'forward')),
    origin: ctx.origin(where),
  };
}

/** `forward: {targetNamespace, trustedHeaders}` → the consumed API requests are proxied to. */
function forwardOf(ctx: CompileContext, value: unknown, where: At): Pick<RestResourceNode, 'forward'> {
  if (!isObj(value)) return {};
  const fwd = value as ForwardSection;
  const targetNs = text(fwd.targetNamespace);
  const target = ctx.consumes.get(targetNs);
  if (target) return { forward: { target, trustedHeaders: list(fwd.trustedHeaders).map((h) => text(h)) } };
  const suggestion = closest(targetNs, ctx.consumes.keys());
  ctx.report('error', child(where, 'targetNamespace'), 'value', 'unknown-forward-target', `\`forward.targetNamespace: ${targetNs}\` names no consumed namespace${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
    expected: `one of ${quoteList([...ctx.consumes.keys()])}`,
  });
  return {};
}

/** Methods whose requests carry no body: an input without `in` is read from the query there. */
const BODILESS = new Set(['GET', 'HEAD', 'DELETE']);

function exposedParams(ctx: CompileContext, value: unknown, base: At, placeholders: readonly string[], defaultIn: 'body' | 'query'): ExposedParam[] {
  return sections<ExposedParamSection>(value).map(([p, i]) => {
    const name = text(p.name);
    const location = text(p.in, defaultIn) as ExposedParam['in'];
    ctx.knownNames.add(name);
    if (location === 'path' && !placeholders.includes(name)) {
      const caseMatch = placeholders.find((ph) => ph.toLowerCase() === name.toLowerCase());
      if (caseMatch) {
        ctx.report('warning', child(base, i, 'name'), 'value', 'input-case-mismatch', `path parameter \`${name}\` matches the placeholder \`{${caseMatch}}\` only case-insensitively; Capstan binds it case-insensitively`, { fix: `spell both \`${caseMatch}\`` });
      } else {
        // The engine reads the (absent) router attribute and skips the parameter; so does Capstan.
        ctx.report('warning', child(base, i, 'name'), 'value', 'path-param-not-in-path', `path parameter \`${name}\` has no \`{${name}}\` placeholder in the resource path; it never gets a value`, {
          expected: placeholders.length ? `one of ${quoteList([...placeholders])}` : 'a placeholder in the resource `path` (it has none)',
          fix: `add \`{${name}}\` to the resource path, or change \`in\``,
        });
      }
    }
    return {
      name, in: location, type: (str(p.type) ?? 'string') as ExposedParam['type'],
      ...optional('description', p.description),
      ...optional('value', p.value),
      ...optional('pattern', p.pattern),
      ...declaredEnum(ctx, p, base, i),
      required: typeof p.required === 'boolean' ? p.required : location === 'path',
    };
  });
}
