/**
 * Builds a Naftiko capability from an API model: one consumed HTTP adapter with every
 * operation, parameter and body; a REST adapter mirroring the API's paths; an MCP adapter with a
 * tool per operation (names that fit clients, hints from the method, input schemas from the
 * parameters, output shapes from the success response); binds for the security scheme; the
 * API's enums as `x-capstan-enum` (`enums.ts`). Every other form written
 * is the official schema's; with `strict` (no Capstan extension, enums left out) the result passes
 * `validate --strict`.
 */
import type { ApiModel, ApiOperation, ApiParameter, ApiSecurity } from './model.js';
import { enumKeys, enumNames, enumOf } from './enums.js';
import { kebab, NameRegistry, upperSnake } from './names.js';
import { describe, inputType, outputShape } from './shapes.js';

type Obj = Record<string, unknown>;

/** Choices for the generated capability. */
export interface ImportOptions {
  /** Namespace of the consumed API (default: from the API title). */
  namespace?: string;
  restPort?: number;
  mcpPort?: number;
  /** Official schema forms only: no Capstan extension (the API's enums are left out, with a warning). */
  strict?: boolean;
}

/** The capability document and what could not be carried over. */
export interface ImportResult {
  capability: Obj;
  warnings: string[];
}

/** The methods the Naftiko schema allows on an operation. */
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** The MCP hints that follow from an HTTP method's semantics. */
const HINTS: Record<string, Obj> = {
  GET: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  POST: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  PUT: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  PATCH: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  DELETE: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
};

