/** @capstan/spec: load, validate and compile Naftiko capability documents (no runtime library). */
export * from './diagnostics.js';
export * from './graph.js';
export type { ConsumedAuth, CredentialPairs, OAuth1Method } from './consumed-auth.js';
export * from './resilience-policy.js';
export { loadSpec, importPath, SUPPORTED_VERSIONS, type LoadOptions, type LoadedSpec, type ImportedConsumes } from './loader.js';
export { IMPORT_SECTIONS, type ImportedEntry, type ImportSection } from './imports.js';
export { compileSpec, type CompileOptions, type CompileResult } from './compiler/index.js';
export { checkSpec, type CheckResult } from './check.js';
export { addFormats, capstanSchema, strictSchema, SCHEMA_PATH, DEFACTO_KEYWORD, EXTENSION_KEYWORD, CAPSTAN_ANNOTATIONS, addCapstanVocabulary, schemaPath, schemaSource, type SchemaObject } from './schema.js';
export { publishedSchema, schemaId, schemaModeline, MARKDOWN_DESCRIPTION, type SchemaFlavour } from './published-schema.js';
export { SchemaValidator, type SchemaFinding } from './validate.js';
export { DEFACTO_FORMS, type DefactoCode } from './defacto.js';
export { parseSource, type SourceDocument, type PathSegment } from './source.js';
export { pathPlaceholders, templateVariables } from './templates.js';
export { resolveFileLocation } from './locations.js';
export { forwardsCallerBody, FORWARDED_BODY_DESCRIPTION } from './implicit-body.js';
export { GENERATIONS, declaredGeneration, type Generation } from './generations/index.js';
export { upgradeDocument, UpgradeError, type UpgradeResult } from './generations/upgrade.js';
