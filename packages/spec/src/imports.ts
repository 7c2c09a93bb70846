/**
 * Import entries (`location` + `import` [+ `as`]; beta5 writes `from` for `location`) in the four
 * sections that take them: `consumes`, `exposes`, `aggregates` and `binds`. Each import is
 * replaced by a copy of the named entry of another file, as the reference engine does:
 * - the path is resolved against the importing file's folder;
 * - the source's section is read at its root, else under its `capability`;
 * - the entry is the first inline one whose `namespace` is `import`; `as` renames it;
 * - imports are not transitive: an entry that is itself an import is never picked, so a chain
 *   or a cycle of imports is an error at the import, naming the file that holds the entry.
 * Every problem is positioned at the import entry of the importing file.
 */
import { dirname, join } from 'node:path';
import type { Diagnostic } from './diagnostics.js';
import { resolveFileLocation } from './locations.js';
import type { PathSegment, SourceDocument } from './source.js';
import { closest, quoteList } from './suggest.js';

/** The sections whose entries can be imported. */
export const IMPORT_SECTIONS = ['consumes', 'exposes', 'aggregates', 'binds'] as const;
/** A section whose entries can be imported. */
export type ImportSection = (typeof IMPORT_SECTIONS)[number];

/** An entry brought in by `location`/`import` from another file. */
export interface ImportedEntry {
  /** The section the import entry stands in. */
  section: ImportSection;
  /** Where that section is in the importing document: `['capability', section]` or `[section]` (root binds). */
  at: PathSegment[];
  /** Index of the import entry in that section. */
  index: number;
  /** The file the entry comes from. */
  source: SourceDocument;
  /** Path of the imported entry inside `source`. */
  sourcePath: PathSegment[];
  /** The entry as imported, with `as` applied to its namespace. */
  entry: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** True for an import entry: a `location` (or `from`) and an `import`; a bind's own `location` is not one. */
export function isImportEntry(entry: unknown, section: ImportSection): boolean {
  if (!isObj(entry) || !('location' in entry || 'from' in entry)) return false;
  return section !== 'binds' || 'import' in entry;
}

/** Reads, parses, version-checks and validates a source file; undefined when it failed (already reported). */
export type ReadSource = (shownFile: string, absPath: string) => SourceDocument | undefined;

/** Where the sections with import entries stand in a document: every section under `capability`, and root `binds`. */
export function importHolders(root: Obj): Array<{ section: ImportSection; at: PathSegment[]; entries: unknown[] }> {
  const out: Array<{ section: ImportSection; at: PathSegment[]; entries: unknown[] }> = [];
  const capability = isObj(root.capability) ? root.capability : undefined;
  for (const section of IMPORT_SECTIONS) {
    if (capability && Array.isArray(capability[section])) out.push({ section, at: ['capability', section], entries: capability[section] as unknown[] });
  }
  if (Array.isArray(root.binds)) out.push({ section: 'binds', at: ['binds'], entries: root.binds as unknown[] });
  return out;
}

/** The section of a source file an import reads: its root list, else the one under `capability`. */
function sourceSection(source: SourceDocument, section: ImportSection): { entries: unknown[]; at: PathSegment[] } | undefined {
  const root = source.value as Obj;
  if (Array.isArray(root[section]) && (root[section] as unknown[]).length) return { entries: root[section] as unknown[], at: [section] };
  const capability = isObj(root.capability) ? root.capability : undefined;
  if (capability && Array.isArray(capability[section]) && (capability[section] as unknown[]).length) return { entries: capability[section] as unknown[], at: ['capability', section] };
  return undefined;
}

/** Resolves every import entry of `doc`; problems go to `diagnostics`, resolved entries are returned. */
export function resolveImports(doc: SourceDocument, diagnostics: Diagnostic[], read: ReadSource): ImportedEntry[] {
  const imported: ImportedEntry[] = [];
  const loaded = new Map<string, SourceDocument | undefined>();
  const report = (path: PathSegment[], code: string, message: string, extra: { expected?: string; fix?: string } = {}): void => {
    diagnostics.push({ file: doc.file, ...doc.locate(path), severity: 'error', code, message, ...extra });
  };
  for (const { section, at: sectionAt, entries } of importHolders(doc.value as Obj)) {
    entries.forEach((entry, index) => {
      if (!isImportEntry(entry, section)) return;
      const { location, import: wanted, as } = entry as { location: unknown; import: unknown; as?: unknown };
      if (typeof location !== 'string' || typeof wanted !== 'string') return; // the schema finding says what is missing
      const at = [...sectionAt, index];
      let absPath: string;
      try {
        absPath = resolveFileLocation(location, dirname(doc.absPath));
      } catch (err) {
        report([...at, 'location'], 'import-not-found', `cannot import from \`${location}\`: ${(err as Error).message}`, { fix: 'write a path relative to this file, or a `file:` URI' });
        return;
      }
      if (absPath === doc.absPath) {
        report([...at, 'location'], 'import-cycle', `\`${location}\` is this file itself; an import must name another file`, { fix: 'write the entry inline, or import it from the shared file that defines it' });
        return;
      }
      const source = loadOnce(loaded, absPath, () => readSource(doc, location, absPath, at, diagnostics, read));
      if (!source) return;
      const found = sourceSection(source, section);
      if (!found) {
        report([...at, 'location'], 'import-section-missing', `\`${location}\` has no \`${section}\` entries to import from`, { fix: `import from a file with a \`${section}\` list (at its root or under \`capability\`)` });
        return;
      }
      const ns = (e: unknown): string | undefined => (isObj(e) && !isImportEntry(e, section) && typeof e.namespace === 'string' ? e.namespace : undefined);
      const i = found.entries.findIndex((e) => ns(e) === wanted);
      if (i < 0) {
        const chained = found.entries.find((e) => isImportEntry(e, section) && isObj(e) && (e.as ?? e.import) === wanted) as Obj | undefined;
        if (chained) {
          const from = String(chained.location ?? chained.from);
          const cycle = resolveFileLocation(from, dirname(absPath)) === doc.absPath;
          report([...at, 'import'], cycle ? 'import-cycle' : 'import-not-transitive', `\`${wanted}\` in \`${location}\` is itself imported from \`${from}\`${cycle ? ', which is this file: the two files import from each other' : ''}; imports are not transitive`, { fix: cycle ? 'define the entry in one file and import it from there' : `import \`${wanted}\` from \`${from}\` directly` });
          return;
        }
        const names = found.entries.map(ns).filter((n): n is string => n !== undefined);
        const suggestion = closest(wanted, names);
        report([...at, 'import'], 'import-namespace-not-found', `namespace \`${wanted}\` is not in \`${location}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`, {
          expected: names.length ? `one of ${quoteList(names)}` : `a \`${section}\` entry with a \`namespace\``,
          ...(suggestion ? { fix: `write \`import: ${suggestion}\`` } : {}),
        });
        return;
      }
      const copy = structuredClone(found.entries[i]) as Obj;
      if (typeof as === 'string') copy.namespace = as;
      imported.push({ section, at: sectionAt, index, source, sourcePath: [...found.at, i], entry: copy });
    });
  }
  return imported;
}

function loadOnce(cache: Map<string, SourceDocument | undefined>, absPath: string, load: () => SourceDocument | undefined): SourceDocument | undefined {
  if (!cache.has(absPath)) cache.set(absPath, load());
  return cache.get(absPath);
}

/** Reads a source file; a file that cannot be read is reported at the import, not at line 1 of a missing file. */
function readSource(doc: SourceDocument, location: string, absPath: string, at: PathSegment[], diagnostics: Diagnostic[], read: ReadSource): SourceDocument | undefined {
  const shownFile = location.startsWith('file:') && !location.startsWith('file:///.') ? absPath : join(dirname(doc.file), location.replace(/^file:\/\/\/?/, ''));
  const before = diagnostics.length;
  const source = read(shownFile, absPath);
  if (!source && diagnostics[before]?.code === 'unreadable-file') {
    diagnostics.splice(before, 1, {
      file: doc.file, ...doc.locate([...at, 'location']), severity: 'error', code: 'import-not-found',
      message: `imported file \`${location}\` cannot be read (${absPath})`,
      fix: 'the location is resolved against the folder of this capability file; check the path',
    });
  }
  const failed = diagnostics.slice(before).some((d) => d.severity === 'error');
  return failed ? undefined : source;
}