/** A capability for `api`. */
export function buildCapability(api: ApiModel, options: ImportOptions = {}): ImportResult {
  const warnings: string[] = [];
  const ns = kebab(options.namespace ?? api.title).slice(0, 40).replace(/-+$/, '') || 'api';
  const restNs = `${ns}-rest`;
  const mcpNs = `${ns}-mcp`;
  const operations = api.operations.filter((op) => {
    if (METHODS.has(op.method)) return true;
    warnings.push(`${op.method} ${op.path}: skipped (Naftiko operations use GET, POST, PUT, PATCH or DELETE)`);
    return false;
  });
  const opNames = new NameRegistry(64);
  const toolNames = new NameRegistry(64);
  const resourceNames = new NameRegistry(64);
  const consumedResources = new Map<string, { name: string; path: string; operations: Obj[] }>();
  const restResources = new Map<string, { path: string; name: string; description: string; operations: Obj[] }>();
  const tools: Obj[] = [];

  for (const op of operations) {
    const name = opNames.take(op.operationId ?? '', `${op.method}-${op.path}`);
    const params = paramsOf(op);
    const enums = new Map(options.strict ? [] : params.map((p) => [p.name, enumOf(p, `${op.method} ${op.path}`, warnings)]));
    for (const p of params) {
      if (!/^[a-zA-Z0-9_*-]+$/.test(p.name)) warnings.push(`${op.method} ${op.path}: parameter \`${p.name}\` is not a Naftiko identifier; kept, but \`validate --strict\` will reject it`);
    }
    let consumed = consumedResources.get(op.path);
    if (!consumed) {
      consumed = { name: resourceNames.take(op.path, 'root'), path: op.path.replace(/\{([^}]+)\}/g, '{{$1}}'), operations: [] };
      consumedResources.set(op.path, consumed);
    }
    consumed.operations.push({
      name,
      ...(op.summary ? { label: op.summary } : {}),
      ...(op.description ? { description: op.description } : {}),
      method: op.method,
      ...(params.length ? { inputParameters: params.map((p) => ({ name: p.name, in: p.in, ...enumKeys(enums.get(p.name), 'consumed') })) } : {}),
    });
    const dropped = options.strict ? enumNames(params) : [];
    if (dropped.length) warnings.push(`${op.method} ${op.path}: the enums of ${dropped.map((n) => `\`${n}\``).join(', ')} are left out (--strict writes no \`x-capstan-enum\`)`);
    const call = `${ns}.${name}`;
    const output = op.response ? outputShape(op.response, '$') : undefined;
    if (op.response && !output) warnings.push(`${op.method} ${op.path}: the success response has free-form or union parts the official output form cannot declare; no outputs declared, so the answer passes through whole`);
    const outputs = output ? { outputParameters: [output] } : {};
    let rest = restResources.get(op.path);
    if (!rest) {
      rest = { path: op.path, name: consumed.name, description: op.summary ? `${op.path}: ${op.summary}` : `The ${op.path} resource.`, operations: [] };
      restResources.set(op.path, rest);
    }
    rest.operations.push({
      method: op.method,
      name,
      ...(op.summary ? { label: op.summary } : {}),
      description: descriptionOf(op),
      ...(params.length ? { inputParameters: params.map((p) => ({ name: p.name, in: p.in, type: inputType(p.schema), description: p.description ?? describe(p.schema) ?? `The \`${p.name}\` ${p.in} parameter.`, ...enumKeys(enums.get(p.name), 'input') })) } : {}),
      call,
      ...(params.length ? { with: Object.fromEntries(params.map((p) => [p.name, `${restNs}.${p.name}`])) } : {}),
      ...outputs,
    });
    tools.push({
      name: toolNames.take(op.operationId ?? '', `${op.method}-${op.path}`),
      ...(op.summary ? { label: op.summary } : {}),
      description: descriptionOf(op),
      hints: HINTS[op.method],
      call,
      ...(params.length ? { with: Object.fromEntries(params.map((p) => [p.name, `${mcpNs}.${p.name}`])) } : {}),
      ...(params.length ? { inputParameters: params.map((p) => ({ name: p.name, type: inputType(p.schema), description: p.description ?? describe(p.schema) ?? `The \`${p.name}\` ${p.in} parameter.`, ...(p.required ? {} : { required: false }), ...enumKeys(enums.get(p.name), 'input') })) } : {}),
      ...outputs,
    });
  }

  const security = securityFor(api, operations, warnings);
  if (!api.baseUri || !/^https?:\/\//.test(api.baseUri)) warnings.push(`the API names no absolute server URL; set \`baseUri\` (now https://api.invalid) or run with --upstream`);
  const baseUri = (api.baseUri && /^https?:\/\//.test(api.baseUri) ? api.baseUri : 'https://api.invalid').replace(/\/+$/, '');
  const capability: Obj = {
    naftiko: '1.0.0-alpha2',
    info: { label: api.title, description: firstParagraph(api.description) ?? `Capability generated from the ${api.title} OpenAPI description.` },
    ...(security ? { binds: [{ namespace: 'env', description: 'Credentials of the consumed API, read from the process environment.', keys: Object.fromEntries(security.variables.map((v) => [v, v])) }] } : {}),
    capability: {
      consumes: [{
        type: 'http',
        namespace: ns,
        ...(api.description ? { description: firstParagraph(api.description) } : { description: `The ${api.title} API.` }),
        baseUri,
        ...(security ? { ...security.consumed } : {}),
        resources: [...consumedResources.values()],
      }],
      exposes: [
        { type: 'rest', namespace: restNs, port: options.restPort ?? 8080, resources: [...restResources.values()] },
        { type: 'mcp', namespace: mcpNs, port: options.mcpPort ?? 9090, description: `Tools for the ${api.title} API.`, tools },
      ],
    },
  };
  return { capability, warnings };
}

/** Parameters with the names the capability uses (a body field never shadows a path/query name). */
function paramsOf(op: ApiOperation): ApiParameter[] {
  const params = [...op.parameters];
  if (op.wholeBody) params.push({ name: 'body', in: 'body', required: op.wholeBody.required, description: op.wholeBody.description ?? 'The JSON request body.', schema: { type: 'object', ...op.wholeBody.schema } });
  const seen = new Set<string>();
  return params.filter((p) => {
    if (seen.has(p.name)) return false;
    seen.add(p.name);
    return true;
  });
}

function descriptionOf(op: ApiOperation): string {
  const text = [op.summary, op.description].filter((t): t is string => !!t && t.trim().length > 0);
  const joined = text.length === 2 && text[1]!.startsWith(text[0]!) ? text[1]! : text.join('. ');
  return joined.trim() || `${op.method} ${op.path}.`;
}

function firstParagraph(text?: string): string | undefined {
  return text?.split(/\n\s*\n/)[0]?.trim() || undefined;
}

/** Consumed authentication and bind variables for the scheme most operations use. */
function securityFor(api: ApiModel, operations: ApiOperation[], warnings: string[]): { consumed: Obj; variables: string[] } | undefined {
  const counts = new Map<string, number>();
  for (const op of operations) for (const s of op.security) if (api.securitySchemes[s]) counts.set(s, (counts.get(s) ?? 0) + 1);
  const [name] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!name) return undefined;
  if (counts.size > 1) warnings.push(`operations use several security schemes; the capability sends \`${name}\` for all of them`);
  const scheme = api.securitySchemes[name] as ApiSecurity;
  const v = upperSnake(`${name}`);
  switch (scheme.kind) {
    case 'bearer':
      return { consumed: { authentication: { type: 'bearer', token: `{{${v}_TOKEN}}` } }, variables: [`${v}_TOKEN`] };
    case 'basic':
      return { consumed: { authentication: { type: 'basic', username: `{{${v}_USERNAME}}`, password: `{{${v}_PASSWORD}}` } }, variables: [`${v}_USERNAME`, `${v}_PASSWORD`] };
    case 'apikey':
      if (scheme.in === 'cookie') return { consumed: { inputParameters: [{ name: scheme.name, in: 'cookie', value: `{{${v}_KEY}}` }] }, variables: [`${v}_KEY`] };
      return { consumed: { authentication: { type: 'apikey', key: scheme.name, value: `{{${v}_KEY}}`, placement: scheme.in } }, variables: [`${v}_KEY`] };
  }
}
