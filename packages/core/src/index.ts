/** @capstan/core: load, validate and compile Naftiko capability specs. */
export * from './diagnostics.js';
export * from './graph.js';
export { loadSpec, importPath, SUPPORTED_VERSIONS, type LoadOptions, type LoadedSpec, type ImportedConsumes } from './loader.js';
export { compileSpec, type CompileOptions, type CompileResult } from './compiler/index.js';
export { checkSpec, type CheckResult } from './check.js';
export { addFormats, capstanSchema, strictSchema, SCHEMA_PATH, DEFACTO_KEYWORD } from './schema.js';
export { SchemaValidator, type SchemaFinding } from './validate.js';
export { DEFACTO_FORMS, type DefactoCode } from './defacto.js';
export { parseSource, type SourceDocument, type PathSegment } from './source.js';
export { pathPlaceholders, templateVariables } from './templates.js';
export * from './executor/index.js';
export { jsonPath } from './executor/jsonpath.js';
export * from './inbound-auth/index.js';
export { ConcurrencyLimiter, RETRY_AFTER_SECONDS } from './limiter.js';
export { resolveFileLocation } from './locations.js';
