/**
 * Property reads and object shapes of output mappings, compiled to JavaScript once per path or
 * shape. A plain JSONPath walked by one shared loop reads every property of every mapping
 * through the same `node[step]` site, which V8 turns megamorphic (a lookup per read); and an
 * object filled by `out[key] = …` in a loop changes shape key by key. Generated functions read
 * and build with literal names, so each site sees one shape: mapping the bench's 20 ships to 5
 * fields went from 5.5 to about 1.5 µs.
 *
 * Only property names (as JSON string literals, escaped by `JSON.stringify`) and array indices
 * (safe integers) go into the generated source: nothing else of the spec is ever code. Where
 * code generation from strings is refused (`--disallow-code-generation-from-strings`), the
 * functions return undefined and the caller keeps its plain closures.
 */

/** A compiled read of a value from a root. */
export type GeneratedRead = (root: unknown) => unknown;

/** A compiled build of an object from a root (and the template scope). */
export type GeneratedBuild<S> = (root: unknown, scope: S) => Record<string, unknown>;

/**
 * Reads `steps` (names and indices) from an object or array root, as jsonpath-plus does: only
 * own properties of truthy values; undefined when a step is missing or the root is not an object.
 */
export function generatedWalk(steps: ReadonlyArray<string | number>): GeneratedRead | undefined {
  const reads = steps.map((step) => {
    const key = literal(step);
    return `if (!n || !has.call(n, ${key})) return undefined;\nn = n[${key}];`;
  });
  return generate<GeneratedRead>(['has'], [Object.prototype.hasOwnProperty], `return function walk(root) {\nif (root === null || typeof root !== 'object') return undefined;\nlet n = root;\n${reads.join('\n')}\nreturn n;\n};`);
}

/**
 * An object with one property per key, in order, each the value of its reader (absent → null).
 * Undefined for a `__proto__` key: in an object literal it would set the prototype.
 */
export function generatedObject<S>(keys: readonly string[], readers: ReadonlyArray<(root: unknown, scope: S) => unknown>): GeneratedBuild<S> | undefined {
  if (keys.includes('__proto__')) return undefined;
  const names = readers.map((_, i) => `r${i}`);
  const fields = keys.map((key, i) => `${literal(key)}: r${i}(root, scope) ?? null`);
  return generate<GeneratedBuild<S>>(names, readers, `return function build(root, scope) {\nreturn { ${fields.join(', ')} };\n};`);
}

/**
 * `(root, scope) => then(read(root), scope)` as a function of its own (the same source every
 * time, nothing of the spec in it): its two calls always reach the same functions, so V8 can
 * inline them, which one closure shared by every field cannot.
 */
export function generatedThen<S>(read: GeneratedRead, then: (value: unknown, scope: S) => unknown): ((root: unknown, scope: S) => unknown) | undefined {
  return generate(['read', 'then'], [read, then], `return function field(root, scope) {\nreturn then(read(root), scope);\n};`);
}

function literal(step: string | number): string {
  if (typeof step === 'number') {
    if (!Number.isSafeInteger(step) || step < 0) throw new Error(`not an array index: ${step}`);
    return String(step);
  }
  return JSON.stringify(step);
}

function generate<F>(names: readonly string[], values: readonly unknown[], body: string): F | undefined {
  let factory: (...args: unknown[]) => F;
  try {
    factory = new Function(...names, body) as (...args: unknown[]) => F;
  } catch (err) {
    // Code generation refused by the embedder: the caller's closures do the same job.
    if (err instanceof EvalError) return undefined;
    throw err;
  }
  return factory(...values);
}
