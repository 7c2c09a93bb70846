/** Waiting in tests: a plain delay and polling a condition. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `cond` every 10 ms until it holds (true) or `ms` pass (false). */
export async function eventually(cond: () => boolean, ms = 3_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(10);
  }
  return true;
}

/** Like `eventually`, but throws when `cond` does not hold within `ms`. */
export async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  if (!(await eventually(cond, ms))) throw new Error('condition not met in time');
}
