/**
 * Upstream answer → JSON value, by the operation's `outputRawFormat` (engine §2.7). An answer
 * that cannot be parsed in its declared format throws a FormatError naming the format; the
 * executor turns it into UpstreamError 'bad-format'.
 *
 * The parsers of the other formats (XML, CSV, HTML, Markdown, Avro, protobuf) are imported on
 * first use: a capability that reads only JSON never loads them (start-up time and memory).
 */
import type { OutputFormat } from '@capstan/spec';
import { SchemaError, type SchemaCache } from './schema.js';
import { parseYaml } from '@capstan/spec';

/** An answer that does not parse in its declared format. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly format: string,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON body without a byte order mark: parsed once; only a body that fails to parse is checked for being blank (→ null). */
function parseJson(body: Buffer): unknown {
  const bom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  const t = (bom ? body.subarray(3) : body).toString();
  try {
    return JSON.parse(t) as unknown;
  } catch (err) {
    if (t.trim() === '') return null;
    throw err;
  }
}

/** What a conversion may need besides the body. */
export interface ConvertOptions {
  /** `outputSchema`: schema file (avro, protobuf), CSS selector (html) or heading prefix (markdown). */
  schema?: string;
  /** Folder schema files are resolved against (the capability file's folder). */
  baseDir: string;
  cache: SchemaCache;
}

/** `convert` of a JSON body, without a promise: the common case, on every mapped call. */
export function convertJson(body: Buffer): unknown {
  try {
    return parseJson(body);
  } catch (err) {
    throw formatError('json', err);
  }
}

/** Converts a body; an empty JSON or YAML body is `null`. */
export async function convert(format: OutputFormat, body: Buffer, options: ConvertOptions): Promise<unknown> {
  const text = (): string => body.toString('utf8').replace(/^\uFEFF/, '');
  try {
    switch (format) {
      case 'json':
        return parseJson(body);
      case 'yaml': {
        const t = text();
        return t.trim() === '' ? null : (parseYaml(t) as unknown);
      }
      case 'xml':
        return (await import('./xml.js')).xmlToJson(text());
      case 'csv':
      case 'tsv':
      case 'psv':
        return (await import('./tabular.js')).delimitedToJson(text(), format);
      case 'html':
        return (await import('./html.js')).htmlToJson(text(), options.schema);
      case 'markdown':
        return (await import('./markdown.js')).markdownToJson(text(), options.schema);
      case 'avro':
        return (await import('./binary.js')).avroToJson(body, options.schema, options.baseDir, options.cache);
      case 'protobuf':
        return (await import('./binary.js')).protobufToJson(body, options.schema, options.baseDir, options.cache);
      case 'text':
        return text();
      case 'binary':
        // Raw bytes have nothing to map: the executor passes them through whole.
        return null;
      default:
        throw new Error(`unsupported format "${String(format)}"`);
    }
  } catch (err) {
    throw formatError(format, err);
  }
}

/** A parser's failure as a FormatError. */
function formatError(format: string, err: unknown): FormatError {
  if (err instanceof SchemaError) return new FormatError(format, err.message);
  // Parser messages quote the body, which may echo credentials (even cut short, past
  // redaction's reach): keep only where it failed.
  const where = /(position \d+|line \d+(,? column \d+)?)/i.exec((err as Error).message)?.[0];
  return new FormatError(format, where ? `failed at ${where}` : 'failed to parse');
}
