/**
 * Reshapes an alpha2 (`naftiko:`) syntax tree into a beta5 (`ikanos:`) document, in place, for
 * `capstan upgrade`: named lists become maps keyed by the name, alpha2 spellings become beta5
 * ones. Nodes are moved, so comments and scalar styles travel with them.
 */
import type { Pair, Scalar, YAMLMap, Document, Node as YamlNode } from 'yaml';
import { yamlLib } from '../../yaml-lib.js';
import { keepComments, keyIn, RENAMED_KEYS, reshapeDocument, scalarText, type Reshaper } from '../shape.js';

/** What could not be converted, as `path: reason` lines. */
export type UpgradeNotes = string[];

/** Reshapes `doc` (an alpha2 document) into beta5 with `ikanos: <version>`; returns notes on what stayed as it was. */
export function alpha2ToBeta5(doc: Document, version = '1.0.0-beta5'): UpgradeNotes {
  const root = doc.contents;
  const notes: UpgradeNotes = [];
  if (!yamlLib().isMap(root)) return notes;
  const versionPair = root.items.find((p) => yamlLib().isScalar(p.key) && p.key.value === 'naftiko');
  if (versionPair) {
    (versionPair.key as Scalar).value = 'ikanos';
    const next = new (yamlLib().Scalar)(version);
    if (yamlLib().isScalar(versionPair.value)) next.type = versionPair.value.type;
    versionPair.value = next;
  }
  reshapeDocument(root, toBeta5(notes));
  return notes;
}

function toBeta5(notes: UpgradeNotes): Reshaper {
  return {
    named(parent, key, visitItem) {
      const at = keyIn(parent, key);
      const node = parent.get(at, true) as YamlNode | undefined;
      if (!yamlLib().isSeq(node) || node.items.length === 0) return;
      const items = node.items.filter((i): i is YAMLMap => yamlLib().isMap(i));
      const names = items.map((i) => scalarText(i.get('name', true)));
      // Mapped outputs carry no names and stay a list; so does a list that cannot become a map.
      if (items.length !== node.items.length || names.some((n) => n === undefined)) {
        if (names.some((n) => n !== undefined)) notes.push(`\`${at}\`: some entries have no \`name\`; left as a list`);
        if (visitItem) items.forEach(visitItem);
        return;
      }
      if (new Set(names).size !== names.length) {
        notes.push(`\`${at}\`: two entries share a name (${names.filter((n, i) => names.indexOf(n) !== i).join(', ')}); left as a list`);
        if (visitItem) items.forEach(visitItem);
        return;
      }
      const map = new (yamlLib().YAMLMap)();
      map.flow = node.flow ?? false;
      keepComments(node, map);
      for (const item of items) {
        const namePair = item.items.find((p) => yamlLib().isScalar(p.key) && p.key.value === 'name')!;
        const keyNode = yamlLib().isScalar(namePair.value) ? namePair.value : new (yamlLib().Scalar)(scalarText(namePair.value));
        item.items.splice(item.items.indexOf(namePair), 1);
        // Comments and blank lines before a list item now belong before its key.
        if (item.commentBefore) keyNode.commentBefore = item.commentBefore;
        if (item.spaceBefore) keyNode.spaceBefore = true;
        item.commentBefore = undefined;
        item.spaceBefore = undefined;
        map.items.push(new (yamlLib().Pair)(keyNode, item));
      }
      parent.set(at, map);
      if (visitItem) items.forEach(visitItem);
    },
    rename(node, spelling) {
      const [alpha2, beta5] = RENAMED_KEYS[spelling];
      const pair = node.items.find((p) => yamlLib().isScalar(p.key) && p.key.value === alpha2);
      if (pair && !node.has(beta5)) (pair.key as Scalar).value = beta5;
    },
    propertyName(key, field) {
      const i = field.items.findIndex((p) => yamlLib().isScalar(p.key) && p.key.value === 'name');
      if (i >= 0 && scalarText(field.items[i]!.value) === scalarText(key)) field.items.splice(i, 1);
    },
  };
}
