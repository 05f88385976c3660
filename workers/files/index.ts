export { inspectCsv } from './inspect-csv';
export { readCsv, type CsvReader } from './read-csv';
export { CSV_ERROR_CODES, CsvError, isCsvError, type CsvErrorCode } from './csv-errors';
export {
  CSV_DELIMITERS,
  CSV_ENCODINGS,
  type CsvDelimiter,
  type CsvEncoding,
  type CsvInspection,
  type CsvReadSummary,
  type CsvSource,
  type InspectCsvOptions,
  type ReadCsvOptions,
} from './csv-types';
