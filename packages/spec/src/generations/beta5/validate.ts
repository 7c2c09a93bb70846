/**
 * Validation of beta5 documents, in their own shape: findings name the author's keys and paths.
 *
 * Same leniency policy as alpha2: Capstan's beta5 schema admits the de-facto forms (marked
 * `x-capstan-defacto`), and what it rejects is an error; what only the official letter rejects
 * (the schema with the marked allowances removed) is a warning, which `--strict` makes an error.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { describeFindings } from '../../messages.js';
import { schemaPath, schemaSource, strictSchema, type SchemaObject } from '../../schema.js';
import type { PathSegment, SourceDocument } from '../../source.js';
import { SchemaValidator, type SchemaFinding } from '../../validate.js';
import { RENAMED_KEYS } from '../shape.js';

/** Where Capstan's beta5 schema lives in the repository. */
export const BETA5_SCHEMA_PATH = schemaPath('beta5');

let validators: { lenient: SchemaValidator; strict: SchemaValidator } | undefined;

/** Capstan's published beta5 schema (lenient: admits the marked de-facto forms). */
export function beta5Schema(): SchemaObject {
  return beta5Validators().lenient.schema;
}

function beta5Validators(): { lenient: SchemaValidator; strict: SchemaValidator } {
  if (!validators) {
    const lenient = schemaSource('beta5');
    validators = { lenient: new SchemaValidator(lenient), strict: new SchemaValidator(strictSchema(lenient)) };
  }
  return validators;
}

/** Schema findings for a beta5 document: errors for what Capstan cannot take, warnings for non-official forms. */
export function validateBeta5(doc: SourceDocument): Diagnostic[] {
  const { lenient, strict } = beta5Validators();
  const errors = lenient.validate(doc.value);
  const seen = new Set(errors.map(findingKey));
  const unofficial = strict.validate(doc.value).filter((f) => !seen.has(findingKey(f)));
  const warnings = describeFindings(unofficial, doc, strict.schema).map((d): Diagnostic => ({
    ...d,
    severity: 'warning',
    code: `unofficial-${d.code}`,
    message: `${d.message} (Capstan accepts this form; the official 1.0.0-beta5 schema does not)`,
  }));
  return [...describeFindings(errors, doc, lenient.schema).map(alpha2Hint), ...warnings, ...versionFeatures(doc)];
}

const ALPHA2_SPELLINGS = new Map<string, string>(Object.values(RENAMED_KEYS).map(([alpha2, beta5]) => [alpha2, beta5]));

/** An unknown key that is an alpha2 spelling gets the beta5 spelling as its fix. */
function alpha2Hint(d: Diagnostic): Diagnostic {
  const key = d.code === 'unknown-key' ? /^unknown key `([^`]+)`/.exec(d.message)?.[1] : undefined;
  if (key === 'name') {
    return { ...d, message: `${d.message} — in 1.0.0-beta documents an entry is named by its map key`, fix: 'remove `name:` and write the name as the key of this entry (`capstan upgrade` does it for a whole file)' };
  }
  const beta5 = key === undefined ? undefined : ALPHA2_SPELLINGS.get(key);
  if (!beta5 || d.message.includes('did you mean')) return d;
  const where = d.message.slice(`unknown key \`${key}\``.length);
  return { ...d, message: `unknown key \`${key}\` — the 1.0.0-beta spelling is \`${beta5}\`${where}`, fix: `rename \`${key}\` to \`${beta5}\`` };
}

const findingKey = (f: SchemaFinding): string => `${f.path.join('\u0000')}|${f.keyword}`;

/** Keys that arrived in 1.0.0-beta4: a file declaring an earlier beta should not use them. */
function versionFeatures(doc: SourceDocument): Diagnostic[] {
  const root = doc.value as Record<string, unknown>;
  const version = String(root.ikanos);
  const beta = /^1\.0\.0-beta(\d+)$/.exec(version);
  if (!beta || Number(beta[1]) >= 4) return [];
  const found: PathSegment[][] = [];
  const info = root.info as Record<string, unknown> | undefined;
  if (info && typeof info === 'object' && 'version' in info) found.push(['info', 'version']);
  const adapters: Array<[unknown, PathSegment[]]> = [[root.exposes, ['exposes']], [(root.capability as Record<string, unknown> | undefined)?.exposes, ['capability', 'exposes']]];
  for (const [list, base] of adapters) {
    if (!Array.isArray(list)) continue;
    list.forEach((a, i) => {
      if (!a || typeof a !== 'object') return;
      for (const key of ['ttlMs', 'cacheScope']) if (key in a) found.push([...base, i, key]);
    });
  }
  return found.map((path) => ({
    file: doc.file, ...doc.locate(path, 'key'), severity: 'warning', code: 'version-feature',
    message: `\`${String(path[path.length - 1])}\` arrived in 1.0.0-beta4; this file declares \`ikanos: ${version}\``,
    fix: 'write `ikanos: 1.0.0-beta5`, or remove the key',
  }));
}
