/**
 * Keys the official alpha2 schema does not declare where they stand, but Capstan reads there.
 * The schema reports them as unknown keys; saying "Capstan ignores this key" would be false, so
 * each becomes a de-facto finding of its own (`defacto-<code>`) that says what Capstan does with
 * it and names the official form (`--strict` keeps it an error). Keys Capstan really ignores keep
 * the unknown-key message.
 */
import type { Diagnostic } from './diagnostics.js';
import type { PathSegment } from './source.js';

/** Where a key stands: the path of the object that holds it, and a reader of the document. */
type Place = (holder: readonly PathSegment[], at: (path: readonly PathSegment[]) => unknown) => boolean;

/** One key Capstan reads at one kind of place. */
interface ReadKey {
  code: string;
  key: string;
  where: Place;
  /** What the place is, for the message. */
  place: string;
  /** What Capstan does with the key. */
  does: string;
  /** The official form. */
  official: string;
  /** The required key this one stands for: its missing-key finding is part of this one. */
  standsFor?: string;
}

const names = (path: readonly PathSegment[]) => path.filter((s): s is string => typeof s === 'string');
/** An output of an exposed operation, tool or function, at any depth (`properties`, `items`). */
const exposedOutput: Place = (p) => p[0] === 'capability' && (p[1] === 'exposes' || p[1] === 'aggregates') && names(p).includes('outputParameters');
/** A top-level entry of an exposed `outputParameters` list. */
const topExposedOutput: Place = (p, at) => exposedOutput(p, at) && p.at(-2) === 'outputParameters';
/** The operation, tool or function whose outputs hold a path. */
const unitOf = (p: readonly PathSegment[], at: (path: readonly PathSegment[]) => unknown): Record<string, unknown> => {
  const unit = at(p.slice(0, p.indexOf('outputParameters')));
  return unit && typeof unit === 'object' ? (unit as Record<string, unknown>) : {};
};
/** An exposed output that the runtime maps (the unit calls an operation, or runs steps). */
const mappedExposedOutput: Place = (p, at) => exposedOutput(p, at) && ('call' in unitOf(p, at) || 'steps' in unitOf(p, at));
/** An exposed output of a unit that runs steps. */
const stepsOutput: Place = (p, at) => exposedOutput(p, at) && Array.isArray(unitOf(p, at).steps);
/** An output of a consumed operation. */
const consumedOutput: Place = (p) => names(p).includes('consumes') && p.at(-2) === 'outputParameters';
/** A consumed API entry, a consumed operation, an MCP adapter, a REST operation. */
const consumedApi: Place = (p) => p.at(-2) === 'consumes';
const consumedOperation: Place = (p) => names(p).includes('consumes') && p.at(-2) === 'operations';
const mcpAdapter: Place = (p, at) => p.length === 3 && p[1] === 'exposes' && (at(p) as { type?: unknown } | undefined)?.type === 'mcp';
const restOperation: Place = (p) => p[1] === 'exposes' && p.at(-2) === 'operations';

const BETA5 = 'it is official in `ikanos: 1.0.0-beta5` documents (`capstan upgrade` converts this file); alpha2 has no such key';

