import { CsvError as ParseError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { csvParseOptions, isBlankRecord } from './csv-parse-options';
import type { CsvDelimiter } from './csv-types';

export interface SampleParse {
  /** Non-blank records, at most the number asked for. */
  records: string[][];
  /** The parser's error code when the text was not valid CSV with this delimiter. */
  failure: string | null;
}

/** Parses the head's text with one delimiter, keeping the records read before any error. */
export function parseSampleRecords(text: string, delimiter: CsvDelimiter, maxRecords: number): SampleParse {
  const records: string[][] = [];
  try {
    parse(text, {
      ...csvParseOptions(delimiter),
      on_record: (fields: string[]) => {
        if (records.length < maxRecords && !isBlankRecord(fields)) records.push(fields);
        return null;
      },
      // Blank lines count as records here; the text is bounded, so this only stops early.
      to: maxRecords * 4,
    });
  } catch (err) {
    return { records, failure: err instanceof ParseError ? err.code : 'UNKNOWN' };
  }
  return { records, failure: null };
}
