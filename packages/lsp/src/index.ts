/** @capstan/lsp: the Capstan language server for capability files. */
export { startLanguageServer } from './server.js';
export { OpenDocument, type ConsumedOperation, type Cursor } from './document.js';
export { describePath } from './schema-docs.js';
