/**
 * Loader: a capability file on disk → parsed, version-checked, schema-validated documents (the
 * file itself and every consumes file it imports), with positioned diagnostics for each problem.
 */
import { resolve } from 'node:path';
import { detectDefactoForms } from './defacto.js';
import { detectExtensions } from './extensions.js';
import { loadBeta5 } from './generations/beta5/front-end.js';
import { declaredGeneration, GENERATIONS, generationOfVersion, speakGeneration, type Generation } from './generations/index.js';
import { resolveImports, type ImportedEntry } from './imports.js';
import { resolveFileLocation } from './locations.js';
import { promoteWarnings, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { relaxSchemaFinding } from './leniency.js';
import { describeReadKeys } from './read-keys.js';
import { describeFindings } from './messages.js';
import { capstanSchema, readSchemaSource } from './schema.js';
import { precompiledCheck } from './precompiled.js';
import { parseSource, type SourceDocument } from './source.js';
import { quoteList } from './suggest.js';
import { readTextFile } from './read-text.js';
import { SchemaValidator } from './validate.js';

/** The `naftiko` versions Capstan runs (alpha3 has the alpha2 shape); `ikanos` beta documents: see `GENERATIONS`. */
export const SUPPORTED_VERSIONS = ['1.0.0-alpha2', '1.0.0-alpha3'] as const;

/** Options for loading a capability. */
export interface LoadOptions {
  /**
   * The official schema's letter: every deviation is an error. Without it, a schema finding is a
   * warning (the reference engine runs such files); only what Capstan cannot run is an error.
   */
  strict?: boolean;
  /** The file's text as an editor holds it, used instead of reading the file (imports are still read from disk). */
  text?: string;
}

/** An entry brought in by an import (the name predates imports of sections other than consumes). */
export type ImportedConsumes = ImportedEntry;

/** A loaded capability file: its document, its imports and what was found wrong. */
export interface LoadedSpec {
  file: string;
  /** Absent when the file could not be read or parsed. */
  document?: SourceDocument;
  /** `capability` for a runnable document, `consumes` for a shared consumes file. */
  kind?: 'capability' | 'consumes';
  /** The generation the file is written in; `document` is always in the alpha2 model. */
  generation?: Generation;
  /** Entries brought in by imports, in every section that takes them. */
  imports: ImportedEntry[];
  diagnostics: Diagnostic[];
  /** Source text by file, for rendering diagnostics. */
  sources: Map<string, string>;
}

let sharedValidator: SchemaValidator | undefined;
function validator(): SchemaValidator {
  if (!sharedValidator) {
    // The parsed schema is compared with the one the precompiled check was made from, then let go:
    // Ajv reads it again only for a document that check rejects (kept, it is 0.5 MB of objects).
    const check = precompiledCheck(readSchemaSource('alpha2'));
    sharedValidator = check ? new SchemaValidator(capstanSchema, check) : new SchemaValidator(capstanSchema());
  }
  return sharedValidator;
}

/** Loads and validates one file. Never throws for problems in the file; they become diagnostics. */
export function loadSpec(file: string, options: LoadOptions = {}): LoadedSpec {
  const result: LoadedSpec = { file, imports: [], diagnostics: [], sources: new Map() };
  const strict = options.strict === true;
  const checked = readAndCheck(file, resolve(file), result, strict, options.text);
  if (checked) {
    result.document = checked;
    const root = checked.value as Record<string, unknown>;
    result.kind = 'capability' in root ? 'capability' : 'consumes';
    result.generation = generationOfVersion(root.naftiko);
    const before = result.diagnostics.length;
    result.imports = resolveImports(checked, result.diagnostics, (shown, abs) => readAndCheck(shown, abs, result, strict));
    result.diagnostics.splice(before, Infinity, ...speakGeneration(result.generation, result.diagnostics.slice(before)));
  }
  if (options.strict && result.document) result.diagnostics.push(...detectExtensions(result.document));
  if (options.strict) result.diagnostics = promoteWarnings(result.diagnostics);
  sortDiagnostics(result.diagnostics);
  return result;
}

/** Reads, parses, version-checks and validates one file; its diagnostics go into `result`. */
function readAndCheck(file: string, absPath: string, result: LoadedSpec, strict: boolean, given?: string): SourceDocument | undefined {
  let text: string;
  try {
    text = given ?? readTextFile(absPath);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    result.diagnostics.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'unreadable-file', message: `cannot read the file: ${reason}` });
    return undefined;
  }
  result.sources.set(file, text);
  const parsed = parseSource(file, absPath, text);
  result.diagnostics.push(...parsed.diagnostics);
  const doc = parsed.document;
  if (!doc) return undefined;
  const versionProblem = checkVersion(doc);
  if (versionProblem) {
    result.diagnostics.push(versionProblem);
    return undefined;
  }
  if (declaredGeneration(doc.value) === 'beta5') {
    const beta5 = loadBeta5(doc);
    result.diagnostics.push(...beta5.diagnostics);
    return beta5.document;
  }
  const v = validator();
  const found = v.validate(doc.value);
  // A valid document needs no schema objects to describe nothing (see `validator()`).
  const findings = found.length ? describeReadKeys(describeFindings(found, doc, v.schema), doc.value) : [];
  result.diagnostics.push(...(strict ? findings : findings.map(relaxSchemaFinding)));
  result.diagnostics.push(...detectDefactoForms(doc));
  return doc;
}

