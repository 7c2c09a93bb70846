/**
 * The default mode's one rule: a finding is an error only when Capstan cannot run that part of
 * the file. The reference engine reads YAML with unknown keys ignored and never validates against
 * the schema, so every schema finding (the official form is named in its message, `expected` and
 * `fix`) becomes a warning that also says what Capstan does instead. `--strict` keeps them errors.
 * The errors that remain come from parsing, the version check and the compiler (a `call`/`ref`
 * to nothing, a path placeholder nothing can fill, a port clash, …).
 */
import type { Diagnostic } from './diagnostics.js';

/** What Capstan does with a schema finding of each kind, in the default mode. */
const CAPSTAN_DOES: Record<string, string> = {
  'unknown-key': 'Capstan ignores this key, as the reference engine does',
  'missing-key': 'Capstan runs without it',
  'bad-value': 'Capstan reads the nearest meaning (a method in any case, an unknown answer format as text, an unknown auth type fails at call time)',
  'wrong-type': 'Capstan reads what it can of the value',
  'bad-format': 'Capstan uses the value as written',
  'too-few-items': 'Capstan treats the empty list as absent',
  'bad-length': 'Capstan uses the value as written',
  'out-of-range': 'Capstan uses the value as written',
  'key-not-allowed': 'Capstan reads the keys it knows',
  'ambiguous-form': 'Capstan reads the keys it knows',
  'conflicting-keys': 'Capstan reads the keys it knows',
  'no-matching-form': 'Capstan reads the keys it knows',
  schema: 'Capstan reads what it can',
};

/** What Capstan assumes for a missing key, where that is more specific than "runs without it". */
const MISSING_DEFAULTS: Record<string, string> = {
  type: 'Capstan reads it as `string`',
  method: 'Capstan uses `GET`',
  description: 'Capstan shows none',
  label: 'Capstan shows none',
  name: 'Capstan leaves it unnamed',
  port: 'Capstan listens on a free port, printed at start-up (`--port` sets one)',
  in: 'Capstan reads it from the request body (the query for GET, HEAD and DELETE, which carry no body)',
  data: 'Capstan sends no body data',
  value: 'Capstan maps nothing for it',
};

/** The default-mode form of one schema diagnostic: a warning saying what Capstan does. */
export function relaxSchemaFinding(d: Diagnostic): Diagnostic {
  // A key Capstan reads (read-keys.ts) already says what Capstan does with it.
  if (d.code.startsWith('defacto-')) return { ...d, severity: 'warning' };
  const missing = d.code === 'missing-key' ? /`([^`]+)`/.exec(d.message)?.[1] : undefined;
  const does = (missing && MISSING_DEFAULTS[missing]) ?? CAPSTAN_DOES[d.code] ?? CAPSTAN_DOES.schema!;
  return { ...d, severity: 'warning', message: `${d.message}; ${does} (\`--strict\` makes this an error)` };
}
