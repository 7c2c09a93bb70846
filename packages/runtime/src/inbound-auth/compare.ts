/** Constant-time secret comparison: both sides are hashed first, so lengths leak nothing either. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when `given` equals `expected`, in time independent of where they differ. An empty expected secret never matches. */
export function secretEquals(given: string | undefined, expected: string): boolean {
  const ok = timingSafeEqual(digest(given ?? ''), digest(expected));
  return ok && given !== undefined && expected.length > 0;
}
