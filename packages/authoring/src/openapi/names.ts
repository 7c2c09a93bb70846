/** Identifiers for imported capabilities: kebab-case names, unique, within client limits. */

/** `listActions`, `list_actions`, `GET /a/{b}` → `list-actions`, `get-a-b`. */
export function kebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** `UPPER_SNAKE` for bind variable names. */
export function upperSnake(text: string): string {
  const s = kebab(text).replace(/-/g, '_').toUpperCase();
  return /^[A-Z]/.test(s) ? s : `API_${s}`;
}

/**
 * Hands out names that are unique and at most `max` characters: a clash or an overlong name
 * is cut and given a numeric suffix.
 */
export class NameRegistry {
  private readonly used = new Set<string>();
  constructor(private readonly max = 64) {}

  take(wanted: string, fallback: string): string {
    const base = (kebab(wanted) || kebab(fallback) || 'op').slice(0, this.max).replace(/-+$/, '');
    let name = base;
    for (let i = 2; this.used.has(name); i++) {
      const suffix = `-${i}`;
      name = `${base.slice(0, this.max - suffix.length).replace(/-+$/, '')}${suffix}`;
    }
    this.used.add(name);
    return name;
  }
}
