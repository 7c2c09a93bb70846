/**
 * Document generations Capstan reads. Each generation has its own front end; all of them produce
 * the alpha2 document model, which the compiler turns into the one operation graph.
 */
import type { Diagnostic } from '../diagnostics.js';

/** A document generation: `alpha2` (`naftiko: 1.0.0-alpha2/-alpha3`) or `beta5` (`ikanos: 1.0.0-beta1` … `-beta5`). */
export type Generation = 'alpha2' | 'beta5';

/** The root key that carries the version, and the versions Capstan runs, per generation. */
export const GENERATIONS: Record<Generation, { key: string; versions: readonly string[] }> = {
  alpha2: { key: 'naftiko', versions: ['1.0.0-alpha2', '1.0.0-alpha3'] },
  beta5: { key: 'ikanos', versions: ['1.0.0-beta1', '1.0.0-beta2', '1.0.0-beta3', '1.0.0-beta4', '1.0.0-beta5'] },
};

/** The generation a version string belongs to, if Capstan runs it. */
export function generationOfVersion(version: unknown): Generation | undefined {
  for (const [g, spec] of Object.entries(GENERATIONS) as Array<[Generation, (typeof GENERATIONS)[Generation]]>) {
    if (spec.versions.includes(String(version))) return g;
  }
  return undefined;
}

/** The generation a parsed root declares by its version key (whatever the version value). */
export function declaredGeneration(root: unknown): Generation | undefined {
  if (!root || typeof root !== 'object') return undefined;
  if ('ikanos' in root) return 'beta5';
  if ('naftiko' in root) return 'alpha2';
  return undefined;
}

/** alpha2 wording in compiler and loader messages → beta5 wording. */
const BETA5_WORDS: Array<[RegExp, string]> = [
  [/aggregate function/g, 'aggregate flow'],
  [/\bfunction\b/g, 'flow'],
  [/`label`/g, '`display`'],
  [/`targetName`/g, '`target`'],
  [/`naftiko`/g, '`ikanos`'],
  [/the location is resolved against/g, 'the `from` path is resolved against'],
  [/step name `([^`]+)` is used twice/g, 'step `$1` is declared twice'],
];

/** Rewrites diagnostics produced on the alpha2 model so they speak the document's own generation. */
export function speakGeneration(generation: Generation | undefined, diagnostics: Diagnostic[]): Diagnostic[] {
  if (generation !== 'beta5') return diagnostics;
  const say = (text: string | undefined): string | undefined => (text === undefined ? undefined : BETA5_WORDS.reduce((t, [from, to]) => t.replace(from, to), text));
  return diagnostics.map((d) => ({
    ...d,
    message: say(d.message)!,
    ...(d.expected !== undefined ? { expected: say(d.expected) } : {}),
    ...(d.fix !== undefined ? { fix: say(d.fix) } : {}),
  }));
}
