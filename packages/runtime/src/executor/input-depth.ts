/** A guard on how deeply a caller's input value nests (deeper JSON overflows the stack when serialised). */

/** Deepest nesting accepted in a caller's input value. */
export const MAX_INPUT_DEPTH = 64;

/** True when `value` nests arrays/objects more than `limit` levels deep (iterative: no recursion to overflow). */
export function depthExceeds(value: unknown, limit: number): boolean {
  // Most inputs are scalars: no stack for them.
  if (!value || typeof value !== 'object') return false;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (d >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

