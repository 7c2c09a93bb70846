/** `capstan lsp`: the language server, over stdio, for editors. */
import { EXIT, type Io } from '../io.js';

export const LSP_HELP = `Usage: capstan lsp [--stdio]

Runs Capstan's language server on standard input and output (the Language Server
Protocol): diagnostics as you type (schema, compiler and lint), hovers from the schema's
descriptions, completion of \`call:\` targets, \`with\` keys and \`<namespace>.\` inputs,
and go-to-definition from a \`call\` to the consumed operation.
`;

export async function lspCommand(argv: string[], io: Io): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(LSP_HELP);
    return EXIT.ok;
  }
  const { startLanguageServer } = await import('@capstan/lsp');
  const connection = startLanguageServer();
  // Runs until the client sends `exit` (the connection ends the process) or closes stdin.
  await new Promise<void>((resolve) => connection.onExit(() => resolve()));
  return EXIT.ok;
}
