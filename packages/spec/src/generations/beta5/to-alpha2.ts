/**
 * Reshapes a beta5 (`ikanos:`) syntax tree into the alpha2 (`naftiko:`) document model, in place.
 *
 * Nodes are moved, never copied: each keeps the source range it was parsed with, so a path in the
 * reshaped tree still points at the author's own line and column. A map key becomes the `name:`
 * value of its list item, and a renamed key keeps its original key node.
 */
import type { Pair, Scalar, YAMLMap, YAMLSeq, Document, Node as YamlNode } from 'yaml';
import { yamlLib } from '../../yaml-lib.js';
import { keepComments, keyIn, RENAMED_KEYS, reshapeDocument, type Reshaper } from '../shape.js';

const SECTIONS_UNDER_CAPABILITY = ['consumes', 'exposes', 'aggregates'] as const;

/** Options for {@link beta5ToAlpha2}. */
export interface ToAlpha2Options {
  /** Version to write under `naftiko:`; by default the beta version is kept (the graph reports it). */
  version?: string;
}

/** Reshapes `doc` (a beta5 document) into the alpha2 model. */
export function beta5ToAlpha2(doc: Document, options: ToAlpha2Options = {}): void {
  const root = doc.contents;
  if (!yamlLib().isMap(root)) return;
  const versionPair = root.items.find((p) => yamlLib().isScalar(p.key) && p.key.value === 'ikanos');
  if (versionPair) {
    (versionPair.key as Scalar).value = 'naftiko';
    if (options.version) {
      const next = new (yamlLib().Scalar)(options.version);
      if (yamlLib().isScalar(versionPair.value)) next.type = versionPair.value.type;
      versionPair.value = next;
    }
  }
  mergeRootSections(root);
  reshapeDocument(root, toAlpha2);
}

/**
 * Root-level consumes, exposes and aggregates join the capability's (root entries first). A file
 * with root consumes only (and binds) stays a shared consumes file.
 */
function mergeRootSections(root: YAMLMap): void {
  const atRoot = SECTIONS_UNDER_CAPABILITY.filter((s) => yamlLib().isSeq(root.get(s, true)));
  if (atRoot.length === 0) return;
  let capability = root.get('capability', true) as YamlNode | undefined;
  if (!yamlLib().isMap(capability)) {
    if (atRoot.every((s) => s === 'consumes')) return;
    capability = new (yamlLib().YAMLMap)();
    root.items.push(new (yamlLib().Pair)(new (yamlLib().Scalar)('capability'), capability));
  }
  const target = capability as YAMLMap;
  for (const section of atRoot) {
    // The section's own pair moves (key node included), so paths through it still locate.
    const pair = root.items.find((p) => yamlLib().isScalar(p.key) && p.key.value === section)!;
    const existing = target.get(section, true) as YamlNode | undefined;
    if (yamlLib().isSeq(existing)) existing.items.unshift(...(pair.value as YAMLSeq).items);
    else target.items.push(pair);
    root.items.splice(root.items.indexOf(pair), 1);
  }
}

const toAlpha2: Reshaper = {
  named(parent, key, visitItem) {
    const at = keyIn(parent, key);
    const node = parent.get(at, true) as YamlNode | undefined;
    if (!yamlLib().isMap(node)) return;
    const list = new (yamlLib().YAMLSeq)();
    list.range = node.range;
    list.flow = node.flow ?? false;
    keepComments(node, list);
    for (const pair of node.items) {
      const keyNode = yamlLib().isScalar(pair.key) ? pair.key : new (yamlLib().Scalar)(String(pair.key));
      const item = yamlLib().isMap(pair.value) ? pair.value : emptyMapAt(keyNode);
      if (keyNode.commentBefore) {
        item.commentBefore = keyNode.commentBefore;
        keyNode.commentBefore = undefined;
      }
      item.items.unshift(new (yamlLib().Pair)(new (yamlLib().Scalar)('name'), keyNode));
      list.items.push(item);
    }
    parent.set(at, list);
    if (visitItem) for (const item of list.items) visitItem(item as YAMLMap);
  },
  rename(node, spelling) {
    const [alpha2, beta5] = RENAMED_KEYS[spelling];
    const pair = node.items.find((p) => yamlLib().isScalar(p.key) && p.key.value === beta5);
    if (pair && !node.has(alpha2)) (pair.key as Scalar).value = alpha2;
  },
  propertyName(key, field) {
    if (field.has('name')) return;
    const name = new (yamlLib().Scalar)(key.value);
    if (key.range) name.range = key.range;
    field.items.unshift(new (yamlLib().Pair)(new (yamlLib().Scalar)('name'), name));
  },
};

/** An empty mapping standing where an entry had no body (`get-ship:` alone). */
function emptyMapAt(keyNode: Scalar): YAMLMap {
  const map = new (yamlLib().YAMLMap)();
  if (keyNode.range) map.range = keyNode.range;
  return map;
}
