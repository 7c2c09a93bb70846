/**
 * Capability files are read as UTF-8 whatever bytes they hold: an ASCII-only file takes a faster
 * decoding (`read-text.ts`), which must give the same text as UTF-8 decoding, and a file with
 * other bytes is decoded as UTF-8 (a byte-order mark kept, as Node's UTF-8 decoding keeps it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '@capstan/spec';
import { registryEntry } from '../helpers/fixtures.js';
import { tempSpec } from '../helpers/tmp.js';

const spec = (description: string) => `naftiko: 1.0.0-alpha2
info:
  label: Fleet
  description: ${description}
capability:
  consumes:
${registryEntry(4)}  exposes:
    - type: mcp
      namespace: fleet-tools
      tools:
        - name: list-ships
          description: List ships
          call: registry.list-ships
`;

describe('reading a capability file', () => {
  it.each([
    ['ASCII only', 'Ships and voyages'],
    ['accented letters', 'Navires et escales à Brême'],
    ['characters outside the BMP', 'Ships 🚢 and ⚓ voyages'],
  ])('gives the UTF-8 text of a file of %s', (_kind, description) => {
    const file = tempSpec(spec(description));
    const result = checkSpec(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.graph?.info.description).toBe(description);
    expect(result.loaded.sources.get(file)).toBe(readFileSync(file, 'utf8'));
  });

  it('keeps a byte-order mark out of the value, as before', () => {
    const file = tempSpec(spec('Ships'));
    writeFileSync(file, `\ufeff${readFileSync(file, 'utf8')}`);
    const result = checkSpec(file);
    expect(result.graph?.info.description).toBe('Ships');
    expect(result.loaded.sources.get(file)).toBe(readFileSync(file, 'utf8'));
  });

  it('decodes bytes that are not UTF-8 as UTF-8 does (replacement characters)', () => {
    const file = tempSpec(spec('Ships XX'));
    const bytes = readFileSync(file);
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    writeFileSync(file, bytes);
    const result = checkSpec(file);
    expect(result.loaded.sources.get(file)).toBe(readFileSync(file, 'utf8'));
    expect(result.graph?.info.description).toBe('Ships \ufffd\ufffd');
  });
});
