/**
 * The entries of one importable section as the compiler sees them: an inline entry where the
 * document declares it, an imported entry where its source file declares it (so findings point
 * at the file that holds the text). An import that found nothing was already reported by the
 * loader; its namespace is remembered so that references to it are not reported again.
 */
import type { ImportSection } from '../imports.js';
import type { PathSegment } from '../source.js';
import { at, child, type At, type CompileContext } from './context.js';
import { sections } from './document.js';

/** One entry to compile: its content, where it is written, and where its namespace is named. */
export interface SectionEntry<T> {
  entry: T;
  where: At;
  /** Where the namespace is named: the `as`/`import` of an import entry, else the entry's `namespace`. */
  namespaceAt: At;
  /** Index of the entry in the importing document's section. */
  index: number;
}

/** The entries of `value` (the section at `base` in the capability document), imports resolved. */
export function sectionEntries<T extends object>(ctx: CompileContext, section: ImportSection, value: unknown, base: PathSegment[]): Array<SectionEntry<T>> {
  const out: Array<SectionEntry<T>> = [];
  const key = base.join('\u0000');
  for (const [entry, i] of sections<T & { location?: unknown; from?: unknown; import?: unknown; as?: unknown }>(value)) {
    const imported = ctx.loaded.imports.find((imp) => imp.section === section && imp.at.join('\u0000') === key && imp.index === i);
    if (imported) {
      const where = at(imported.source, imported.sourcePath);
      out.push({ entry: imported.entry as T, where, namespaceAt: at(ctx.doc, [...base, i, 'as' in entry ? 'as' : 'import']), index: i });
    } else if (('location' in entry || 'from' in entry) && (section !== 'binds' || 'import' in entry)) {
      ctx.failedImports.add(String(entry.as ?? entry.import));
    } else {
      const where = at(ctx.doc, [...base, i]);
      out.push({ entry, where, namespaceAt: child(where, 'namespace'), index: i });
    }
  }
  return out;
}
