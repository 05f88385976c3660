import type { WarehouseColumn, WarehouseValue } from '../../schema/domain/warehouse';
import { columnNames } from './column-names';
import { CsvError } from './csv-errors';
import type { CsvInspection, CsvSource, InspectCsvOptions } from './csv-types';
import { CONVERTERS, INVALID } from './csv-values';
import { detectDelimiter } from './delimiter-detection';
import { detectEncoding } from './detect-encoding';
import { detectHeader } from './header-detection';
import { readHead } from './source-stream';
import { inferColumnTypes } from './type-inference';
import { Utf8Normalizer } from './utf8-normalizer';

const DEFAULT_SAMPLE_BYTES = 256 * 1024;
const DEFAULT_SAMPLE_ROWS = 1000;
const PREVIEW_ROWS = 20;

/**
 * Guesses how to read a CSV file from its head only: encoding, delimiter, header, column names
 * and types, and a converted preview. The guess is the starting point the user corrects before
 * the whole file is read with `readCsv`.
 */
export async function inspectCsv(open: CsvSource, options: InspectCsvOptions = {}): Promise<CsvInspection> {
  const sampleBytes = positive(options.sampleBytes ?? DEFAULT_SAMPLE_BYTES, 'sampleBytes');
  const sampleRows = positive(options.sampleRows ?? DEFAULT_SAMPLE_ROWS, 'sampleRows');
  const head = await readHead(open, sampleBytes);
  const encoding = detectEncoding(head.bytes, head.complete);
  const text = wholeLines(headText(head.bytes, head.complete, encoding), head.complete);
  const { delimiter, records, width } = detectDelimiter(text, sampleRows + 1, !head.complete);
  if (records.length === 0) {
    if (head.complete) throw new CsvError('EMPTY_FILE', 'the file holds no records');
    throw new CsvError('RECORD_TOO_LARGE', `the first ${sampleBytes} bytes of the file hold no complete record`);
  }
  const rows = records.filter((r) => r.length === width);
  const hasHeader = records[0]!.length === width && detectHeader(rows, width);
  const body = (hasHeader ? rows.slice(1) : rows).slice(0, sampleRows);
  const types = inferColumnTypes(body, width);
  const names = columnNames(hasHeader ? records[0]! : null, width);
  const columns: WarehouseColumn[] = names.map((name, i) => ({ name, type: types[i]! }));
  return {
    encoding,
    delimiter,
    hasHeader,
    columns,
    sample: body.slice(0, PREVIEW_ROWS).map((record) => previewRow(record, columns)),
    sampledRows: body.length,
  };
}

function headText(bytes: Buffer, complete: boolean, encoding: CsvInspection['encoding']): string {
  const normalizer = new Utf8Normalizer(encoding);
  try {
    const utf8 = normalizer.push(bytes);
    return (complete ? Buffer.concat([utf8, normalizer.end()]) : utf8).toString('utf8');
  } catch (err) {
    // A UTF-16 file with a stray surrogate in its head: decode leniently, the read will report it.
    if (err instanceof CsvError) return new TextDecoder(encoding).decode(bytes).replace(/^\uFEFF/, '');
    throw err;
  }
}

/** A head cut from a longer file ends mid-line: only its whole lines are parsed. */
function wholeLines(text: string, complete: boolean): string {
  if (complete) return text;
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return end === -1 ? '' : text.slice(0, end + 1);
}

/** Types were inferred from these very values, so a failure here is a bug, shown as empty. */
function previewRow(record: readonly string[], columns: readonly WarehouseColumn[]): WarehouseValue[] {
  return columns.map((column, i) => {
    const value = CONVERTERS[column.type](record[i] ?? '');
    return value === INVALID ? null : value;
  });
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new CsvError('INVALID_OPTIONS', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}
