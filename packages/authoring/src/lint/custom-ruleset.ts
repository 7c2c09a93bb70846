/**
 * Custom rulesets: a Spectral ruleset file (YAML, JSON, or a JS module exporting a definition)
 * that always extends Capstan's ruleset. In YAML/JSON, `then.function` names a Spectral core
 * function (`truthy`, `pattern`, `schema`, …); a rule given as a bare severity (`warn`, `off`)
 * turns one of Capstan's rules up, down or on.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ruleset, type RulesetDefinition } from '@stoplight/spectral-core';
import * as coreFunctions from '@stoplight/spectral-functions';
import { parse } from 'yaml';
import { CAPSTAN_RULESET } from './rules.js';

/** A ruleset file that cannot be used: says which file and why. */
export class RulesetError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const SEVERITIES = new Set(['off', 'recommended', 'all']);
/** Spectral's core functions by name. */
const FUNCTIONS = Object.fromEntries(Object.entries(coreFunctions).filter(([, f]) => typeof f === 'function'));

/** Capstan's ruleset, extended by the file at `path` when one is given. */
export async function loadRuleset(path?: string): Promise<Ruleset> {
  if (!path) return new Ruleset(CAPSTAN_RULESET);
  const definition = /\.[cm]?js$/i.test(extname(path)) ? await importModule(path) : fromDataFile(path);
  try {
    return new Ruleset(definition, { source: resolve(path) });
  } catch (err) {
    throw new RulesetError(`${path}: ${(err as Error).message}`);
  }
}

async function importModule(path: string): Promise<RulesetDefinition> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  if (!isObj(mod.default)) throw new RulesetError(`${path}: the module must export a ruleset definition as default`);
  return withCapstan(mod.default, path);
}

function fromDataFile(path: string): RulesetDefinition {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new RulesetError(`${path}: ${(err as Error).message}`);
  }
  if (!isObj(data)) throw new RulesetError(`${path}: a ruleset is a mapping with \`rules\` (and optionally \`extends\`)`);
  const rules = isObj(data.rules) ? data.rules : {};
  const mapped: Obj = {};
  for (const [name, rule] of Object.entries(rules)) mapped[name] = isObj(rule) ? { ...rule, then: withFunctions(rule.then, path, name) } : rule;
  return withCapstan({ ...data, rules: mapped }, path);
}

/** Replaces function names by Spectral's core functions. */
function withFunctions(then: unknown, path: string, rule: string): unknown {
  const one = (t: unknown): unknown => {
    if (!isObj(t) || typeof t.function !== 'string') return t;
    const fn = FUNCTIONS[t.function];
    if (typeof fn !== 'function') throw new RulesetError(`${path}: rule \`${rule}\` uses unknown function \`${t.function}\`; use one of ${Object.keys(FUNCTIONS).join(', ')}`);
    return { ...t, function: fn };
  };
  return Array.isArray(then) ? then.map(one) : one(then);
}

/**
 * Puts Capstan's ruleset first in `extends`: `extends: capstan` or `[capstan, all]` picks how its
 * rules are enabled (default `recommended`); other entries must be definitions (JS modules).
 */
function withCapstan(def: Obj, path: string): RulesetDefinition {
  const raw = def.extends;
  const entries = raw === undefined ? [] : Array.isArray(raw) && (raw.length !== 2 || !SEVERITIES.has(String(raw[1]))) ? raw : [raw];
  let severity = 'recommended';
  const others: unknown[] = [];
  for (const e of entries) {
    if (e === 'capstan') continue;
    if (Array.isArray(e) && e[0] === 'capstan' && SEVERITIES.has(String(e[1]))) severity = String(e[1]);
    else if (isObj(e) || (Array.isArray(e) && isObj(e[0]))) others.push(e);
    else throw new RulesetError(`${path}: cannot extend \`${JSON.stringify(e)}\`; a ruleset file extends \`capstan\` (optionally \`[capstan, all]\`)`);
  }
  return { ...def, extends: [[CAPSTAN_RULESET, severity], ...others] } as unknown as RulesetDefinition;
}
