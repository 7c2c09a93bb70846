/** Names real files spell two ways (`{userId}` upstream, `{userid}` or `{user-id}` exposed). */

/** A name with case and the `-`/`_` separators ignored. */
const loose = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

/** The first candidate that is `name` spelled with other case or separators. */
export function findLoosely(candidates: Iterable<string>, name: string): string | undefined {
  const want = loose(name);
  for (const c of candidates) if (loose(c) === want) return c;
  return undefined;
}
