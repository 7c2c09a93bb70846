/**
 * Upstream answer → JSON value, by the operation's `outputRawFormat` (engine §2.7). An answer
 * that cannot be parsed in its declared format throws a FormatError naming the format; the
 * executor turns it into UpstreamError 'bad-format'.
 */
import type { OutputFormat } from '../../graph.js';
import { avroToJson, protobufToJson, SchemaError, type SchemaCache } from './binary.js';
import { htmlToJson } from './html.js';
import { markdownToJson } from './markdown.js';
import { delimitedToJson } from './tabular.js';
import { xmlToJson } from './xml.js';
import { parse as parseYaml } from 'yaml';

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

/** What a conversion may need besides the body. */
export interface ConvertOptions {
  /** `outputSchema`: schema file (avro, protobuf), CSS selector (html) or heading prefix (markdown). */
  schema?: string;
  /** Folder schema files are resolved against (the capability file's folder). */
  baseDir: string;
  cache: SchemaCache;
}

/** Converts a body; an empty JSON or YAML body is `null`. */
export function convert(format: OutputFormat, body: Buffer, options: ConvertOptions): unknown {
  const text = (): string => body.toString('utf8').replace(/^\uFEFF/, '');
  try {
    switch (format) {
      case 'json': {
        const t = text();
        return t.trim() === '' ? null : (JSON.parse(t) as unknown);
      }
      case 'yaml': {
        const t = text();
        return t.trim() === '' ? null : (parseYaml(t) as unknown);
      }
      case 'xml':
        return xmlToJson(text());
      case 'csv':
      case 'tsv':
      case 'psv':
        return delimitedToJson(text(), format);
      case 'html':
        return htmlToJson(text(), options.schema);
      case 'markdown':
        return markdownToJson(text(), options.schema);
      case 'avro':
        return avroToJson(body, options.schema, options.baseDir, options.cache);
      case 'protobuf':
        return protobufToJson(body, options.schema, options.baseDir, options.cache);
      case 'text':
        return text();
      default:
        throw new Error(`unsupported format "${String(format)}"`);
    }
  } catch (err) {
    if (err instanceof SchemaError) throw new FormatError(format, err.message);
    // Parser messages quote the body, which may echo credentials (even cut short, past
    // redaction's reach): keep only where it failed.
    const where = /(position \d+|line \d+(,? column \d+)?)/i.exec((err as Error).message)?.[0];
    throw new FormatError(format, where ? `failed at ${where}` : 'failed to parse');
  }
}
