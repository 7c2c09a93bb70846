/**
 * A small evaluator for the subset of jq that the tutorial's `tests.yml` uses, so that every
 * `jq:` line of that file is asserted as written instead of being re-typed by hand.
 *
 * Supported: pipes `a | b`; paths `.`, `.key`, `.a.b`, `.[N]`, `.[]`, `.key[N]`, `.key[]`;
 * literals (strings, numbers, true, false, null); parentheses; comparisons `== != < <= > >=`
 * (jq's total order across types); the builtins `has(k)`, `type`, `length`, `not` and
 * `all(generator; condition)`. Anything else is a parse error, never a silent pass.
 *
 * Results are streams (arrays of outputs), as in jq. Runtime errors follow jq (for example
 * `has("x")` on an array, `.[]` on null, `.key` on a number) and are thrown.
 */

type Stream = unknown[];
type Filter = (input: unknown) => Stream;

type Token =
  | { kind: 'dot' | 'pipe' | 'semi' | 'lparen' | 'rparen' | 'lbrack' | 'rbrack' }
  | { kind: 'op'; op: '==' | '!=' | '<' | '<=' | '>' | '>=' }
  | { kind: 'ident'; name: string }
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number };

/** Thrown for syntax outside the supported subset. */
export class JqSyntaxError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ kind: 'op', op: two });
      i += 2;
      continue;
    }
    if (c === '<' || c === '>') {
      out.push({ kind: 'op', op: c });
      i++;
      continue;
    }
    const single: Record<string, Token['kind']> = { '.': 'dot', '|': 'pipe', ';': 'semi', '(': 'lparen', ')': 'rparen', '[': 'lbrack', ']': 'rbrack' };
    if (single[c]) {
      out.push({ kind: single[c] } as Token);
      i++;
      continue;
    }
    if (c === '"') {
      // JSON string syntax (jq string interpolation `\(…)` is not supported).
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new JqSyntaxError(`unterminated string in \`${src}\``);
      const raw = src.slice(i, j + 1);
      if (raw.includes('\\(')) throw new JqSyntaxError(`string interpolation is not supported: \`${src}\``);
      out.push({ kind: 'str', value: JSON.parse(raw) as string });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (ident) {
      out.push({ kind: 'ident', name: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw new JqSyntaxError(`unsupported character \`${c}\` at ${i} in \`${src}\``);
  }
  return out;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'object');
const isObject = (v: unknown): v is Record<string, unknown> => typeOf(v) === 'object';
/** jq truthiness: only false and null are false. */
export const truthy = (v: unknown): boolean => v !== false && v !== null && v !== undefined;

/** jq's ordering: null < false < true < numbers < strings < arrays < objects. */
function compare(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v === null ? 0 : v === false ? 1 : v === true ? 2 : ['number', 'string', 'array', 'object'].indexOf(typeOf(v)) + 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    const byKeys = compare(ka, kb);
    if (byKeys) return byKeys;
    for (const k of ka) {
      const c = compare(a[k], b[k]);
      if (c) return c;
    }
    return 0;
  }
  return 0; // null/null, false/false, true/true
}

const show = (v: unknown): string => `${typeOf(v)} (${JSON.stringify(v)?.slice(0, 40)})`;

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly src: string) {}

  parse(): Filter {
    const f = this.pipe();
    if (this.pos < this.tokens.length) this.fail('unexpected trailing input');
    return f;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private take(kind: Token['kind']): Token {
    const t = this.tokens[this.pos];
    if (!t || t.kind !== kind) this.fail(`expected ${kind}`);
    this.pos++;
    return t!;
  }

  private fail(why: string): never {
    throw new JqSyntaxError(`${why} at token ${this.pos} of \`${this.src}\``);
  }

  private pipe(): Filter {
    let left = this.comparison();
    while (this.peek()?.kind === 'pipe') {
      this.pos++;
      const l = left;
      const r = this.comparison();
      left = (input) => l(input).flatMap((v) => r(v));
    }
    return left;
  }

  private comparison(): Filter {
    const left = this.postfix();
    const t = this.peek();
    if (t?.kind !== 'op') return left;
    this.pos++;
    const right = this.postfix();
    const test: Record<string, (c: number) => boolean> = { '==': (c) => c === 0, '!=': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0 };
    const ok = test[t.op]!;
    return (input) => right(input).flatMap((b) => left(input).map((a) => ok(compare(a, b))));
  }

  private postfix(): Filter {
    let f = this.primary();
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'dot' && this.tokens[this.pos + 1]?.kind === 'ident') {
        this.pos++;
        f = chain(f, field((this.take('ident') as { name: string }).name));
      } else if (t?.kind === 'lbrack') {
        f = chain(f, this.bracket());
      } else {
        return f;
      }
    }
  }

  private bracket(): Filter {
    this.take('lbrack');
    if (this.peek()?.kind === 'rbrack') {
      this.pos++;
      return iterate;
    }
    const n = this.take('num') as { value: number };
    this.take('rbrack');
    return index(n.value);
  }

  private primary(): Filter {
    const t = this.peek();
    if (!t) this.fail('unexpected end');
    if (t.kind === 'dot') {
      this.pos++;
      const next = this.peek();
      if (next?.kind === 'ident') {
        this.pos++;
        return field(next.name);
      }
      return (input) => [input];
    }
    if (t.kind === 'str' || t.kind === 'num') {
      this.pos++;
      const v = t.value;
      return () => [v];
    }
    if (t.kind === 'lparen') {
      this.pos++;
      const inner = this.pipe();
      this.take('rparen');
      return inner;
    }
    if (t.kind === 'ident') {
      this.pos++;
      return this.builtin(t.name);
    }
    return this.fail(`unexpected ${t.kind}`);
  }

  private args(): Filter[] {
    this.take('lparen');
    const out = [this.pipe()];
    while (this.peek()?.kind === 'semi') {
      this.pos++;
      out.push(this.pipe());
    }
    this.take('rparen');
    return out;
  }

  private builtin(name: string): Filter {
    switch (name) {
      case 'true':
        return () => [true];
      case 'false':
        return () => [false];
      case 'null':
        return () => [null];
      case 'type':
        return (input) => [typeOf(input)];
      case 'not':
        return (input) => [!truthy(input)];
      case 'length':
        return (input) => {
          if (input === null) return [0];
          if (typeof input === 'number') return [Math.abs(input)];
          if (typeof input === 'string') return [[...input].length];
          if (Array.isArray(input)) return [input.length];
          if (isObject(input)) return [Object.keys(input).length];
          throw new Error(`jq: ${show(input)} has no length`);
        };
      case 'has': {
        const args = this.args();
        if (args.length !== 1) this.fail('has/1 takes one argument');
        const [keyF] = args;
        return (input) =>
          keyF!(input).map((k) => {
            if (isObject(input) && typeof k === 'string') return Object.prototype.hasOwnProperty.call(input, k);
            if (Array.isArray(input) && typeof k === 'number') return k >= 0 && k < input.length;
            throw new Error(`jq: cannot check whether ${show(input)} has a ${typeOf(k)} key`);
          });
      }
      case 'all': {
        const args = this.args();
        if (args.length !== 2) this.fail('only all(generator; condition) is supported');
        const [gen, cond] = args;
        return (input) => [gen!(input).every((v) => cond!(v).every(truthy))];
      }
      default:
        return this.fail(`unsupported builtin \`${name}\``);
    }
  }
}

