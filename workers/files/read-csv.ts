import { CsvError as ParseError } from 'csv-parse';
import { addAbortSignal, pipeline } from 'node:stream';
import type { WarehouseValue } from '../../schema/domain/warehouse';
import { CsvError, type CsvPosition } from './csv-errors';
import { csvParseOptions } from './csv-parse-options';
import { CSV_DELIMITERS, CSV_ENCODINGS, type CsvReadSummary, type CsvSource, type ReadCsvOptions } from './csv-types';
import { RecordConverter } from './record-converter';
import { ParseFailure, RecordStream } from './record-stream';
import { openReadable, readFailed } from './source-stream';
import { Utf8Transcoder } from './utf8-transcoder';

const DEFAULT_BATCH_SIZE = 5000;
const DEFAULT_MAX_RECORD_CHARS = 4 * 1024 * 1024;

/**
 * Reads a whole CSV file as batches of converted rows. The file streams through the decoder and
 * the parser with backpressure: only the batch being handed out and a few chunks of the file
 * are in memory, whatever its size. Iterate it once; `summary()` tells how far it got.
 */
export function readCsv(open: CsvSource, options: ReadCsvOptions): CsvReader {
  return new CsvReader(open, checkOptions(options));
}

export class CsvReader implements AsyncIterable<WarehouseValue[][]> {
  private readonly state: CsvReadSummary = { rowsRead: 0, badRows: 0, errors: [] };
  private started = false;

  constructor(
    private readonly open: CsvSource,
    private readonly options: Required<Omit<ReadCsvOptions, 'signal'>> & Pick<ReadCsvOptions, 'signal'>,
  ) {}

  /** Rows handed out so far, and the bad records skipped with their first errors. */
  summary(): CsvReadSummary {
    return { ...this.state, errors: [...this.state.errors] };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WarehouseValue[][], void, undefined> {
    if (this.started) throw new CsvError('INVALID_OPTIONS', 'a CSV reader can be iterated only once');
    this.started = true;
    const { encoding, delimiter, hasHeader, columns, batchSize, maxBadRows, maxRecordChars, signal } = this.options;
    if (signal?.aborted) throw cancelled(signal.reason);
    const records = new RecordConverter(columns, hasHeader, maxBadRows, this.state);
    const source = openReadable(this.open);
    const parser = new RecordStream({ ...csvParseOptions(delimiter), max_record_size: maxRecordChars });
    // Errors reach the parser (destroyed with them) and so the loop below; nothing to do here.
    pipeline(source, new Utf8Transcoder(encoding), parser, () => {});
    if (signal) addAbortSignal(signal, parser);
    let batch: WarehouseValue[][] = [];
    try {
      for await (const item of parser) {
        if (item instanceof ParseFailure) throw item.error;
        const row = records.accept(item as string[]);
        if (row === null) continue;
        batch.push(row);
        if (batch.length >= batchSize) {
          this.state.rowsRead += batch.length;
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) {
        this.state.rowsRead += batch.length;
        yield batch;
      }
    } catch (err) {
      throw explain(err, { line: records.lines.next }, maxRecordChars);
    } finally {
      parser.destroy();
      source.destroy();
    }
  }
}

/** A failure of the parser or the stream, told as a `CsvError` at the record being read. */
function explain(err: unknown, position: CsvPosition, maxRecordChars: number): CsvError {
  if (err instanceof CsvError) return err;
  if (err instanceof ParseError) {
    switch (err.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return CsvError.at('UNCLOSED_QUOTE', position, 'a quoted field is still open at the end of the file', { cause: err });
      case 'CSV_MAX_RECORD_SIZE':
        return CsvError.at(
          'RECORD_TOO_LARGE',
          position,
          `the record is longer than ${maxRecordChars} characters (a quote that is never closed?)`,
          { cause: err },
        );
      default:
        return CsvError.at('MALFORMED', position, err.message, { cause: err });
    }
  }
  if (err instanceof Error && err.name === 'AbortError') return cancelled(err);
  return readFailed(err);
}

function cancelled(cause: unknown): CsvError {
  return new CsvError('CANCELLED', 'reading the CSV file was cancelled', {}, { cause });
}

function checkOptions(options: ReadCsvOptions): CsvReader['options'] {
  const fail = (message: string): never => {
    throw new CsvError('INVALID_OPTIONS', message);
  };
  if (!CSV_ENCODINGS.includes(options.encoding)) fail(`unknown encoding ${JSON.stringify(options.encoding)}`);
  if (!CSV_DELIMITERS.includes(options.delimiter)) fail(`unknown delimiter ${JSON.stringify(options.delimiter)}`);
  if (options.columns.length === 0) fail('at least one column is needed');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBadRows = options.maxBadRows ?? 0;
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  if (!Number.isInteger(batchSize) || batchSize < 1) fail(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(maxBadRows) || maxBadRows < 0) fail(`maxBadRows must be a whole number, got ${maxBadRows}`);
  if (!Number.isInteger(maxRecordChars) || maxRecordChars < 1) fail(`maxRecordChars must be a positive integer, got ${maxRecordChars}`);
  return { ...options, batchSize, maxBadRows, maxRecordChars };
}
