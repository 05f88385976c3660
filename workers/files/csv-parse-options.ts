import type { Options } from 'csv-parse';
import type { CsvDelimiter } from './csv-types';

/**
 * How every pass parses, so the sample and the full read agree. Stray quotes are kept as text
 * rather than failing the file: inside an unquoted field (`5" screen`), and after a closing quote
 * (`"a"b` is the field `"a"b`, quotes included); field counts are checked by us, to report them with the
 * right line; line breaks may be CRLF, LF or CR, even mixed in one file; blank lines arrive as
 * one empty field and are skipped by us, which keeps our line count exact.
 */
export function csvParseOptions(delimiter: CsvDelimiter): Options {
  return {
    delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    bom: false,
  };
}

/** A record that is only a blank line (or blanks): not data. */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === '';
}