function chain(a: Filter, b: Filter): Filter {
  return (input) => a(input).flatMap((v) => b(v));
}

function field(name: string): Filter {
  return (input) => {
    if (input === null || input === undefined) return [null];
    if (isObject(input)) return [Object.prototype.hasOwnProperty.call(input, name) ? input[name] : null];
    throw new Error(`jq: cannot index ${show(input)} with "${name}"`);
  };
}

function index(n: number): Filter {
  return (input) => {
    if (input === null || input === undefined) return [null];
    if (Array.isArray(input)) {
      const i = n < 0 ? input.length + n : n;
      return [i >= 0 && i < input.length ? input[i] : null];
    }
    throw new Error(`jq: cannot index ${show(input)} with number`);
  };
}

const iterate: Filter = (input) => {
  if (Array.isArray(input)) return input;
  if (isObject(input)) return Object.values(input);
  throw new Error(`jq: cannot iterate over ${show(input)}`);
};

/** Compiles a jq program of the supported subset; throws JqSyntaxError otherwise. */
export function compileJq(program: string): (input: unknown) => unknown[] {
  const f = new Parser(tokenize(program), program).parse();
  return (input) => f(input);
}

/**
 * The check as the suite applies it: the program must produce at least one output and every
 * output must be truthy. (`jq -e` looks only at the last output; requiring all of them is
 * stricter, which matters for generators such as `.tools[] | has("name")`.)
 */
export function jqHolds(program: string, input: unknown): { ok: boolean; outputs: unknown[] } {
  const outputs = compileJq(program)(input);
  return { ok: outputs.length > 0 && outputs.every(truthy), outputs };
}
