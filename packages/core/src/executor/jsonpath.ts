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

const cache = new Map<string, { path: string; definite: boolean; length: boolean }>();

function compile(expr: string): { path: string; definite: boolean; length: boolean } {
  let hit = cache.get(expr);
  if (hit) return hit;
  let path = expr.trim();
  const length = /\.length\(\)$/.test(path);
  if (length) path = path.slice(0, -'.length()'.length);
  let definite = true;
  try {
    for (const token of JSONPath.toPathArray(path)) {
      if (token === '*' || token === '..' || /^[?(]/.test(token) || /[,:]/.test(token) || token === '~' || token === '^') definite = false;
    }
  } catch {
    definite = false;
  }
  hit = { path, definite, length };
  if (cache.size > 10_000) cache.clear();
  cache.set(expr, hit);
  return hit;
}

/** Evaluates a JSONPath against a value; undefined means "not found". */
export function jsonPath(root: unknown, expr: string | undefined): unknown {
  if (expr === undefined) return undefined;
  const trimmed = expr.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '$' || trimmed === '$.') return root;
  if (root === null || root === undefined || typeof root !== 'object') return undefined;
  const { path, definite, length } = compile(trimmed);
  let result: unknown;
  try {
    const matches = JSONPath({ path, json: root as object, wrap: true, eval: 'safe' }) as unknown[];
    result = definite ? matches[0] : matches;
  } catch {
    return undefined;
  }
  if (length) return Array.isArray(result) || typeof result === 'string' ? result.length : result && typeof result === 'object' ? Object.keys(result).length : undefined;
  return result;
}
