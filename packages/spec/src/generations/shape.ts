/**
 * Where the two document generations differ, as one walk over a `yaml` syntax tree.
 *
 * alpha2 (`naftiko:`) writes named objects as lists of objects carrying `name:`; beta5
 * (`ikanos:`) writes them as maps keyed by the name. A few keys are spelled differently. The walk
 * below visits every such place once; a direction (`Reshaper`) says what to do there, so that
 * beta5 → alpha2 and alpha2 → beta5 cannot drift apart.
 */
import type { Node as YamlNode, Scalar, YAMLMap } from 'yaml';
import { yamlLib } from '../yaml-lib.js';

/** Key spellings that differ between the generations: [alpha2, beta5]. */
export const RENAMED_KEYS = {
  label: ['label', 'display'],
  functions: ['functions', 'flows'],
  targetName: ['targetName', 'target'],
  location: ['location', 'from'],
} as const;

/** What one direction does at each place where the generations differ. */
export interface Reshaper {
  /** Converts `parent[key]` (alpha2 spelling of the key) between a named list and a named map, then visits each item. */
  named(parent: YAMLMap, key: string, visitItem?: (item: YAMLMap) => void): void;
  /** Renames a key of `node` between its alpha2 and beta5 spellings. */
  rename(node: YAMLMap, spelling: keyof typeof RENAMED_KEYS): void;
  /** An orchestrated output's sub-field under `properties`: alpha2 repeats the key as `name:`, beta5 does not. */
  propertyName(key: Scalar, field: YAMLMap): void;
}

/** The key under which `parent` holds `key` (alpha2 spelling), in whichever generation's spelling it uses. */
export function keyIn(parent: YAMLMap, key: string): string {
  const spellings = (RENAMED_KEYS as Record<string, readonly string[]>)[key];
  return spellings?.find((k) => parent.has(k)) ?? key;
}

/** Carries the comments around a collection over to the collection that replaces it. */
export function keepComments(from: YamlNode, to: YamlNode): void {
  if (from.commentBefore) to.commentBefore = from.commentBefore;
  if (from.comment) to.comment = from.comment;
}

/** A mapping's value at `key`, as a mapping, or undefined. */
export function mapAt(parent: YAMLMap, key: string): YAMLMap | undefined {
  const v = parent.get(key, true) as YamlNode | undefined;
  return yamlLib().isMap(v) ? v : undefined;
}

/** The mapping items of a sequence (others are left alone). */
export function mapItems(node: unknown): YAMLMap[] {
  return yamlLib().isSeq(node) ? node.items.filter((i): i is YAMLMap => yamlLib().isMap(i)) : [];
}

/** The string value of a scalar key, or undefined. */
export function scalarText(node: unknown): string | undefined {
  return yamlLib().isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

/** Walks a capability or section document (its root mapping). */
export function reshapeDocument(root: YAMLMap, r: Reshaper): void {
  const info = mapAt(root, 'info');
  if (info) r.rename(info, 'label');
  walkSections(root, r);
  const capability = mapAt(root, 'capability');
  if (capability) walkSections(capability, r);
}

function walkSections(holder: YAMLMap, r: Reshaper): void {
  for (const section of ['binds', 'consumes', 'exposes', 'aggregates']) {
    for (const entry of mapItems(holder.get(section, true))) {
      if (entry.has('location') || entry.has('from')) {
        // An import entry (alpha2 `location`, beta5 `from`); a bind's `location` is a URI, not an import.
        if (section !== 'binds' || entry.has('import')) r.rename(entry, 'location');
        continue;
      }
      if (section === 'consumes') walkConsumes(entry, r);
      else if (section === 'exposes') walkAdapter(entry, r);
      else if (section === 'aggregates') {
        r.rename(entry, 'label');
        r.rename(entry, 'functions');
        r.named(entry, 'functions', (fn) => walkUnit(fn, r));
      }
    }
  }
}

function walkConsumes(api: YAMLMap, r: Reshaper): void {
  r.named(api, 'inputParameters');
  r.named(api, 'resources', (res) => {
    r.rename(res, 'label');
    r.named(res, 'inputParameters');
    r.named(res, 'operations', (op) => {
      r.rename(op, 'label');
      r.named(op, 'inputParameters');
      r.named(op, 'outputParameters');
    });
  });
}

function walkAdapter(adapter: YAMLMap, r: Reshaper): void {
  r.named(adapter, 'resources', (res) => {
    r.rename(res, 'label');
    if (adapter.get('type') === 'rest') {
      r.named(res, 'inputParameters');
      r.named(res, 'operations', (op) => walkUnit(op, r));
    } else {
      walkUnit(res, r);
    }
  });
  r.named(adapter, 'tools', (tool) => walkUnit(tool, r));
  r.named(adapter, 'prompts', (prompt) => {
    r.rename(prompt, 'label');
    r.named(prompt, 'arguments', (arg) => r.rename(arg, 'label'));
  });
  r.named(adapter, 'skills', (skill) => r.named(skill, 'tools'));
}

/** A tool, REST operation, MCP resource or aggregate flow: inputs, steps, mappings and outputs. */
function walkUnit(unit: YAMLMap, r: Reshaper): void {
  r.rename(unit, 'label');
  r.named(unit, 'inputParameters');
  r.named(unit, 'steps');
  for (const m of mapItems(unit.get('mappings', true))) r.rename(m, 'targetName');
  // Named outputs (orchestrated and mock); the mapped outputs of a `call` are a list without names in both generations.
  if (!unit.has('call')) r.named(unit, 'outputParameters', (out) => walkNamedOutput(out, r));
}

function walkNamedOutput(out: YAMLMap, r: Reshaper): void {
  if (out.get('type') === 'array') r.named(out, 'items', (item) => walkNamedOutput(item, r));
  const properties = mapAt(out, 'properties');
  for (const pair of properties?.items ?? []) {
    if (!yamlLib().isMap(pair.value)) continue;
    if (yamlLib().isScalar(pair.key)) r.propertyName(pair.key, pair.value);
    walkNamedOutput(pair.value, r);
  }
}
