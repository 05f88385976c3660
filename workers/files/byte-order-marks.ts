import type { CsvEncoding } from './csv-types';

/** The byte order mark each encoding may start with; windows-1252 has none. */
export const BYTE_ORDER_MARKS: Readonly<Record<CsvEncoding, Buffer | null>> = {
  'utf-8': Buffer.from([0xef, 0xbb, 0xbf]),
  'utf-16le': Buffer.from([0xff, 0xfe]),
  'utf-16be': Buffer.from([0xfe, 0xff]),
  'windows-1252': null,
};
