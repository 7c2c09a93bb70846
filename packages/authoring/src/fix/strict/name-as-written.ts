/**
 * `fix --strict` for `name-as-written`: a name outside its official pattern (`filter[status]`,
 * `$expand`, a namespace `openapi.yml`, a tool `get_site`) is respelled to the pattern, and every
 * reference to it in the file with it. The respelling is the same function of the name wherever
 * it appears, so an exposed input and the consumed parameter it feeds (bound by name) stay bound.
 */
import { isMap, isPair, isScalar, visit, type Node, type Pair } from 'yaml';
import type { YamlEditor } from '../edits.js';
import { scalar, type Path } from '../fixers.js';
import type { Rewritten, StrictRewrite } from '../strict.js';

/** Kebab identifiers (namespaces, names of resources, operations, tools) or extended ones (parameter names). */
function respell(name: string, kebab: boolean): string {
  return name.replace(kebab ? /[^a-zA-Z0-9-]+/g : /[^a-zA-Z0-9_*-]+/g, kebab ? '-' : '_').replace(/^[-_]+|[-_]+$/g, '');
}

/** A string `key: value` pair of the document, with the mapping holding it and the key that mapping is under. */
interface Found {
  pair: Pair<Node, Node>;
  key: string;
  value: string;
  map: unknown;
  under: string | undefined;
}

/** Every string pair of the document whose key passes `wanted`. */
function pairsOf(editor: YamlEditor, wanted: (key: string) => boolean): Found[] {
  const out: Found[] = [];
  visit(editor.doc, {
    Pair(_, pair, path) {
      if (!isPair(pair) || !isScalar(pair.key) || !wanted(String(pair.key.value)) || !isScalar(pair.value) || typeof pair.value.value !== 'string') return;
      const holder = path.at(-2);
      out.push({ pair: pair as Pair<Node, Node>, key: String(pair.key.value), value: pair.value.value, map: path.at(-1), under: isPair(holder) && isScalar(holder.key) ? String(holder.key.value) : undefined });
    },
  });
  return out;
}

const REFERENCES = new Set(['call', 'ref', 'targetNamespace']);

/** A consumed namespace: every `call`/`ref` naming it, and `forward` targets, follow. */
function renameNamespace(editor: YamlEditor, from: string, to: string, node: Node): Rewritten {
  editor.replaceValue(node, to);
  for (const { pair, key, value } of pairsOf(editor, (k) => REFERENCES.has(k))) {
    if ((key === 'call' || key === 'ref') && value.startsWith(`${from}.`)) editor.replaceValue(pair.value!, `${to}${value.slice(from.length)}`);
    else if (key === 'targetNamespace' && value === from) editor.replaceValue(pair.value!, to);
  }
  const named = `the consumed namespace \`${from}\` is now \`${to}\`, and every \`call\` naming it with it`;
  // Capstan splits a call at its first dot: `openapi.yml.list` named no consumed API, so the file did not load.
  if (from.includes('.')) return { change: `${named}: Capstan read \`${from}.<operation>\` as namespace \`${from.slice(0, from.indexOf('.'))}\`, so those calls named no consumed API and the file did not load; now they call \`${to}\`` };
  return { change: `none in requests or answers: ${named}; \`--upstream ${to}=URL\` and error messages name \`${to}\`` };
}

export const nameAsWrittenOfficial: StrictRewrite = (editor, path, d) => {
  const node = editor.doc.getIn(path, true) as Node | undefined;
  const last = path.at(-1);
  if (!isScalar(node) || typeof node.value !== 'string') return 'no name found there';
  const old = node.value;
  if (last === 'call') {
    // `openapi.yml.list`: the consumed namespace holding a dot is respelled with its calls.
    const ns = consumedNamespaces(editor).find((n) => old.startsWith(`${n.name}.`) && n.name.includes('.'));
    return ns ? renameNamespace(editor, ns.name, respell(ns.name, true), ns.node) : 'the call names no consumed namespace that needs respelling';
  }
  const kebab = d.message.includes('letters, digits and hyphens only');
  const name = respell(old, kebab);
  if (!name || name === old) return 'no official spelling of this name keeps a letter or digit';
  if (last === 'namespace' && path[1] === 'consumes') return renameNamespace(editor, old, name, node);
  if (last !== 'name') return 'not a name';
  // A path parameter's name is also its placeholder in a path: respelling one alone would unbind the other.
  if (path.at(-3) === 'inputParameters' && scalar(editor, path.slice(0, -1), 'in') === 'path') return 'a path parameter is named in its path too; respell both by hand';
  const siblings = editor.doc.getIn(path.slice(0, -2), true) as { items?: unknown[] } | undefined;
  const taken = (siblings?.items ?? []).some((item, i) => i !== path.at(-2) && isMap(item) && item.get('name') === name);
  if (taken) return `\`${name}\` is already taken in this list`;
  editor.replaceValue(node, name);
  const list = path.at(-3);
  if (list === 'inputParameters') return inputRenamed(editor, path, old, name);
  if (list === 'tools' && path[1] === 'exposes') {
    // A skill tool derived from this MCP tool follows it.
    const adapter = scalar(editor, path.slice(0, 3), 'namespace');
    for (const { pair, value, map, under } of pairsOf(editor, (k) => k === 'action')) {
      if (under === 'from' && value === old && isMap(map) && map.get('sourceNamespace') === adapter) editor.replaceValue(pair.value!, name);
    }
    return { change: `the MCP tool \`${old}\` is now listed as \`${name}\`: a client calling \`${old}\` gets an unknown-tool error` };
  }
  return { change: `\`${old}\` is now \`${name}\` where it is served` };
};

function consumedNamespaces(editor: YamlEditor): Array<{ name: string; node: Node }> {
  const list = editor.doc.getIn(['capability', 'consumes'], true) as { items?: unknown[] } | undefined;
  return (list?.items ?? []).flatMap((item) => {
    const node = isMap(item) ? item.get('namespace', true) : undefined;
    return isScalar(node) && typeof node.value === 'string' ? [{ name: node.value, node: node as Node }] : [];
  });
}

/** A parameter or input respelled: `with` keys naming it follow; says what the upstream or the caller now sees. */
function inputRenamed(editor: YamlEditor, path: Path, old: string, name: string): Rewritten {
  // `with` entries: a key naming the parameter, a value naming the input (`<namespace>.old`).
  for (const { pair, key, value, under } of pairsOf(editor, () => true)) {
    if (under !== 'with') continue;
    if (key === old) editor.renameKey(pair, name);
    if (value.endsWith(`.${old}`)) editor.replaceValue(pair.value!, `${value.slice(0, -old.length)}${name}`);
  }
  const where = scalar(editor, path.slice(0, -1), 'in');
  if (path[1] === 'consumes') {
    return { change: `the upstream now receives the ${where ?? ''} parameter \`${name}\` instead of \`${old}\`: no official name sends \`${old}\`, so an upstream that knows only \`${old}\` ignores it (a filter or option it carried no longer applies); plain \`capstan fix\` keeps the name` };
  }
  return { change: `the served input \`${old}\` is now \`${name}\` (tool input schema, REST parameter): callers must send \`${name}\`` };
}
