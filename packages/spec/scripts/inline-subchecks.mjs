/**
 * Rewrites @exodus/schemasafe's generated check so that each subschema check (a branch of a
 * `oneOf`/`anyOf`, an `if`, a `not`) is a labelled block instead of an arrow function called on
 * the spot: `const subN = (() => { … return false … return true })()` becomes
 * `let subN = true; subN: { … { subN = false; break subN } … }`. The answers are the same; what
 * changes is the cost of the first checks of a process: V8 made and called a closure per branch
 * and value, and optimised each of the 115 arrow functions on its own, so the first check of the
 * 1,000-operation bench file took about 30 ms of CPU and the steady one 2.3 ms (15 and 1.8 ms
 * inlined). Any line this does not expect inside a subschema check stops the generation.
 */
export function inlineSubchecks(code) {
  const out = [];
  const open = [];
  for (const line of code.split('\n')) {
    const start = /^(\s*)const (sub\d+) = \(\(\) => \{$/.exec(line);
    if (start) {
      const [, indent, name] = start;
      open.push(name);
      out.push(`${indent}let ${name} = true`, `${indent}${name}: {`);
      continue;
    }
    if (open.length === 0) {
      out.push(line);
      continue;
    }
    const name = open[open.length - 1];
    if (/^\s*\}\)\(\)$/.test(line)) {
      open.pop();
      // The body's closing `return true` is where the block ends anyway.
      if (out[out.length - 1].trim() === `break ${name}`) out.pop();
      out.push(line.replace('})()', '}'));
      continue;
    }
    if (/=>|function|\breturn\b(?! (true|false)$)/.test(line)) throw new Error(`unexpected line in a generated subschema check: ${line.trim()}`);
    out.push(line.replace(/return false$/, `{ ${name} = false; break ${name} }`).replace(/return true$/, `break ${name}`));
  }
  if (open.length) throw new Error(`unclosed generated subschema check ${open.join(', ')}`);
  return out.join('\n');
}
