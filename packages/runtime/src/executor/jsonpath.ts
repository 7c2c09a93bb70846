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
import { generatedWalk } from './generated-access.js';

/** A compiled JSONPath: reads its value from a root, or undefined for "not found". */
export type PathReader = (root: unknown) => unknown;

const cache = new Map<string, PathReader>();
const nothing: PathReader = () => undefined;
const itself: PathReader = (root) => root;

/**
 * Compiles a JSONPath once (cached by its text). For a plain path of names and indices
 * (`$.a.b[0]`, the common case in mappings), the reader walks the steps directly: same answer as
 * jsonpath-plus, without its per-call parsing and evaluation.
 */
export function pathReader(expr: string): PathReader {
  let hit = cache.get(expr);
  if (hit) return hit;
  hit = compile(expr.trim());
  if (cache.size > 10_000) cache.clear();
  cache.set(expr, hit);
  return hit;
}

function compile(trimmed: string): PathReader {
  if (trimmed === '') return nothing;
  if (trimmed === '$' || trimmed === '$.') return itself;
  let path = trimmed;
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
  const plain = definite ? steps : undefined;
  // A plain path without `.length()`: the generated walk checks the root itself.
  const generated = plain ? generatedWalk(plain) : undefined;
  if (generated && !length) return generated;
  const evaluate: PathReader = plain
    ? (generated ?? ((root) => walk(root, plain)))
    : (root) => {
        try {
          const matches = JSONPath({ path, json: root as object, wrap: true, eval: 'safe' }) as unknown[];
          return definite ? matches[0] : matches;
        } catch {
          return undefined;
        }
      };
  return (root) => {
    if (root === null || root === undefined || typeof root !== 'object') return undefined;
    const result = evaluate(root);
    if (!length) return result;
    return Array.isArray(result) || typeof result === 'string' ? result.length : result && typeof result === 'object' ? Object.keys(result).length : undefined;
  };
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
  return expr === undefined ? undefined : pathReader(expr)(root);
}
