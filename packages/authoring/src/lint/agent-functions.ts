/**
 * Checks for what AI agents and their clients need from a capability: tool names clients
 * accept, descriptions a model can choose by, hints that match what the call does, no inlined
 * secrets, and outputs shaped for the caller.
 */
import type { IFunctionResult } from '@stoplight/spectral-core';
import { declaresNoFields, isFreeFormItem, type OutputParam } from '@capstan/spec';
import { aggregateFunctions, callTarget, consumedOperations, isObj, list, mcpTools, type Obj, type Path } from './walk.js';

/** The longest tool name MCP clients and model vendors accept. */
export const MAX_TOOL_NAME = 64;
/** The characters every major tool-calling client accepts in a name. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Tool names: at most 64 characters, only letters, digits, `_` and `-`. */
export function toolNameFits(root: unknown): IFunctionResult[] {
  const out: IFunctionResult[] = [];
  for (const { tool, path } of mcpTools(root)) {
    if (typeof tool.name !== 'string') continue;
    if (tool.name.length > MAX_TOOL_NAME) out.push({ message: `tool name \`${tool.name}\` is ${tool.name.length} characters; clients reject names over ${MAX_TOOL_NAME}`, path: [...path, 'name'] });
    else if (!TOOL_NAME_PATTERN.test(tool.name)) out.push({ message: `tool name \`${tool.name}\` has characters clients reject; use letters, digits, \`_\` and \`-\``, path: [...path, 'name'] });
  }
  return out;
}

/** Tool names are unique within one MCP adapter (a client cannot tell two apart). */
export function toolNamesUnique(root: unknown): IFunctionResult[] {
  const out: IFunctionResult[] = [];
  const seen = new Map<unknown, Map<string, Path>>();
  for (const { adapter, tool, path } of mcpTools(root)) {
    if (typeof tool.name !== 'string') continue;
    const names = seen.get(adapter) ?? new Map<string, Path>();
    seen.set(adapter, names);
    const prior = names.get(tool.name);
    if (prior) out.push({ message: `tool name \`${tool.name}\` is already used at ${prior.join('.')}`, path: [...path, 'name'] });
    else names.set(tool.name, path);
  }
  return out;
}

const GENERIC = new Set(['todo', 'tbd', 'description', 'tool', 'a tool', 'this tool', 'calls the api', 'call the api', 'n/a', 'none']);
const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Tool descriptions are present, say more than the name, and differ from each other. */
export function toolDescriptionSpecific(root: unknown): IFunctionResult[] {
  const out: IFunctionResult[] = [];
  const seen = new Map<string, Path>();
  for (const { tool, path } of mcpTools(root)) {
    const name = String(tool.name ?? '');
    const description = typeof tool.description === 'string' ? tool.description.trim() : '';
    if (!description) {
      out.push({ message: `tool \`${name}\` has no \`description\`; agents choose tools by their description`, path });
      continue;
    }
    const text = normalise(description);
    if (GENERIC.has(text) || text === normalise(name) || text === normalise(String(tool.label ?? '')) || text.split(' ').length < 3) {
      out.push({ message: `the description of tool \`${name}\` does not say what the tool does; write a sentence on what it does and returns`, path: [...path, 'description'] });
      continue;
    }
    const prior = seen.get(text);
    if (prior) out.push({ message: `tool \`${name}\` has the same description as the tool at ${prior.join('.')}; say how they differ`, path: [...path, 'description'] });
    else seen.set(text, path);
  }
  return out;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE']);

/** Tool hints do not contradict the HTTP method of the operation the tool calls. */
export function hintsMatchMethod(root: unknown): IFunctionResult[] {
  const operations = consumedOperations(root);
  const out: IFunctionResult[] = [];
  for (const { tool, path } of mcpTools(root)) {
    if (!isObj(tool.hints)) continue;
    const target = callTarget(root, tool);
    const method = target ? operations.get(target)?.method : undefined;
    if (!method) continue;
    const h = tool.hints;
    const at = (hint: string): Path => [...path, 'hints', hint];
    const calls = `calls \`${String(target)}\` (${method})`;
    if (SAFE_METHODS.has(method)) {
      if (h.readOnly === false) out.push({ message: `tool \`${String(tool.name)}\` ${calls} but sets \`readOnly: false\``, path: at('readOnly') });
      if (h.destructive === true) out.push({ message: `tool \`${String(tool.name)}\` ${calls} but sets \`destructive: true\``, path: at('destructive') });
    } else if (h.readOnly === true && WRITE_METHODS.has(method)) {
      // POST is left alone: search and validation endpoints often read through POST.
      out.push({ message: `tool \`${String(tool.name)}\` ${calls}, which changes data, but sets \`readOnly: true\``, path: at('readOnly') });
    }
    if (method === 'POST' && h.idempotent === true) out.push({ message: `tool \`${String(tool.name)}\` ${calls}, which is not idempotent, but sets \`idempotent: true\``, path: at('idempotent') });
    if ((method === 'PUT' || method === 'DELETE' || SAFE_METHODS.has(method)) && h.idempotent === false) {
      out.push({ message: `tool \`${String(tool.name)}\` ${calls}, which is idempotent, but sets \`idempotent: false\``, path: at('idempotent') });
    }
  }
  return out;
}

/** Shapes of well-known credentials (provider tokens, JWTs, cloud keys). */
const SECRET_SHAPES: Array<[string, RegExp]> = [
  ['an OpenAI/Anthropic-style key', /\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a JWT', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['a bearer credential', /^\s*Bearer\s+(?!\{\{)[A-Za-z0-9._~+/=-]{12,}\s*$/i],
];
const CREDENTIAL_FIELDS = new Set(['token', 'password', 'value']);
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|cookie)$/i;
const isTemplated = (s: string) => /\{\{[^}]+\}\}/.test(s);

