/**
 * `capstan fix --strict`: constructs with no official form that serves the same are rewritten
 * into the nearest official form too, each printed with what it changes, so the file passes
 * `--strict`. One test per kind lives beside its rewrite's group (fix-strict-*.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { fixStrict, minimalCapability } from './strict-fixture.js';

const integerOutput = minimalCapability(`    - name: count-things
      description: Count the things.
      call: api.get
      outputParameters:
      - type: object
        properties:
          count:
            type: integer
            mapping: $.count`);

describe('capstan fix --strict', () => {
  it('integer-type: `integer` becomes `number`, the change is reported, the file passes --strict', () => {
    const outcome = fixStrict(integerOutput);
    expect(outcome.result.left).toEqual([]);
    expect(outcome.result.altered.map((a) => a.kind)).toEqual(['integer-type']);
    expect(outcome.result.altered[0]!.change).toMatch(/`number` instead of `integer`/);
    expect(readFileSync(outcome.file, 'utf8')).toContain('            type: number\n            mapping: $.count');
    expect(outcome.strictErrors).toEqual([]);
    expect(outcome.loadErrors).toBe(false);
  });

  it('the default mode keeps the construct; the CLI prints one `changed [kind]` line per rewrite and exits 0 when the file passes --strict', async () => {
    const { file } = fixStrict(integerOutput);
    writeFileSync(file, integerOutput);
    const plain = await runCliAsync(['fix', file, '--dry-run']);
    expect(plain.code).toBe(3);
    expect(plain.stdout).toMatch(/no official form \[integer-type\]/);
    const strict = await runCliAsync(['fix', '--strict', file]);
    expect(strict.stdout).toMatch(/cap\.yaml:\d+:\d+: changed \[integer-type\] .+: the served schema says `number`/);
    expect(strict.stdout).toMatch(/changed 1, left 0/);
    expect(strict.code).toBe(0);
    expect((await runCliAsync(['validate', '--strict', file])).code).toBe(0);
  });
});
