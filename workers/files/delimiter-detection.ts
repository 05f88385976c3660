import { CSV_DELIMITERS, type CsvDelimiter } from './csv-types';
import { parseSampleRecords } from './sample-records';

/** When two delimiters fit equally well: a tab or semicolon on every line is rarely chance. */
const TIE_ORDER: readonly CsvDelimiter[] = ['\t', ';', ',', '|'];

export interface DelimiterChoice {
  delimiter: CsvDelimiter;
  records: string[][];
  /** Fields per record in most records: the column count. */
  width: number;
}

interface Candidate extends DelimiterChoice {
  clean: boolean;
  consistency: number;
}

/**
 * The delimiter that splits the sample into the most consistent number of fields (more than
 * one), parsing quotes, so a delimiter inside a quoted field does not count. A delimiter whose
 * parse fails loses to one that parses. `truncated`
 * says the text was cut from a longer file: an open quote at its end is then not a failure.
 */
export function detectDelimiter(text: string, maxRecords: number, truncated: boolean): DelimiterChoice {
  const candidates = CSV_DELIMITERS.map((delimiter): Candidate => {
    const { records, failure } = parseSampleRecords(text, delimiter, maxRecords);
    const { width, consistency } = modalWidth(records);
    const clean = failure === null || (truncated && failure === 'CSV_QUOTE_NOT_CLOSED');
    return { delimiter, records, width, clean, consistency };
  });
  candidates.sort(
    (a, b) =>
      Number(b.width > 1) - Number(a.width > 1) ||
      Number(b.clean) - Number(a.clean) ||
      b.consistency - a.consistency ||
      b.width - a.width ||
      TIE_ORDER.indexOf(a.delimiter) - TIE_ORDER.indexOf(b.delimiter),
  );
  const best = candidates[0]!;
  // Nothing splits the lines: one column, and the comma is the one people expect.
  if (best.width <= 1) return candidates.find((c) => c.delimiter === ',')!;
  return { delimiter: best.delimiter, records: best.records, width: best.width };
}

/** The most frequent field count (the larger on a tie) and the share of records that have it. */
function modalWidth(records: readonly string[][]): { width: number; consistency: number } {
  const counts = new Map<number, number>();
  for (const record of records) counts.set(record.length, (counts.get(record.length) ?? 0) + 1);
  let width = 0;
  let hits = 0;
  for (const [w, n] of counts) {
    if (n > hits || (n === hits && w > width)) {
      width = w;
      hits = n;
    }
  }
  return { width, consistency: records.length > 0 ? hits / records.length : 0 };
}
