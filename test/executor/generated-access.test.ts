/**
 * Output mappings read and build through generated functions (generated-access.ts). Property
 * names are spec text: whatever they hold, they must stay names (never code) and give exactly
 * the object a plain `out[key] = value` loop gives, in the same key order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedObject, generatedWalk } from '@capstan/runtime/internals';

const AWKWARD = ['a"b', "c'd", 'e\\f', 'g\nh', '\u2028', '\u2029', '', '0', '10', '1e3', '-1', 'constructor', 'toString', 'hasOwnProperty', '${x}', '`', '}); throw new Error("x"); ({', '*/', '// c', 'ünï', '😀'];

function loopBuilt(keys: string[], values: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => (out[k] = values[i] ?? null));
  return out;
}

describe('generated object shapes', () => {
  it('keep awkward property names as names, with the values and key order of a plain loop', () => {
    const values = AWKWARD.map((k, i) => (i % 3 === 0 ? undefined : `${k}!`));
    const build = generatedObject(AWKWARD, values.map((v) => () => v));
    expect(build).toBeTypeOf('function');
    const built = build!({}, undefined);
    const expected = loopBuilt(AWKWARD, values);
    expect(built).toEqual(expected);
    expect(Object.keys(built)).toEqual(Object.keys(expected));
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
  });

  it('agree with a plain loop on arbitrary names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__'), { maxLength: 6 }), (keys) => {
        const build = generatedObject(keys, keys.map((k) => (root: unknown) => (root as Record<string, unknown>)[k]));
        const root = Object.fromEntries(keys.map((k, i) => [k, i]));
        const built = build!(root, undefined);
        expect(built).toEqual(loopBuilt(keys, keys.map((k) => root[k])));
        expect(Object.keys(built)).toEqual(Object.keys(loopBuilt(keys, keys.map(() => 0))));
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('are not made for a __proto__ key (a literal would set the prototype)', () => {
    expect(generatedObject(['a', '__proto__'], [() => 1, () => ({ polluted: true })])).toBeUndefined();
  });

  it('pass the root and the scope to every reader', () => {
    const seen: unknown[] = [];
    const build = generatedObject(['x', 'y'], [(root: unknown, scope: unknown) => (seen.push([root, scope]), 1), () => null]);
    expect(build!('R', 'S')).toEqual({ x: 1, y: null });
    expect(seen).toEqual([['R', 'S']]);
  });
});

describe('generated walks', () => {
  it('read own properties and indices only, undefined for anything else', () => {
    const walk = generatedWalk(['a', 0, 'b'])!;
    expect(walk({ a: [{ b: 42 }] })).toBe(42);
    expect(walk({ a: [{}] })).toBeUndefined();
    expect(walk({ a: [] })).toBeUndefined();
    expect(walk({ a: [{ b: null }] })).toBeNull();
    expect(walk(null)).toBeUndefined();
    expect(walk('a')).toBeUndefined();
    expect(generatedWalk(['constructor'])!({})).toBeUndefined();
    expect(generatedWalk(['length'])!([1, 2])).toBe(2);
    expect(generatedWalk(['x"y'])!({ 'x"y': 1 })).toBe(1);
  });

  it('refuse a step that is not a name or an array index', () => {
    expect(() => generatedWalk([-1])).toThrow(/not an array index/);
    expect(() => generatedWalk([1.5])).toThrow(/not an array index/);
  });
});