/** Every key Capstan reads outside the official schema. */
export const READ_KEYS: readonly ReadKey[] = [
  {
    code: 'output-name', key: 'name', where: topExposedOutput, place: 'an exposed output',
    does: 'with several outputs the answer is an object keyed by output name (the reference engine reads it too)',
    official: 'one `type: object` output whose `properties` are keyed by name',
  },
  {
    code: 'output-description', key: 'description', where: exposedOutput, place: 'an exposed output',
    does: 'it becomes the description of that field in the MCP tool\'s output schema',
    official: 'none: describe the answer in the operation\'s or tool\'s `description`',
  },
  {
    code: 'output-mapping', key: 'mapping', where: stepsOutput, place: 'an orchestrated output',
    does: 'without step `mappings`, it maps this output from the last step\'s answer (JSONPath)',
    official: 'a `mappings` entry (`targetName`, `value`) that fills the named output',
  },
  {
    code: 'output-values', key: 'values', where: mappedExposedOutput, place: 'an exposed output',
    does: 'it maps every entry of the object found at `mapping` with this output shape',
    official: 'none: declare the entries as `properties`',
  },
  {
    code: 'output-max-length', key: 'maxLength', where: exposedOutput, place: 'an exposed output',
    does: 'string values are cut to this many characters',
    official: 'none',
  },
  {
    code: 'consumed-output-mapping', key: 'mapping', where: consumedOutput, place: 'a consumed output',
    does: 'it is read as `value`, the JSONPath of this output (so `value` is not missing)',
    official: '`value: <JSONPath>`',
    standsFor: 'value',
  },
  { code: 'beta5-key', key: 'tunnel', where: consumedApi, place: 'a consumed API', does: 'requests to this API go through the declared tunnel', official: BETA5 },
  { code: 'beta5-key', key: 'maxBinarySize', where: (p, at) => consumedOperation(p, at) || mcpAdapter(p, at), place: 'this object', does: 'binary answers larger than this are refused', official: BETA5 },
  { code: 'beta5-key', key: 'outputMediaType', where: consumedOperation, place: 'a consumed operation', does: 'it is the media type of the binary answer', official: BETA5 },
  { code: 'beta5-key', key: 'ttlMs', where: mcpAdapter, place: 'an MCP adapter', does: 'MCP list results carry this caching hint', official: BETA5 },
  { code: 'beta5-key', key: 'cacheScope', where: mcpAdapter, place: 'an MCP adapter', does: 'MCP list results carry this caching hint', official: BETA5 },
  { code: 'beta5-key', key: 'responseBinary', where: restOperation, place: 'a REST operation', does: 'the operation answers binary content of this media type', official: BETA5 },
  { code: 'beta5-key', key: 'responses', where: restOperation, place: 'a REST operation', does: 'a 2xx response marked `binary: true` makes the operation answer binary content of that media type', official: BETA5 },
];

/** The codes of those findings (`defacto-<code>`): unknown keys to the official schema. */
export const READ_KEY_CODES: ReadonlySet<string> = new Set(READ_KEYS.map((r) => `defacto-${r.code}`));

/** Keys real files put on skills and skill tools, which Capstan (like the official schema) does not read there. */
const SKILL_KEYS = new Set(['call', 'with', 'hints', 'inputParameters', 'outputParameters']);
const inSkill = (p: readonly PathSegment[]) => p.at(-2) === 'skills' || (p.at(-2) === 'tools' && p.at(-4) === 'skills');

/** An unknown key on a skill or skill tool: still ignored, with where the construct belongs. */
function skillKey(d: Diagnostic, key: string): Diagnostic {
  return {
    ...d,
    message: `${d.message}; a skill tool does not call operations itself: it points at a REST operation or MCP tool that does (\`from: {sourceNamespace, action}\`), or at an instruction file (\`instruction\`)`,
    fix: `move \`${key}\` (with the call's inputs, outputs and hints) to a tool of an MCP adapter, and point the skill tool at it with \`from\``,
  };
}

/**
 * The schema findings of a document with each unknown key Capstan reads where it stands turned
 * into its de-facto form (same place and severity, its own code and message), and the missing
 * key it stands for folded into it; every other finding unchanged.
 */
export function describeReadKeys(findings: readonly Diagnostic[], document: unknown): Diagnostic[] {
  const at = (path: readonly PathSegment[]): unknown => path.reduce<unknown>((node, s) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[s as string] : undefined), document);
  const folded = new Set<string>();
  const out = findings.map((d): Diagnostic => {
    if (d.code !== 'unknown-key' || !d.path?.length) return d;
    const key = d.path.at(-1);
    const holder = d.path.slice(0, -1);
    const read = READ_KEYS.find((r) => r.key === key && r.where(holder, at));
    if (!read) return typeof key === 'string' && SKILL_KEYS.has(key) && inSkill(holder) ? skillKey(d, key) : d;
    if (read.standsFor) folded.add(JSON.stringify([...holder, read.standsFor]));
    const { expected: _expected, ...rest } = d;
    return {
      ...rest,
      code: `defacto-${read.code}`,
      message: `\`${read.key}\` on ${read.place} is a de-facto form (not in the official alpha2 schema); Capstan reads it: ${read.does}`,
      fix: `keep it for Capstan; the official form: ${read.official}`,
    };
  });
  const missingKey = (d: Diagnostic) => /^missing required key `([^`]+)`/.exec(d.message)?.[1];
  return out.filter((d) => !(d.code === 'missing-key' && d.path && folded.has(JSON.stringify([...d.path, missingKey(d)]))));
}
