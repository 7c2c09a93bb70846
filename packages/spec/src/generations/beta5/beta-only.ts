/**
 * Keys that exist only in 1.0.0-beta documents. Rewriting a beta5 document as alpha2 removes
 * them (alpha2 has no place for them) and says which ones went, by their place in the file.
 */
import type { YAMLMap } from 'yaml';
import { yamlLib } from '../../yaml-lib.js';
import { mapAt, mapItems } from '../shape.js';

/** Where each beta-only key may stand, by the kind of object. */
const BETA_ONLY = {
  info: ['version'],
  adapter: ['ttlMs', 'cacheScope', 'maxBinarySize'],
  unit: ['tags', 'responses', 'responseBinary', 'outputMediaType', 'binary'],
  consumes: ['tunnel'],
  consumedOperation: ['tags', 'maxBinarySize', 'outputMediaType'],
  consumedResource: ['tags'],
} as const;

/** Removes the beta-only keys from an alpha2-shaped tree; returns a note per key removed. */
export function dropBetaOnlyKeys(root: YAMLMap): string[] {
  const notes: string[] = [];
  const drop = (node: YAMLMap, keys: readonly string[], where: string): void => {
    for (const key of keys) {
      if (!node.has(key)) continue;
      node.delete(key);
      notes.push(`\`${where}.${key}\`: not representable in alpha2; removed`);
    }
  };
  const named = (node: YAMLMap, i: number): string => String(node.get('name') ?? node.get('namespace') ?? i);
  const info = mapAt(root, 'info');
  if (info) drop(info, BETA_ONLY.info, 'info');
  const capability = mapAt(root, 'capability') ?? root;
  for (const api of [...mapItems(root.get('consumes', true)), ...mapItems(capability.get('consumes', true))]) {
    const at = `consumes.${named(api, 0)}`;
    drop(api, BETA_ONLY.consumes, at);
    mapItems(api.get('resources', true)).forEach((res, r) => {
      drop(res, BETA_ONLY.consumedResource, `${at}.${named(res, r)}`);
      mapItems(res.get('operations', true)).forEach((op, o) => drop(op, BETA_ONLY.consumedOperation, `${at}.${named(res, r)}.${named(op, o)}`));
    });
  }
  for (const adapter of mapItems(capability.get('exposes', true))) {
    const at = `exposes.${named(adapter, 0)}`;
    drop(adapter, BETA_ONLY.adapter, at);
    for (const key of ['tools', 'resources', 'prompts']) {
      mapItems(adapter.get(key, true)).forEach((unit, u) => {
        drop(unit, BETA_ONLY.unit, `${at}.${named(unit, u)}`);
        mapItems(unit.get('operations', true)).forEach((op, o) => drop(op, BETA_ONLY.unit, `${at}.${named(unit, u)}.${named(op, o)}`));
      });
    }
  }
  for (const agg of mapItems(capability.get('aggregates', true))) {
    const functions = agg.get('functions', true);
    if (yamlLib().isSeq(functions)) mapItems(functions).forEach((fn, f) => drop(fn, BETA_ONLY.unit, `aggregates.${named(agg, 0)}.${named(fn, f)}`));
  }
  return notes;
}

/** Import entries of sections the alpha2 schema cannot import (exposes, aggregates, binds): they stay, with a note. */
export function unsupportedImports(root: YAMLMap): string[] {
  const capability = mapAt(root, 'capability');
  const holders = capability ? [root, capability] : [root];
  const notes: string[] = [];
  for (const holder of holders) {
    for (const section of ['exposes', 'aggregates', 'binds']) {
      for (const entry of mapItems(holder.get(section, true))) {
        if (yamlLib().isMap(entry) && entry.has('import')) notes.push(`\`${section}\` import of \`${String(entry.get('import'))}\`: the alpha2 schema imports only consumes entries (Capstan resolves it; the alpha2 reference engine does not); inline it for that engine`);
      }
    }
  }
  return notes;
}
