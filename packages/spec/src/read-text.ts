/**
 * Reads a file as UTF-8 text. A file of ASCII bytes only (nearly every capability file) is
 * decoded as Latin-1, which gives the same string: Node 20 decodes UTF-8 in 1.4-4 ms for a
 * 1.5 MB file, the ASCII test and the Latin-1 copy take about 0.4 ms.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';

export function readTextFile(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
