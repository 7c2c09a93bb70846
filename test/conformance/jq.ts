/**
 * jq for the tutorial suites: every `jq:` line of a `tests.yml` runs in real jq — `jq-web`, jq
 * compiled to WebAssembly and shipped inside the npm package (no binary download, works offline
 * on Node 20) — so each check is asserted exactly as the tutorial's CI writes it.
 *
 * Results are streams (one value per jq output). Syntax errors throw `JqSyntaxError`; runtime
 * errors (`has("x")` on an array, `.[]` on null…) throw an `Error` with jq's own message.
 */
import { createRequire } from 'node:module';

/** The part of jq-web used here (it ships no types): `raw` runs a program on JSON text. */
interface JqWeb {
  raw(json: string, program: string, flags?: string[]): string;
}

// jq-web is CommonJS and resolves to its instance once the WebAssembly module is loaded.
const jq = (await createRequire(import.meta.url)('jq-web')) as JqWeb;

/** Thrown when jq cannot compile a program. */
export class JqSyntaxError extends Error {}

/** jq's truthiness: everything but `false` and `null`. */
export const truthy = (v: unknown): boolean => v !== false && v !== null && v !== undefined;

/** Runs `program` on `input`: every output, in order. */
function run(program: string, input: unknown): unknown[] {
  let text: string;
  try {
    text = jq.raw(JSON.stringify(input ?? null), program, ['-c']);
  } catch (err) {
    const message = String((err as Error).message ?? err).replace(/^Non-zero exit code: \d+\n/, '').trim();
    throw / compile error/.test(message) ? new JqSyntaxError(message) : new Error(message);
  }
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

/** Compiles `program` (throws `JqSyntaxError` when jq cannot) and gives its evaluator. */
export function compileJq(program: string): (input: unknown) => unknown[] {
  try {
    run(program, null);
  } catch (err) {
    if (err instanceof JqSyntaxError) throw err;
    // A runtime error on `null` says nothing about the program's syntax.
  }
  return (input) => run(program, input);
}

/**
 * The check as the suites apply it: the program must produce at least one output and every
 * output must be truthy. (`jq -e` looks only at the last output; requiring all of them is
 * stricter, which matters for generators such as `.tools[] | has("name")`.)
 */
export function jqHolds(program: string, input: unknown): { ok: boolean; outputs: unknown[] } {
  const outputs = run(program, input);
  return { ok: outputs.length > 0 && outputs.every(truthy), outputs };
}
