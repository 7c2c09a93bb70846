/** "Did you mean" suggestions for misspelled keys, enum values and names. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo: a case-only
 * difference, or an edit distance of at most a third of the word, rounded up (at most 3).
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === input) continue;
    const score = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.ceil(input.length / 3)));
  return bestScore <= limit ? best : undefined;
}

/** Formats a list of names for a message: `a`, `b` or `c`. */
export function quoteList(items: readonly string[], conjunction = 'or'): string {
  const q = items.map((i) => `\`${i}\``);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
