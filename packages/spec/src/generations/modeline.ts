/**
 * The `# yaml-language-server: $schema=…` modeline at the top of a file names the schema of the
 * file's generation; `upgrade` points it at the target generation's schema.
 */
import { schemaId } from '../published-schema.js';
import type { Generation } from './index.js';

const MODELINE = /^(#\s*yaml-language-server:\s*\$schema=)(\S+)[ \t]*$/m;

/** `text` with its modeline naming `to`'s schema, and a note when it names a schema Capstan does not know. */
export function retargetModeline(text: string, from: Generation, to: Generation): { text: string; notes: string[] } {
  const found = MODELINE.exec(text);
  if (!found) return { text, notes: [] };
  if (found[2] !== schemaId(from)) {
    return { text, notes: [`the yaml-language-server modeline names ${found[2]}; point it at the ${to} schema (\`capstan schema --generation ${to}\`)`] };
  }
  return { text: text.replace(MODELINE, `$1${schemaId(to)}`), notes: [] };
}
