/**
 * The `yaml` package, loaded on first use: it keeps node ranges (positions of a syntax tree, the
 * beta5 front end, upgrades), which a valid alpha2 document never needs, and loading its 72 files
 * is a cost every `capstan run` would otherwise pay at start-up.
 */
import { createRequire } from 'node:module';

let loaded: typeof import('yaml') | undefined;

/** The `yaml` module (loaded once). */
export function yamlLib(): typeof import('yaml') {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return loaded;
}

/** The `yaml` package's `parse` (YAML 1.2, which also reads JSON), for settings and data files. */
export function parseYaml(text: string): ReturnType<typeof import('yaml').parse> {
  return yamlLib().parse(text);
}
