/** The error catalog and the translation every adapter answers through. */
export { ERROR_CATALOG, RPC_CODES, CatalogError, catalogEntry, isErrorCode, problemType, reasonPhrase, type CatalogEntry, type ErrorCode, type McpMapping } from './catalog.js';
export { problem, problemForError, errorCodeOf, mcpErrorText, mcpText, PROBLEM_TYPE, type Problem } from './translate.js';
