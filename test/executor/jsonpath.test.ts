/** The JSONPath fast path for plain paths gives exactly what jsonpath-plus gives. */
import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { jsonPath } from '@capstan/runtime';

const name = fc.constantFrom('a', 'b', 'items', 'id', 'x_y', 'k-1', 'length', '0', '1');
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(name, tie('value'), { maxKeys: 4 }),
})).value;
const step = fc.oneof(name.map((n) => (/^[0-9]+$/.test(n) ? `[${n}]` : `.${n}`)), fc.nat({ max: 3 }).map((i) => `[${i}]`));

describe('jsonPath fast path', () => {
  it('agrees with jsonpath-plus on plain paths over arbitrary JSON', () => {
    fc.assert(
      fc.property(json, fc.array(step, { minLength: 1, maxLength: 4 }), (root, steps) => {
        const path = `$${steps.join('')}`;
        if (root === null || typeof root !== 'object') return;
        const reference = (JSONPath({ path, json: root, wrap: true }) as unknown[])[0];
        expect(jsonPath(root, path)).toEqual(reference);
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });

  it('never reads inherited properties', () => {
    expect(jsonPath({}, '$.constructor')).toBeUndefined();
    expect(jsonPath({ a: {} }, '$.a.toString')).toBeUndefined();
  });
});
