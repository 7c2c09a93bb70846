/** CSV, TSV and PSV → an array of row objects keyed by the header row; every value a string. */
import { parse } from 'csv-parse/sync';

const DELIMITERS = { csv: ',', tsv: '\t', psv: '|' } as const;

/** Parses delimited text with a header row. */
export function delimitedToJson(text: string, format: keyof typeof DELIMITERS): Array<Record<string, string>> {
  return parse(text, {
    columns: true,
    delimiter: DELIMITERS[format],
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: false,
  }) as Array<Record<string, string>>;
}