function checkVersion(doc: SourceDocument): Diagnostic | undefined {
  const root = doc.value as Record<string, unknown>;
  if (declaredGeneration(root) === 'beta5') return checkBeta5Version(doc, root.ikanos);
  const supported = quoteList([...SUPPORTED_VERSIONS]);
  if (!('naftiko' in root)) {
    const legacy = !('capability' in root) && !('consumes' in root);
    return {
      file: doc.file, line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error',
      code: legacy ? 'unsupported-version' : 'missing-key',
      message: legacy
        ? 'unsupported spec version: this is not a Naftiko 1.0.0 capability document (no `naftiko` version and no `capability` block)'
        : 'missing required key `naftiko` (the spec version)',
      expected: `\`naftiko: 1.0.0-alpha2\` as the first line; Capstan runs ${supported}`,
      fix: legacy ? 'migrate the file to the 1.0.0-alpha2 shape (`naftiko`, `info`, `capability` with `consumes` and `exposes`)' : 'add `naftiko: 1.0.0-alpha2` as the first line',
    };
  }
  const version = root.naftiko;
  if (typeof version === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(version)) return undefined;
  const shown = typeof version === 'string' ? version : JSON.stringify(version);
  return {
    file: doc.file, ...doc.locate(['naftiko']), severity: 'error', code: 'unsupported-version',
    message: `unsupported spec version \`${shown}\`; Capstan runs ${supported}`,
    expected: supported,
    fix: typeof version === 'string' && /^1\.0\.0-alpha[23]$/.test(version.trim())
      ? `write \`naftiko: ${version.trim()}\``
      : 'migrate the file to the 1.0.0-alpha2 shape and set `naftiko: 1.0.0-alpha2`',
  };
}

function checkBeta5Version(doc: SourceDocument, version: unknown): Diagnostic | undefined {
  const { versions } = GENERATIONS.beta5;
  if (generationOfVersion(version) === 'beta5') return undefined;
  const shown = typeof version === 'string' ? version : JSON.stringify(version);
  return {
    file: doc.file, ...doc.locate(['ikanos']), severity: 'error', code: 'unsupported-version',
    message: `unsupported spec version \`ikanos: ${shown}\`; Capstan runs \`ikanos\` ${quoteList([...versions])} and \`naftiko\` ${quoteList([...SUPPORTED_VERSIONS])}`,
    expected: quoteList([...versions]),
    fix: 'write `ikanos: 1.0.0-beta5`',
  };
}

/** Turns an import `location` into a file path: a relative path or `file:` URI is relative to the importing file's folder. */
export const importPath = resolveFileLocation;
