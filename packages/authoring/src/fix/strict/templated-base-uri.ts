/**
 * `fix --strict` for `templated-base-uri`. The official `baseUri` pattern
 * (`^https?://[^/]+(/[^{]*)?$`) wants a literal scheme and no `{` in the path, but allows
 * placeholders in the host. Two forms, each to its nearest official spelling:
 * - no literal scheme (the whole URL, or its start, is a variable: `{{ACCOUNT_URL}}`): `https://`
 *   is written before it, so the variable now holds the host; the deployer sets it so, or gives the
 *   URL with `--upstream NS=URL`. No host is ever invented.
 * - placeholders in the path (`https://h/{{tenant}}/v1`): the base keeps its literal part and the
 *   templated segments move to the front of every resource `path`, so requests go to the same URLs.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { scalar } from '../fixers.js';
import type { StrictRewrite } from '../strict.js';

const SCHEME = /^https?:\/\//i;

export const templatedBaseUriOfficial: StrictRewrite = (editor, path, _d, compiled) => {
  const node = editor.doc.getIn(path, true);
  const adapterPath = path.slice(0, -1);
  const namespace = scalar(editor, adapterPath, 'namespace') ?? '?';
  if (!isScalar(node) || typeof node.value !== 'string' || path.at(-1) !== 'baseUri') return 'no `baseUri` string found there';
  const text = node.value;
  if (!SCHEME.test(text)) {
    const variable = /^\{\{\s*([^{}\s]+)\s*\}\}/.exec(text)?.[1];
    if (!variable || /^\{\{[^}]*\}\}:\/\//.test(text)) return 'the base URI does not start with a variable holding its host (write its scheme and host by hand)';
    editor.replaceValue(node, `https://${text}`);
    return {
      change: `\`https://\` is now written before \`{{${variable}}}\`, which must hold the host (and port) of \`${namespace}\` only, e.g. \`api.example.com\`, not a whole URL; a deployment whose value is a URL passes it with \`--upstream ${namespace}=URL\` instead (write \`http://\` by hand for a plain-HTTP upstream)`,
    };
  }
  // The literal part: up to the last `/` before the first `{` of the path.
  const origin = /^https?:\/\/[^/]+/i.exec(text)![0];
  const rest = text.slice(origin.length);
  const cut = rest.lastIndexOf('/', rest.indexOf('{'));
  if (cut < 0) return 'no placeholder found in the base URI path';
  const base = origin + rest.slice(0, cut);
  const prefix = rest.slice(cut).replace(/\/+$/, '');
  const binds = bindKeys(editor.doc.toJS() as unknown);
  const bound = [...prefix.matchAll(/\{\{?\s*([^{}\s]+?)\s*\}?\}/g)].map((m) => m[1]!).find((n) => binds.has(n) || binds.has(n.slice(n.indexOf('.') + 1)));
  if (bound) return `the bind \`${bound}\` fills the base path, and a resource path is filled from inputs only; write the base path by hand`;
  const graph = compiled.graph;
  const forwarded = graph?.adapters.some((a) => a.type === 'rest' && a.resources.some((r) => r.forward?.target.namespace === namespace));
  if (!graph || forwarded) return 'a `forward` sends requests to this base URI as a whole; move its placeholders by hand';
  const resources = editor.doc.getIn([...adapterPath, 'resources'], true);
  if (!isSeq(resources) || resources.items.some((r) => !isMap(r))) return 'the adapter has no list of resources to carry the templated segments';
  editor.replaceValue(node, base);
  resources.items.forEach((resource, i) => {
    const pathNode = editor.doc.getIn([...adapterPath, 'resources', i, 'path'], true);
    if (isScalar(pathNode)) editor.replaceValue(pathNode, `${prefix}${String(pathNode.value ?? '')}`);
    else if (isMap(resource)) editor.insertKey(resource, 'path', prefix, editor.pair(resource, 'name'));
  });
  return {
    change: `\`baseUri\` is now \`${base}\` and \`${prefix}\` leads every resource path of \`${namespace}\`: requests go to the same URLs; an \`--upstream ${namespace}=URL\` now keeps \`${prefix}\` after the URL it gives`,
  };
};

/** The variable names of the document's binds (root `binds` and `capability.binds`). */
function bindKeys(doc: unknown): Set<string> {
  const lists = [(doc as { binds?: unknown })?.binds, (doc as { capability?: { binds?: unknown } })?.capability?.binds];
  const keys = lists.flatMap((l) => (Array.isArray(l) ? l : [])).flatMap((b) => (b && typeof b === 'object' && (b as { keys?: unknown }).keys && typeof (b as { keys?: unknown }).keys === 'object' ? Object.keys((b as { keys: object }).keys) : []));
  return new Set(keys);
}
