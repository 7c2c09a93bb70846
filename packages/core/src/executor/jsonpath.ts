/**
 * JSONPath with the engine's (Jayway) result shape, on jsonpath-plus, used everywhere (output
 * mappings, consumed outputs, step mappings, lookups):
 * - `$` and `$.` are the root; an empty path gives nothing;
 * - a definite path (only names and indices) gives one value, or undefined when absent;
 * - an indefinite path (`[*]`, `..`, filters, unions, slices) gives an array of matches;
 * - the Jayway function `.length()` is supported at the end of a path;
 * - any evaluation error gives undefined. Script evaluation runs in jsonpath-plus's safe mode.
 */
import { JSONPath } from 'jsonpath-plus';

interface Compiled {
  path: string;
  definite: boolean;
  length: boolean;
  /**
   * For a plain path of names and indices (`$.a.b[0]`, the common case in mappings), the steps
   * to walk directly: same answer as jsonpath-plus, without its per-call parsing and evaluation.
   */
  steps?: Array<string | number>;
}

const cache = new Map<string, Compiled>();

function compile(expr: string): Compiled {
  let hit = cache.get(expr);
  if (hit) return hit;
  let path = expr.trim();
  const length = /\.length\(\)$/.test(path);
  if (length) path = path.slice(0, -'.length()'.length);
  let definite = true;
  let steps: Array<string | number> | undefined = [];
  try {
    const tokens = JSONPath.toPathArray(path);
    if (tokens[0] !== '$') steps = undefined;
    for (const token of tokens.slice(1)) {
      if (token === '*' || token === '..' || /^[?(]/.test(token) || /[,:]/.test(token) || token === '~' || token === '^') definite = false;
      if (!steps) continue;
      if (/^(0|[1-9][0-9]*)$/.test(token)) steps.push(Number(token));
      else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(token) && token !== '__proto__' && token !== 'constructor' && token !== 'prototype') steps.push(token);
      else steps = undefined;
    }
  } catch {
    definite = false;
    steps = undefined;
  }
  hit = { path, definite, length, ...(definite && steps ? { steps } : {}) };
  if (cache.size > 10_000) cache.clear();
  cache.set(expr, hit);
  return hit;
}

/** Walks plain steps the way jsonpath-plus does: only own properties (array indices and `length` included) of truthy values. */
function walk(root: unknown, steps: Array<string | number>): unknown {
  let node = root;
  for (const step of steps) {
    if (!node || !Object.prototype.hasOwnProperty.call(node, step)) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/** Evaluates a JSONPath against a value; undefined means "not found". */
export function jsonPath(root: unknown, expr: string | undefined): unknown {
  if (expr === undefined) return undefined;
  const trimmed = expr.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '$' || trimmed === '$.') return root;
  if (root === null || root === undefined || typeof root !== 'object') return undefined;
  const { path, definite, length, steps } = compile(trimmed);
  let result: unknown;
  if (steps) {
    result = walk(root, steps);
  } else {
    try {
      const matches = JSONPath({ path, json: root as object, wrap: true, eval: 'safe' }) as unknown[];
      result = definite ? matches[0] : matches;
    } catch {
      return undefined;
    }
  }
  if (length) return Array.isArray(result) || typeof result === 'string' ? result.length : result && typeof result === 'object' ? Object.keys(result).length : undefined;
  return result;
}