/** No credential is written into the file: authentication values and credential headers come from binds. */
export function noInlineSecrets(root: unknown): IFunctionResult[] {
  const out: IFunctionResult[] = [];
  const visit = (node: unknown, path: Path): void => {
    if (typeof node === 'string') {
      const shape = SECRET_SHAPES.find(([, re]) => re.test(node));
      if (shape) out.push({ message: `this value looks like ${shape[0]}; move it to a bind and write \`{{VARIABLE}}\` here`, path });
      return;
    }
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, [...path, i]));
    if (!isObj(node)) return;
    if (isObj(node.authentication)) {
      const auth = node.authentication;
      for (const field of CREDENTIAL_FIELDS) {
        const v = auth[field];
        if (typeof v === 'string' && v && !isTemplated(v) && !(field === 'value' && auth.type !== 'apikey')) {
          out.push({ message: `\`authentication.${field}\` holds a literal credential; declare it in \`binds\` and write \`{{VARIABLE}}\``, path: [...path, 'authentication', field] });
        }
      }
    }
    if (node.in === 'header' && typeof node.name === 'string' && CREDENTIAL_HEADER.test(node.name) && typeof node.value === 'string' && node.value && !isTemplated(node.value) && !node.value.startsWith('$')) {
      out.push({ message: `header \`${node.name}\` is given a literal credential; declare it in \`binds\` and write \`{{VARIABLE}}\``, path: [...path, 'value'] });
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'authentication' || !isObj(v)) visit(v, [...path, k]);
  };
  visit(root, []);
  // A literal flagged by field and by shape is reported once.
  const unique = new Map(out.map((r) => [(r.path ?? []).join('.'), r]));
  return [...unique.values()];
}

const PASS_THROUGH = /^\$\.?$/;

/** No field and no element declared (`properties: {}` and a bare object `items` declare none): the node passes whole. */
const passesWhole = (p: OutputParam): boolean => declaresNoFields(p) && (!p.items || isFreeFormItem(p.items));

/** Agent-facing outputs declare their fields instead of passing the whole upstream answer through. */
export function outputsShaped(root: unknown): IFunctionResult[] {
  const units: Array<{ unit: Obj; path: Path }> = [
    ...mcpTools(root).map(({ tool, path }) => ({ unit: tool, path })),
    ...[...aggregateFunctions(root).values()].map(({ fn, path }) => ({ unit: fn, path })),
  ];
  const out: IFunctionResult[] = [];
  for (const { unit, path } of units) {
    list(unit.outputParameters).forEach((p, i) => {
      if (isObj(p) && typeof p.mapping === 'string' && PASS_THROUGH.test(p.mapping.trim()) && passesWhole(p as unknown as OutputParam)) {
        out.push({ message: `${typeof p.name === 'string' ? `output \`${p.name}\`` : 'the output'} passes the whole upstream answer through (\`mapping: ${p.mapping}\`); declare the fields callers need with their own mappings`, path: [...path, 'outputParameters', i, 'mapping'] });
      }
    });
  }
  return out;
}
