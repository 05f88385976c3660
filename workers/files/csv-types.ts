import type { Readable } from 'node:stream';
import type { WarehouseColumn, WarehouseValue } from '../../schema/domain/warehouse';
import type { CsvError } from './csv-errors';

/** Opens the file from its start; called once per pass (inspection, then each read). */
export type CsvSource = () => NodeJS.ReadableStream | Readable;

export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface InspectCsvOptions {
  /** Bytes read from the head of the file; default 256 KiB. */
  sampleBytes?: number;
  /** Records (after the header) the types are inferred from; default 1000. */
  sampleRows?: number;
}

export interface CsvInspection {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  columns: WarehouseColumn[];
  /** The first rows (at most 20), converted with the inferred types. */
  sample: WarehouseValue[][];
  /** Data records the types were inferred from. */
  sampledRows: number;
}

export interface ReadCsvOptions {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  /** One per field, in file order; the types decide the conversion (the user may override them). */
  columns: readonly WarehouseColumn[];
  /** Rows per yielded batch; default 5000. */
  batchSize?: number;
  /** Bad records skipped and reported before the read fails; default 0 (the first one fails). */
  maxBadRows?: number;
  /**
   * A record longer than this many characters fails with RECORD_TOO_LARGE: a stray quote would
   * otherwise make the parser hold the rest of the file as one field. Default 4 MiB.
   */
  maxRecordChars?: number;
  signal?: AbortSignal;
}

export interface CsvReadSummary {
  /** Rows handed out in batches so far. */
  rowsRead: number;
  /** Records skipped as bad (at most `maxBadRows`). */
  badRows: number;
  /** The first few of those records' errors. */
  errors: CsvError[];
}
