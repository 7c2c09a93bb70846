/**
 * The compiler reads document types generated from the published JSON Schema; the committed
 * types must be what the generator makes of the schema as it is now, so the two cannot drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM build script without type declarations
import { generateDocumentTypes } from '../../packages/spec/scripts/generate-document-types.mjs';

describe('generated document types', () => {
  it('match the schema (run `pnpm --filter @capstan/spec generate` after changing it)', async () => {
    const committed = readFileSync(new URL('../../packages/spec/generated/document.d.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await (generateDocumentTypes as () => Promise<string>)());
  }, 30_000);
});
